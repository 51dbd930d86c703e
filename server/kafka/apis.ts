import "server-only";
import {
  type API,
  apiVersionsV3,
  createAPI,
  createPartitionsV3,
  createTopicsV7,
  deleteGroupsV2,
  deleteRecordsV2,
  deleteTopicsV6,
  describeConfigsV4,
  describeGroupsV5,
  describeQuorumV2,
  findCoordinatorV4,
  findCoordinatorV5,
  findCoordinatorV6,
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
  offsetCommitV8,
  offsetCommitV9,
  offsetDeleteV0,
  offsetFetchV8,
  offsetFetchV9,
  type Reader,
  Writer,
} from "@platformatic/kafka";
import type { Negotiated } from "./pool";

/**
 * Every Kafka request Quorum sends, each in the versions @platformatic/kafka encodes (newest
 * first), and DescribeQuorum v0/v1, ElectLeaders and ConsumerGroupDescribe, which Quorum reads
 * itself: the pool sends the newest one the broker serves. Kafka 3.x and 4.x serve all of them
 * except ConsumerGroupDescribe (KIP-848: Kafka 3.7+; 3.9 offers v0, 4.4 v0–v1) and ListGroups v5
 * (3.8+); the oldest versions here (Metadata v9, ListOffsets v5, DescribeConfigs v4, CreateTopics
 * v7, OffsetFetch v8) date from Kafka 2.4–3.0. test/fixtures/kafka/api-versions-*.json hold real
 * 3.9.1 and 4.4.0 brokers' answers (server/kafka/negotiation.test.ts).
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
 * The first flexible version (tagged fields in headers and bodies) of each request here whose
 * oldest version Quorum speaks is not flexible; every other request here is flexible in all the
 * versions Quorum speaks (ApiVersions, whose response header is never flexible, is not wrapped).
 */
const FIRST_FLEXIBLE: Record<number, number> = { 2: 6 }; // ListOffsets v6 (Kafka 2.8)

/**
 * The module's API with a stricter parser: an answer longer or shorter than its version's fields
 * is not what was asked (the library ignores bytes left over, and leaves a flexible answer's
 * closing tagged-field section unread), so it fails like any malformed answer. Headers are
 * flexible from the request's first flexible version on.
 */
