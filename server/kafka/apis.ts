import "server-only";
import {
  type API,
  alterPartitionReassignmentsV0,
  apiVersionsV3,
  createAPI,
  createPartitionsV3,
  createTopicsV7,
  deleteGroupsV2,
  deleteRecordsV2,
  deleteTopicsV6,
  describeConfigsV4,
  describeGroupsV5,
  describeLogDirsV3,
  describeLogDirsV4,
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
  listPartitionReassignmentsV0,
  metadataV9,
  metadataV10,
  metadataV11,
  metadataV12,
  offsetCommitV8,
  offsetCommitV9,
  offsetDeleteV0,
  offsetFetchV8,
  offsetFetchV9,
  produceV9,
  type Reader,
  unregisterBrokerV0,
  Writer,
} from "@platformatic/kafka";
import type { Negotiated } from "./pool";
import { reusingEncodings } from "./reused-requests";

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
 * Runs `read` capturing no stack for the errors made meanwhile. The library makes one Error per
 * error code in an answer (13,000 of them in Metadata while a broker leading 13,000 partitions
 * stops); the codes are what is read, not where in the parser they were found.
 */
function withoutStacks<T>(read: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return read();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

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
        answer = withoutStacks(() => m.parseResponse(correlationId, apiKey, apiVersion, reader));
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
/** ListOffsets, each version sending a request asked again from its kept bytes (see reused-requests.ts). */
export const LIST_OFFSETS = negotiated(
  "ListOffsets",
  [listOffsetsV9, listOffsetsV8, listOffsetsV7, listOffsetsV6, listOffsetsV5].map((m) => ({
    ...m,
    createRequest: reusingEncodings(m.createRequest),
  })),
);
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
/**
 * v0 only: in v1 (KIP-860) the answer carries allow_replication_factor_change, which the library's
 * v1 parser does not read; v0 lets a move change the replication factor, as Quorum wants.
 */
export const ALTER_PARTITION_REASSIGNMENTS = negotiated("AlterPartitionReassignments", [alterPartitionReassignmentsV0]);
export const LIST_PARTITION_REASSIGNMENTS = negotiated("ListPartitionReassignments", [listPartitionReassignmentsV0]);
export const DESCRIBE_LOG_DIRS = negotiated("DescribeLogDirs", [describeLogDirsV4, describeLogDirsV3]);
/** KRaft only (Kafka 3.x and 4.x): forgets a broker's registration, as kafka-cluster unregister does. */
export const UNREGISTER_BROKER = negotiated("UnregisterBroker", [unregisterBrokerV0]);

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

/** DescribeTopicPartitions' answer (v0), as Quorum reads it. */
export interface DescribeTopicPartitionsResponse {
  topics: {
    errorCode: number;
    name: string | null;
    isInternal: boolean;
    partitions: {
      errorCode: number;
      partitionIndex: number;
      leaderId: number;
      leaderEpoch: number;
      replicaNodes: number[];
      isrNodes: number[];
      /** Null when the broker sends none (the fields are nullable). */
      eligibleLeaderReplicas: number[] | null;
      lastKnownElr: number[] | null;
      offlineReplicas: number[];
    }[];
  }[];
  /** Where the next page starts; null on the last page. */
  nextCursor: { topicName: string; partitionIndex: number } | null;
}

const readInt32s = (r: Reader) => r.readArray((x) => x.readInt32(), true, false);
const readNullableInt32s = (r: Reader) => r.readNullableArray((x) => x.readInt32(), true, false);

/**
 * DescribeTopicPartitions v0 (KIP-966, Kafka 3.8+): Metadata's partition view plus each partition's
 * eligible leader replicas, paged by a cursor. Its own parser: the library's reads the cursor but
 * not the cursor's own tagged fields, so any answer with a next page fails the strict check.
 */
const describeTopicPartitionsV0: Module<
  [topics: string[], responsePartitionLimit: number, cursor: { topicName: string; partitionIndex: number } | null],
  DescribeTopicPartitionsResponse
> = {
  api: { key: 75, version: 0 },
  createRequest: (topics, responsePartitionLimit, cursor) => {
    const w = Writer.create()
      .appendArray(topics, (tw, name) => tw.appendString(name))
      .appendInt32(responsePartitionLimit);
    if (cursor) w.appendInt8(1).appendString(cursor.topicName).appendInt32(cursor.partitionIndex).appendTaggedFields();
    else w.appendInt8(-1);
    return w.appendTaggedFields();
  },
  parseResponse: (_correlationId, _apiKey, _apiVersion, r) => {
    r.readInt32(); // throttle_time_ms
    const topics = r.readArray(
      (t) => {
        const errorCode = t.readInt16();
        const name = t.readNullableString();
        t.readUUID(); // topic_id (Metadata's is used)
        const isInternal = t.readBoolean();
        const partitions = t.readArray(
          (p) => {
            const partition = {
              errorCode: p.readInt16(),
              partitionIndex: p.readInt32(),
              leaderId: p.readInt32(),
              leaderEpoch: p.readInt32(),
              replicaNodes: readInt32s(p),
              isrNodes: readInt32s(p),
              eligibleLeaderReplicas: readNullableInt32s(p),
              lastKnownElr: readNullableInt32s(p),
              offlineReplicas: readInt32s(p),
            };
            skipTaggedFields(p);
            return partition;
          },
          true,
          false,
        );
        t.readInt32(); // topic_authorized_operations
        skipTaggedFields(t);
        return { errorCode, name, isInternal, partitions };
      },
      true,
      false,
    );
    let nextCursor: DescribeTopicPartitionsResponse["nextCursor"] = null;
    if (r.readInt8() !== -1) {
      nextCursor = { topicName: r.readString(), partitionIndex: r.readInt32() };
      skipTaggedFields(r);
    }
    return { topics, nextCursor };
  },
};
export const DESCRIBE_TOPIC_PARTITIONS = negotiated("DescribeTopicPartitions", [describeTopicPartitionsV0]);

/** ApiVersions with what the library's parser leaves unread: the cluster's finalized feature levels. */
export interface ApiVersionsFeatures {
  errorCode: number;
  /** Feature name → finalized max version level; null when the broker sends none. */
  finalized: Map<string, number> | null;
}

/**
 * ApiVersions v3 read to its end: after the API keys and throttle time, the response's tagged
 * fields, of which tag 2 is FinalizedFeatures ([name, max_version_level, min_version_level]), the
 * feature levels `kafka-features describe` prints (e.g. eligible.leader.replicas.version). Its
 * response header has no tagged fields, as for every ApiVersions version.
 */
const apiVersionsFeaturesV3: API<[clientSoftwareName: string, clientSoftwareVersion: string], ApiVersionsFeatures> =
  createAPI(
    18,
    3,
    (name: string, version: string) => Writer.create().appendString(name).appendString(version).appendTaggedFields(),
    (_correlationId, _apiKey, _apiVersion, r) => {
      const errorCode = r.readInt16();
      r.readArray(
        (a) => {
          a.readInt16(); // api key
          a.readInt16(); // min version
          a.readInt16(); // max version
          skipTaggedFields(a);
        },
        true,
        false,
      );
      r.readInt32(); // throttle_time_ms
      let finalized: Map<string, number> | null = null;
      const count = r.readUnsignedVarInt();
      if (count < 0 || count > r.remaining) throw new Error(`a tagged-field section claims ${count} fields`);
      for (let i = 0; i < count; i++) {
        const tag = r.readUnsignedVarInt();
        const size = r.readUnsignedVarInt();
        if (size < 0 || size > r.remaining) throw new Error(`a tagged field claims ${size} bytes`);
        if (tag !== 2) {
          r.skip(size);
          continue;
        }
        const before = r.remaining;
        const levels = new Map<string, number>();
        r.readArray(
          (f) => {
            const name = f.readString();
            const maxVersionLevel = f.readInt16();
            f.readInt16(); // min_version_level
            skipTaggedFields(f);
            levels.set(name, maxVersionLevel);
          },
          true,
          false,
        );
        if (before - r.remaining !== size) throw new Error("FinalizedFeatures does not fill its tagged field");
        finalized = levels;
      }
      if (r.remaining !== 0) throw new Error(`${r.remaining} bytes left over after the last field`);
      return { errorCode, finalized };
    },
    true,
    false,
  );
export const API_VERSIONS_FEATURES: Negotiated<
  [clientSoftwareName: string, clientSoftwareVersion: string],
  ApiVersionsFeatures
> = { name: "ApiVersions", key: 18, versions: [apiVersionsFeaturesV3] };

/** One partition of a Fetch answer, its records left as the bytes Kafka sent (see server/messages/batches.ts). */
export interface FetchedPartition {
  partition: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  /** read_committed only: the aborted transactions whose records may be in `records`. */
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[];
  /** Record batches; the last one may be cut short by the size limit. Empty when there are none. */
  records: Buffer;
}

export interface FetchResponse {
  errorCode: number;
  topics: { topic: string; partitions: FetchedPartition[] }[];
}

export interface FetchPartitionRequest {
  partition: number;
  fetchOffset: bigint;
  partitionMaxBytes: number;
}

/**
 * Fetch v12 (flexible, topics by name; Kafka 2.7 and later, 4.x included), without a fetch session
 * (session 0, epoch -1) and as a client (replica -1). Its own parser: the library's decodes every
 * record batch inside the answer, with a zstd decompressor Node 20 lacks, and reads the partitions'
 * tagged fields with a reader that is only right when there are none. Here the records stay bytes.
 */
const fetchV12: Module<
  [
    maxWaitMs: number,
    minBytes: number,
    maxBytes: number,
    isolationLevel: number,
    topics: [string, FetchPartitionRequest[]][],
  ],
  FetchResponse
> = {
  api: { key: 1, version: 12 },
  createRequest: (maxWaitMs, minBytes, maxBytes, isolationLevel, topics) =>
    Writer.create()
      .appendInt32(-1) // replica_id: a client
      .appendInt32(maxWaitMs)
      .appendInt32(minBytes)
      .appendInt32(maxBytes)
      .appendInt8(isolationLevel)
      .appendInt32(0) // session_id: none
      .appendInt32(-1) // session_epoch: a full fetch outside any session
      .appendArray(topics, (w, [topic, partitions]) =>
        w.appendString(topic).appendArray(partitions, (pw, p) =>
          pw
            .appendInt32(p.partition)
            .appendInt32(-1) // current_leader_epoch: unknown
            .appendInt64(p.fetchOffset)
            .appendInt32(-1) // last_fetched_epoch
            .appendInt64(-1n) // log_start_offset: followers only
            .appendInt32(p.partitionMaxBytes),
        ),
      )
      .appendArray([], () => {}) // forgotten_topics_data
      .appendString("") // rack_id
      .appendTaggedFields(),
  parseResponse: (_correlationId, _apiKey, _apiVersion, r) => {
    r.readInt32(); // throttle_time_ms
    const errorCode = r.readInt16();
    r.readInt32(); // session_id
    const topics = r.readArray(
      (t) => {
        const topic = t.readString();
        const partitions = t.readArray(
          (p): FetchedPartition => {
            const partition = p.readInt32();
            const partitionError = p.readInt16();
            const highWatermark = p.readInt64();
            const lastStableOffset = p.readInt64();
            const logStartOffset = p.readInt64();
            const aborted =
              p.readNullableArray(
                (a) => {
                  const producerId = a.readInt64();
                  const firstOffset = a.readInt64();
                  skipTaggedFields(a);
                  return { producerId, firstOffset };
                },
                true,
                false,
              ) ?? [];
            p.readInt32(); // preferred_read_replica
            const size = p.readUnsignedVarInt() - 1; // COMPACT_RECORDS: length + 1, 0 for null
            if (size > p.remaining) throw new Error(`a partition's records claim ${size} bytes`);
            const records = size > 0 ? p.buffer.slice(p.position, p.position + size) : Buffer.alloc(0);
            if (size > 0) p.skip(size);
            skipTaggedFields(p);
            return {
              partition,
              errorCode: partitionError,
              highWatermark,
              lastStableOffset,
              logStartOffset,
              abortedTransactions: aborted,
              records,
            };
          },
          true,
          false,
        );
        skipTaggedFields(t);
        return { topic, partitions };
      },
      true,
      false,
    );
    return { errorCode, topics };
  },
};
export const FETCH = negotiated("Fetch", [fetchV12]);

/**
 * Produce v9 (flexible; Kafka 2.8 to 4.x): the library's encoder builds one uncompressed batch per
 * partition. Not v10/v11: their answers may carry tagged fields (the new leader after
 * NOT_LEADER_OR_FOLLOWER) that the library's parser misreads, which would turn a clean refusal into
 * an unknown outcome.
 */
export const PRODUCE = negotiated("Produce", [produceV9]);

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
