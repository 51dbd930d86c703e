import "server-only";
import { Reader } from "@platformatic/kafka";
import {
  type CgdTopicPartitions,
  CONSUMER_GROUP_DESCRIBE,
  DESCRIBE_GROUPS,
  DESCRIBE_QUORUM,
  LIST_GROUPS,
  LIST_OFFSETS,
  OFFSET_FETCH,
} from "./apis";
import { KafkaError } from "./error-codes";
import type { KafkaPool } from "./pool";
import { WireError } from "./wire-error";

/**
 * Batched read requests, one per broker whatever the number of topics or groups: ListOffsets for
 * every partition a broker leads, ListGroups, DescribeGroups (classic groups),
 * ConsumerGroupDescribe (KIP-848 consumer groups) and OffsetFetch (KIP-709: many groups in one
 * request) for every group a broker coordinates. Each goes to one broker ("host:port") over the
 * cluster's pool, in the newest version both sides speak (see apis.ts): ListGroups v5 (each group's
 * type) and ConsumerGroupDescribe v1 where the broker's ApiVersions answer says it serves them.
 */

/** ListOffsets timestamps: the log-start offset and the log-end offset (high watermark). */
export const EARLIEST = -2n;
export const LATEST = -1n;

export interface PartitionOffset {
  topic: string;
  partition: number;
  errorCode: number;
  offset: bigint;
}

/** ListOffsets for the given partitions (all led by `broker`) at one timestamp. */
export async function listOffsets(
  pool: KafkaPool,
  broker: string,
  partitions: Map<string, number[]>,
  timestamp: bigint,
  timeoutMs: number,
): Promise<PartitionOffset[]> {
  const topics = [...partitions.entries()].map(([name, parts]) => ({
    name,
    partitions: parts.map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp })),
  }));
  // replica -1: a client; isolation 0: read uncommitted, i.e. the high watermark
  const answer = await pool.send(broker, LIST_OFFSETS, [-1, 0, topics], timeoutMs);
  return answer.topics.flatMap((t) =>
    t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode, offset: p.offset })),
  );
}

/** A group's protocol (KIP-848): `classic` (JoinGroup/SyncGroup) or `consumer` (ConsumerGroupHeartbeat). */
export type GroupType = "classic" | "consumer";

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  state: string;
  /** From ListGroups v5; v4 (Kafka before 3.8) does not say, and there every group is classic. */
  type: GroupType;
}

/** The group types Quorum lists (share and streams groups are described by other APIs). */
export const LISTED_TYPES: GroupType[] = ["classic", "consumer"];

/** The groups of a ListGroups answer; v4's have no type (every group there is classic). */
export function listedGroups(answer: {
  errorCode: number;
  groups: { groupId: string | null; protocolType: string; groupState: string; groupType?: string }[];
}): ListedGroup[] {
  if (answer.errorCode !== 0) throw new KafkaError(answer.errorCode, null, "ListGroups");
  return answer.groups.map((g) => ({
    groupId: g.groupId ?? "",
    protocolType: g.protocolType,
    state: g.groupState,
    // Kafka names types "Classic" and "Consumer" in its answer and takes either case in the filter.
    type: g.groupType?.toLowerCase() === "consumer" ? "consumer" : "classic",
  }));
}

/** ListGroups v5 (Kafka 3.8+, classic and consumer groups, each with its type) or v4: the groups `broker` coordinates. */
export async function listGroups(pool: KafkaPool, broker: string, timeoutMs: number): Promise<ListedGroup[]> {
  // v4 ignores the types filter (the library's v4 encoder writes states only).
  const answer = await pool.send(broker, LIST_GROUPS, [[], LISTED_TYPES], timeoutMs);
  return listedGroups(answer);
}

export interface GroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Partitions assigned to this member (consumer protocol only). */
  assignments: TopicPartitions[];
  /** Consumer-type groups: the member's epoch; null in a classic group. */
  memberEpoch: number | null;
  /**
   * Consumer-type groups: the partitions the group's assignor targets for this member (it owns
   * `assignments` until it has revoked and taken up what differs); null in a classic group.
   */
  targetAssignments: TopicPartitions[] | null;
}

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface DescribedGroup {
  groupId: string;
  errorCode: number;
  state: string;
  protocolType: string;
  /** Classic groups: the protocol the members agreed on (the assignor); consumer groups: the assignor. */
  protocol: string;
  members: GroupMember[];
  /** Consumer-type groups: the group epoch and the epoch of its target assignment; null for classic groups. */
  groupEpoch: number | null;
  assignmentEpoch: number | null;
}

/** The consumer protocol's assignment: version, [topic, [partition]], user data. */
export function parseConsumerAssignment(bytes: Buffer | null | undefined): TopicPartitions[] {
  if (!bytes || bytes.length < 6) return [];
  try {
    const r = Reader.from(bytes);
    r.readInt16(); // version
    return r.readArray(
      (t) => ({ topic: t.readString(false), partitions: t.readArray((p) => p.readInt32(), false, false) }),
      false,
      false,
    );
  } catch {
    return [];
  }
}

/** The groups of a DescribeGroups answer. */
export function describedGroups(
  answer: Awaited<ReturnType<(typeof DESCRIBE_GROUPS.versions)[number]["async"]>>,
): DescribedGroup[] {
  return answer.groups.map((g) => ({
    groupId: g.groupId,
    errorCode: g.errorCode,
    state: g.groupState,
    protocolType: g.protocolType,
    protocol: g.protocolData,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId ?? null,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assignments: g.protocolType === "consumer" ? parseConsumerAssignment(m.memberAssignment) : [],
      memberEpoch: null,
      targetAssignments: null,
    })),
    groupEpoch: null,
    assignmentEpoch: null,
  }));
}