function strict<A extends unknown[], R>(m: Module<A, R>): API<A, R> {
  const flexible = m.api.version >= (FIRST_FLEXIBLE[m.api.key] ?? 0);
  const check = (reader: Reader) => {
    if (flexible) {
      if (reader.remaining === 0) throw new Error("the answer ends before its closing tagged-field section");
      skipTaggedFields(reader);
    }
    if (reader.remaining !== 0) throw new Error(`${reader.remaining} bytes left over after the last field`);
  };
  return createAPI<A, R>(
    m.api.key,
    m.api.version,
    m.createRequest,
    (correlationId, apiKey, apiVersion, reader) => {
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
    },
    flexible,
    flexible,
  );
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
export const OFFSET_FETCH = negotiated("OffsetFetch", [offsetFetchV9, offsetFetchV8]);

/** DescribeQuorum's answer, as the library's v2 parser gives it (and the v0/v1 parser below). */
type DescribeQuorumResponse = ReturnType<typeof describeQuorumV2.parseResponse>;
type DescribeQuorumReplica = DescribeQuorumResponse["topics"][number]["partitions"][number]["currentVoters"][number];

/**
 * DescribeQuorum v0 (KIP-595) and v1 (KIP-836: each replica's last fetch and last caught-up
 * times), for brokers older than v2 (KIP-853: error messages, replica directory ids, the voters'
 * endpoints), which the library alone defines. All three are flexible and ask the same thing; the
 * answer comes in v2's shape, with what the older version lacks as v2's defaults say (no message,
 * the zero directory id, -1 for unknown times, no nodes).
 */
const describeQuorumBefore2 = (
  version: 0 | 1,
): Module<Parameters<typeof describeQuorumV2.createRequest>, DescribeQuorumResponse> => ({
  api: { key: 55, version },
  createRequest: describeQuorumV2.createRequest,
  parseResponse: (_correlationId, _apiKey, _apiVersion, r) => {
    const replica = (x: Reader): DescribeQuorumReplica => {
      const replicaId = x.readInt32();
      const logEndOffset = x.readInt64();
      const lastFetchTimestamp = version >= 1 ? x.readInt64() : -1n;
      const lastCaughtUpTimestamp = version >= 1 ? x.readInt64() : -1n;
      skipTaggedFields(x);
      return {
        replicaId,
        replicaDirectoryId: "00000000-0000-0000-0000-000000000000",
        logEndOffset,
        lastFetchTimestamp,
        lastCaughtUpTimestamp,
      };
    };
    const errorCode = r.readInt16();
    const topics = r.readArray(
      (t) => {
        const topicName = t.readString();
        const partitions = t.readArray(
          (p) => {
            const partition = {
              partitionIndex: p.readInt32(),
              errorCode: p.readInt16(),
              errorMessage: null,
              leaderId: p.readInt32(),
              leaderEpoch: p.readInt32(),
              highWatermark: p.readInt64(),
              currentVoters: p.readArray(replica, true, false),
              observers: p.readArray(replica, true, false),
            };
            skipTaggedFields(p);
            return partition;
          },
          true,
          false,
        );
        skipTaggedFields(t);
        return { topicName, partitions };
      },
      true,
      false,
    );
    return { errorCode, errorMessage: null, topics, nodes: [] };
  },
});
export const DESCRIBE_QUORUM = negotiated("DescribeQuorum", [
  describeQuorumV2,
  describeQuorumBefore2(1),
  describeQuorumBefore2(0),
]);
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

/** One Assignment struct of ConsumerGroupDescribe: [topic id, topic name, [partition]]. */
export interface CgdTopicPartitions {
  /** Kafka's text form of the topic id: URL-safe base64 without padding, as topic ids print. */
  topicId: string;
  topicName: string;
  partitions: number[];
}

export interface CgdMember {
  memberId: string;
  instanceId: string | null;
  rackId: string | null;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  assignment: CgdTopicPartitions[];
  targetAssignment: CgdTopicPartitions[];
  /** v1: 0 classic member (upgraded group), 1 consumer member; -1 in v0. */
  memberType: number;
}

export interface CgdGroup {
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignorName: string;
  members: CgdMember[];
  authorizedOperations: number;
}

export interface ConsumerGroupDescribeResponse {
  throttleTimeMs: number;
  groups: CgdGroup[];
}

/** The ConsumerGroupDescribe request body (v0 and v1 are alike). */
export function encodeConsumerGroupDescribe(groupIds: string[], includeAuthorizedOperations: boolean): Writer {
  return Writer.create()
    .appendArray(groupIds, (w, g) => w.appendString(g), true, false)
    .appendBoolean(includeAuthorizedOperations)
    .appendTaggedFields();
}

/** A UUID as Kafka prints topic ids (URL-safe base64, no padding); the library gives hex with dashes. */
const uuidText = (r: Reader) => Buffer.from(r.readUUID().replaceAll("-", ""), "hex").toString("base64url");

/** An Assignment struct: its topics, then its own tagged fields (the library's reader would skip neither right). */
function readCgdAssignment(r: Reader): CgdTopicPartitions[] {
  const topics = r.readArray(
    (t) => {
      const topicId = uuidText(t);
      const topicName = t.readString();
      const partitions = t.readArray((p) => p.readInt32(), true, false);
      skipTaggedFields(t);
      return { topicId, topicName, partitions };
    },
    true,
    false,
  );
  skipTaggedFields(r);
  return topics;
}

/**
 * ConsumerGroupDescribe (KIP-848, Kafka 3.7+), v0 and v1 (v1 adds each member's type). Its own
 * parser: the library's v0 reads subscribed_topic_names as one string and leaves each Assignment
 * struct's tagged fields unread, so it misreads every member Kafka sends.
 */
const consumerGroupDescribe = (
  version: 0 | 1,
): Module<[groupIds: string[], includeAuthorizedOperations: boolean], ConsumerGroupDescribeResponse> => ({
  api: { key: 69, version },
  createRequest: encodeConsumerGroupDescribe,
  parseResponse: (_correlationId, _apiKey, _apiVersion, r) => {
    const throttleTimeMs = r.readInt32();
    const groups = r.readArray(
      (g): CgdGroup => {
        const errorCode = g.readInt16();
        const errorMessage = g.readNullableString();
        const groupId = g.readString();
        const groupState = g.readString();
        const groupEpoch = g.readInt32();
        const assignmentEpoch = g.readInt32();
        const assignorName = g.readString();
        const members = g.readArray(
          (m): CgdMember => {
            const memberId = m.readString();
            const instanceId = m.readNullableString();
            const rackId = m.readNullableString();
            const memberEpoch = m.readInt32();
            const clientId = m.readString();
            const clientHost = m.readString();
            const subscribedTopicNames = m.readArray((t) => t.readString(), true, false);
            const subscribedTopicRegex = m.readNullableString();
            const assignment = readCgdAssignment(m);
            const targetAssignment = readCgdAssignment(m);
            const memberType = version >= 1 ? m.readInt8() : -1;
            skipTaggedFields(m);
            return {
              memberId,
              instanceId,
              rackId,
              memberEpoch,
              clientId,
              clientHost,
              subscribedTopicNames,
              subscribedTopicRegex,
              assignment,
              targetAssignment,
              memberType,
            };
          },
          true,
          false,
        );
        const authorizedOperations = g.readInt32();
        skipTaggedFields(g);
        return {
          errorCode,
          errorMessage,
          groupId,
          groupState,
          groupEpoch,
          assignmentEpoch,
          assignorName,
          members,
          authorizedOperations,
        };
      },
      true,
      false,
    );
    return { throttleTimeMs, groups };
  },
});
export const CONSUMER_GROUP_DESCRIBE = negotiated("ConsumerGroupDescribe", [
  consumerGroupDescribe(1),
  consumerGroupDescribe(0),
]);

// Consumer-group actions (server/clusters/group-commands.ts): the group's coordinator, committing
// and deleting its offsets, deleting the group, and deleting records before an offset. FindCoordinator
// v4 (Kafka 3.0) batches keys; OffsetCommit v8 (3.0) and v9 (3.7, KIP-848) ask alike; DeleteGroups v2
// and DeleteRecords v2 date from Kafka 2.4; OffsetDelete has only v0, which is not flexible.
FIRST_FLEXIBLE[47] = Number.POSITIVE_INFINITY;
export const FIND_COORDINATOR = negotiated("FindCoordinator", [
  findCoordinatorV6,
  findCoordinatorV5,
  findCoordinatorV4,
]);
export const OFFSET_COMMIT = negotiated("OffsetCommit", [offsetCommitV9, offsetCommitV8]);
export const OFFSET_DELETE = negotiated("OffsetDelete", [offsetDeleteV0]);
export const DELETE_GROUPS = negotiated("DeleteGroups", [deleteGroupsV2]);
export const DELETE_RECORDS = negotiated("DeleteRecords", [deleteRecordsV2]);

/** What Fetch answers for one partition, its records left as bytes (see recordTimestampAt in group-requests.ts). */
export interface FetchHeadPartition {
  partition: number;
  errorCode: number;
  highWatermark: bigint;
  logStartOffset: bigint;
  records: Buffer | null;
}

/**
 * Fetch v12 (Kafka 2.7+; flexible, topics by name), as a client without a fetch session, to read the
 * record batch at one offset per partition: the lag-in-time of a group (group-time-lag.ts) needs only
 * the timestamp there. Its own parser keeps the records as bytes (the library's decodes every batch).
 */
const fetchHeadV12: Module<
  [
    topics: { name: string; partitions: { partition: number; offset: bigint }[] }[],
    maxBytes: number,
    partitionMaxBytes: number,
  ],
  { errorCode: number; topics: { name: string; partitions: FetchHeadPartition[] }[] }
> = {
  api: { key: 1, version: 12 },
  createRequest: (topics, maxBytes, partitionMaxBytes) =>
    Writer.create()
      .appendInt32(-1) // replica id: a client
      .appendInt32(0) // max wait: answer at once
      .appendInt32(0) // min bytes
      .appendInt32(maxBytes)
      .appendInt8(0) // read uncommitted, as lag counts to the high watermark
      .appendInt32(0) // session id: none
      .appendInt32(-1) // session epoch: no session
      .appendArray(topics, (w, t) =>
        w.appendString(t.name).appendArray(t.partitions, (pw, p) =>
          pw
            .appendInt32(p.partition)
            .appendInt32(-1) // current leader epoch: unknown
            .appendInt64(p.offset)
            .appendInt32(-1) // last fetched epoch
            .appendInt64(-1n) // log start offset (a follower's)
            .appendInt32(partitionMaxBytes),
        ),
      )
      .appendArray([], () => {}) // forgotten topics
      .appendString("") // rack id
      .appendTaggedFields(),
  parseResponse: (_correlationId, _apiKey, _apiVersion, r) => {
    r.readInt32(); // throttle_time_ms
    const errorCode = r.readInt16();
    r.readInt32(); // session id
    const topics = r.readArray(
      (t) => {
        const name = t.readString();
        const partitions = t.readArray(
          (p): FetchHeadPartition => {
            const partition = p.readInt32();
            const code = p.readInt16();
            const highWatermark = p.readInt64();
            p.readInt64(); // last stable offset
            const logStartOffset = p.readInt64();
            const aborted = p.readUnsignedVarInt() - 1;
            for (let i = 0; i < aborted; i++) {
              p.readInt64();
              p.readInt64();
              skipTaggedFields(p);
            }
            p.readInt32(); // preferred read replica
            const bytes = p.readNullableBytes(true);
            const records = bytes && bytes.length > 0 ? Buffer.from(bytes) : null;
            skipTaggedFields(p);
            return { partition, errorCode: code, highWatermark, logStartOffset, records };
          },
          true,
          false,
        );
        skipTaggedFields(t);
        return { name, partitions };
      },
      true,
      false,
    );
    return { errorCode, topics };
  },
};
export const FETCH_HEAD = negotiated("Fetch", [fetchHeadV12]);
