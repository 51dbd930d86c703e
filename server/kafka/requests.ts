import "server-only";
import { Reader } from "@platformatic/kafka";
import { DESCRIBE_GROUPS, DESCRIBE_QUORUM, LIST_GROUPS, LIST_OFFSETS, OFFSET_FETCH } from "./apis";
import { KafkaError } from "./error-codes";
import type { KafkaPool } from "./pool";
import { WireError } from "./wire-error";

/**
 * Batched read requests, one per broker whatever the number of topics or groups: ListOffsets for
 * every partition a broker leads, ListGroups, DescribeGroups and OffsetFetch (KIP-709: many
 * groups in one request) for every group a broker coordinates. Each goes to one broker ("host:port")
 * over the cluster's pool, in the newest version both sides speak (see apis.ts).
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

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  state: string;
}

/** ListGroups: the groups `broker` coordinates, with their state. */
export async function listGroups(pool: KafkaPool, broker: string, timeoutMs: number): Promise<ListedGroup[]> {
  const answer = await pool.send(broker, LIST_GROUPS, [[], []], timeoutMs);
  if (answer.errorCode !== 0) throw new KafkaError(answer.errorCode, null, "ListGroups");
  return answer.groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, state: g.groupState }));
}

export interface GroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Partitions assigned to this member (consumer protocol only). */
  assignments: { topic: string; partitions: number[] }[];
}

export interface DescribedGroup {
  groupId: string;
  errorCode: number;
  state: string;
  protocolType: string;
  protocol: string;
  members: GroupMember[];
}

/** The consumer protocol's assignment: version, [topic, [partition]], user data. */
export function parseConsumerAssignment(bytes: Buffer | null | undefined): { topic: string; partitions: number[] }[] {
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

/** DescribeGroups for groups coordinated by `broker`, in one request. */
export async function describeGroups(
  pool: KafkaPool,
  broker: string,
  groupIds: string[],
  timeoutMs: number,
): Promise<DescribedGroup[]> {
  const answer = await pool.send(broker, DESCRIBE_GROUPS, [groupIds, false], timeoutMs);
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
    })),
  }));
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