/**
 * DescribeGroups for classic groups coordinated by `broker`, in one request. (Kafka answers a
 * consumer-type group here without an error, as "Dead" with no members: ConsumerGroupDescribe
 * describes those.)
 */
export async function describeGroups(
  pool: KafkaPool,
  broker: string,
  groupIds: string[],
  timeoutMs: number,
): Promise<DescribedGroup[]> {
  return describedGroups(await pool.send(broker, DESCRIBE_GROUPS, [groupIds, false], timeoutMs));
}

/**
 * An Assignment struct as kafka-consumer-groups prints it: sorted by topic and partition. A
 * deleted topic's name is empty: its id stands in.
 */
function assignmentOf(topics: CgdTopicPartitions[]): TopicPartitions[] {
  return topics
    .map((t) => ({ topic: t.topicName || t.topicId, partitions: [...t.partitions].sort((a, b) => a - b) }))
    .sort((a, b) => a.topic.localeCompare(b.topic));
}

/** A DescribedGroup with the message Kafka gave with its error code, if any. */
export type ConsumerDescribedGroup = DescribedGroup & { errorMessage: string | null };

/** The groups of a ConsumerGroupDescribe answer. */
export function consumerDescribedGroups(
  answer: Awaited<ReturnType<(typeof CONSUMER_GROUP_DESCRIBE.versions)[number]["async"]>>,
): ConsumerDescribedGroup[] {
  return answer.groups.map((g) => ({
    groupId: g.groupId,
    errorCode: g.errorCode,
    errorMessage: g.errorMessage,
    state: g.groupState,
    protocolType: "consumer",
    protocol: g.assignorName,
    members: g.members.map(
      (m): GroupMember => ({
        memberId: m.memberId,
        groupInstanceId: m.instanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        assignments: assignmentOf(m.assignment),
        memberEpoch: m.memberEpoch,
        targetAssignments: assignmentOf(m.targetAssignment),
      }),
    ),
    groupEpoch: g.groupEpoch,
    assignmentEpoch: g.assignmentEpoch,
  }));
}

/** ConsumerGroupDescribe v1 or v0 (Kafka 3.7+) for KIP-848 groups coordinated by `broker`, in one request. */
export async function consumerGroupDescribe(
  pool: KafkaPool,
  broker: string,
  groupIds: string[],
  timeoutMs: number,
): Promise<ConsumerDescribedGroup[]> {
  return consumerDescribedGroups(await pool.send(broker, CONSUMER_GROUP_DESCRIBE, [groupIds, false], timeoutMs));
}

export interface CommittedOffset {
  groupId: string;
  topic: string;
  partition: number;
  /** -1 when the group has no commit for this partition. */
  offset: bigint;
  errorCode: number;
}

/** OffsetFetch: every committed offset of many groups (all coordinated by `broker`) in one request. */
export async function offsetFetch(
  pool: KafkaPool,
  broker: string,
  groupIds: string[],
  timeoutMs: number,
): Promise<{ committed: CommittedOffset[]; groupErrors: Map<string, number> }> {
  const groups = groupIds.map((groupId) => ({ groupId, memberId: null, memberEpoch: -1, topics: null }));
  const answer = await pool.send(broker, OFFSET_FETCH, [groups, false], timeoutMs);
  const committed: CommittedOffset[] = [];
  const groupErrors = new Map<string, number>();
  for (const g of answer.groups) {
    if (g.errorCode !== 0) groupErrors.set(g.groupId, g.errorCode);
    for (const t of g.topics)
      for (const p of t.partitions)
        committed.push({
          groupId: g.groupId,
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          errorCode: p.errorCode,
        });
  }
  return { committed, groupErrors };
}

export interface QuorumInfo {
  /** The active KRaft controller: the leader of the __cluster_metadata log. */
  leaderId: number;
  leaderEpoch: number;
  highWatermark: number;
  voters: { id: number; logEndOffset: number }[];
  observers: { id: number; logEndOffset: number }[];
}

/** DescribeQuorum on the metadata log; a broker forwards it to the controllers. */
export async function describeQuorum(pool: KafkaPool, seeds: string[], timeoutMs: number): Promise<QuorumInfo> {
  const { answer, from } = await pool.sendToAny(
    seeds,
    DESCRIBE_QUORUM,
    [[{ topicName: "__cluster_metadata", partitions: [{ partitionIndex: 0 }] }]],
    timeoutMs,
  );
  if (answer.errorCode !== 0) throw new KafkaError(answer.errorCode, answer.errorMessage ?? null, "DescribeQuorum");
  const info = answer.topics[0]?.partitions[0];
  if (!info)
    throw new WireError(
      `${from} sent a malformed response: DescribeQuorum named no partition of __cluster_metadata`,
      "protocol",
      { sent: true },
    );
  if (info.errorCode !== 0) throw new KafkaError(info.errorCode, info.errorMessage ?? null, "DescribeQuorum");
  const replicas = (xs: { replicaId: number; logEndOffset: bigint }[]) =>
    xs.map((x) => ({ id: x.replicaId, logEndOffset: Number(x.logEndOffset) }));
  return {
    leaderId: info.leaderId,
    leaderEpoch: info.leaderEpoch,
    highWatermark: Number(info.highWatermark),
    voters: replicas(info.currentVoters),
    observers: replicas(info.observers),
  };
}
