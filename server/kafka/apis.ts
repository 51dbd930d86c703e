import "server-only";
import {
  type API,
  apiVersionsV3,
  consumerGroupDescribeV0,
  createAPI,
  createPartitionsV3,
  createTopicsV7,
  deleteTopicsV6,
  describeConfigsV4,
  describeGroupsV5,
  describeQuorumV2,
  incrementalAlterConfigsV1,
  listGroupsV4,
  listGroupsV5,
  listOffsetsV5,
  listOffsetsV6,
  listOffsetsV7,
  listOffsetsV8,
  listOffsetsV9,
  metadataV9,
  metadataV10,
  metadataV11,
  metadataV12,
  offsetFetchV8,
  offsetFetchV9,
  type Reader,
  Writer,
} from "@platformatic/kafka";
import type { Negotiated } from "./pool";

/**
 * Every Kafka request Quorum sends, each in the versions @platformatic/kafka encodes (newest
 * first): the pool sends the newest one the broker serves. Kafka 3.x and 4.x serve all of them
 * except DescribeQuorum v2 (Kafka 3.7+) and ConsumerGroupDescribe (3.7+, KIP-848); the oldest
 * versions here (Metadata v9, ListOffsets v5, DescribeConfigs v4, CreateTopics v7) date from Kafka 2.4–2.8.
 */

/** A library module of one request version: its API, request encoder and response parser. */
interface Module<A extends unknown[], R> {
  api: Pick<API<A, R>, "key" | "version">;
  createRequest: (...args: A) => Writer;
  parseResponse: (correlationId: number, apiKey: number, apiVersion: number, reader: Reader) => R;
}

/**
 * Skips a tagged-field section (count, then tag, size and bytes per field), checking each length
 * against the bytes left. The library's own readTaggedFields reads the count as a byte length,
 * which is only right for an empty section.
 */
function skipTaggedFields(reader: Reader): void {
  const count = reader.readUnsignedVarInt();
  if (count < 0 || count > reader.remaining) throw new Error(`a tagged-field section claims ${count} fields`);
  for (let i = 0; i < count; i++) {
    reader.readUnsignedVarInt(); // tag
    const size = reader.readUnsignedVarInt();
    if (size < 0 || size > reader.remaining) throw new Error(`a tagged field claims ${size} bytes`);
    reader.skip(size);
  }
}

/**
 * The module's API with a stricter parser: an answer longer than its version's fields is not what
 * was asked (the library ignores bytes left over), so it fails like any malformed answer. Flexible
 * request and response headers, as every request here but ApiVersions' response has.
 */
function strict<A extends unknown[], R>(m: Module<A, R>): API<A, R> {
  const check = (reader: Reader) => {
    // The library's parsers leave the response's closing tagged-field section unread.
    if (reader.remaining > 0) skipTaggedFields(reader);
    if (reader.remaining !== 0) throw new Error(`${reader.remaining} bytes left over after the last field`);
  };
  return createAPI<A, R>(m.api.key, m.api.version, m.createRequest, (correlationId, apiKey, apiVersion, reader) => {
    let answer: R;
    try {
      answer = m.parseResponse(correlationId, apiKey, apiVersion, reader);
    } catch (err) {
      // An answer carrying Kafka error codes was read to its end first: it must end there too.
      check(reader);
      throw err;
    }
    check(reader);
    return answer;
  });
}

const negotiated = <A extends unknown[], R>(name: string, modules: Module<A, R>[]): Negotiated<A, R> => ({
  name,
  key: (modules[0] as Module<A, R>).api.key,
  versions: modules.map(strict).sort((a, b) => b.version - a.version),
});

/** ApiVersions, whose response header has no tagged fields even in flexible versions. */
export const API_VERSIONS: Negotiated<
  [clientSoftwareName: string, clientSoftwareVersion: string],
  Awaited<ReturnType<typeof apiVersionsV3.api.async>>
> = { name: "ApiVersions", key: 18, versions: [apiVersionsV3.api] };
export const METADATA = negotiated("Metadata", [metadataV12, metadataV11, metadataV10, metadataV9]);
export const LIST_OFFSETS = negotiated("ListOffsets", [
  listOffsetsV9,
  listOffsetsV8,
  listOffsetsV7,
  listOffsetsV6,
  listOffsetsV5,
]);
export const LIST_GROUPS = negotiated("ListGroups", [listGroupsV5, listGroupsV4]);
export const DESCRIBE_GROUPS = negotiated("DescribeGroups", [describeGroupsV5]);
export const CONSUMER_GROUP_DESCRIBE = negotiated("ConsumerGroupDescribe", [consumerGroupDescribeV0]);
export const OFFSET_FETCH = negotiated("OffsetFetch", [offsetFetchV9, offsetFetchV8]);
export const DESCRIBE_QUORUM = negotiated("DescribeQuorum", [describeQuorumV2]);
export const CREATE_TOPICS = negotiated("CreateTopics", [createTopicsV7]);
export const DELETE_TOPICS = negotiated("DeleteTopics", [deleteTopicsV6]);
export const CREATE_PARTITIONS = negotiated("CreatePartitions", [createPartitionsV3]);
export const DESCRIBE_CONFIGS = negotiated("DescribeConfigs", [describeConfigsV4]);
export const INCREMENTAL_ALTER_CONFIGS = negotiated("IncrementalAlterConfigs", [incrementalAlterConfigsV1]);

/** ElectLeaders, which the library does not define: v2 (flexible), served by Kafka 2.4 and later. */
export interface ElectLeadersResponse {
  errorCode: number;
  results: { topic: string; partitions: { partitionId: number; errorCode: number; errorMessage: string | null }[] }[];
}

const electLeadersV2: Module<
  [electionType: number, partitions: [string, number[]][] | null, timeoutMs: number],
  ElectLeadersResponse
> = {
  api: { key: 43, version: 2 },
  createRequest: (electionType, partitions, timeoutMs) =>
    Writer.create()
      .appendInt8(electionType)
      .appendArray(partitions, (w, [topic, ps]) =>
        w.appendString(topic).appendArray(ps, (pw, p) => pw.appendInt32(p), true, false),
      )
      .appendInt32(timeoutMs)
      .appendTaggedFields(),
  parseResponse: (_correlationId, _apiKey, _apiVersion, r) => {
    r.readInt32(); // throttle_time_ms
    const errorCode = r.readInt16();
    const results = r.readArray((t) => ({
      topic: t.readString(),
      partitions: t.readArray((p) => ({
        partitionId: p.readInt32(),
        errorCode: p.readInt16(),
        errorMessage: p.readNullableString(),
      })),
    }));
    return { errorCode, results };
  },
};
export const ELECT_LEADERS = negotiated("ElectLeaders", [electLeadersV2]);
