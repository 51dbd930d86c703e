import "server-only";
import { KafkaError } from "./error-codes";
import { Reader, sendRequest, sendToAny, Writer } from "./wire";

/**
 * Batched read requests, one per broker whatever the number of topics or groups: ListOffsets for
 * every partition a broker leads, ListGroups, DescribeGroups (classic groups),
 * ConsumerGroupDescribe (KIP-848 consumer groups) and OffsetFetch (KIP-709: many groups in one
 * request) for every group a broker coordinates. Versions are within what Kafka 3.0 through 4.x
 * serve; the two that depend on the broker (ListGroups v5, ConsumerGroupDescribe) are chosen from
 * its ApiVersions answer.
 */

export interface Address {
  host: string;
  port: number;
}

const API = {
  listOffsets: 2,
  offsetFetch: 9,
  describeGroups: 15,
  listGroups: 16,
  apiVersions: 18,
  consumerGroupDescribe: 69,
} as const;

/** The versions of each API a broker serves: api key → [min, max]. */
export type ApiVersionRanges = Map<number, { min: number; max: number }>;

/** ApiVersions v0 (every Kafka answers it): which versions of which APIs `broker` serves. */
export async function apiVersions(broker: Address, timeoutMs: number): Promise<ApiVersionRanges> {
  const r = await sendRequest(
    broker.host,
    broker.port,
    { apiKey: API.apiVersions, version: 0, body: Buffer.alloc(0) },
    timeoutMs,
  );
  const errorCode = r.int16();
  const ranges: ApiVersionRanges = new Map();
  for (const [key, min, max] of r.array((a) => [a.int16(), a.int16(), a.int16()] as const))
    ranges.set(key, { min, max });
  r.end();
  if (errorCode !== 0) throw new KafkaError(errorCode, null, "ApiVersions");
  return ranges;
}

/** The highest version of `apiKey` both Quorum (up to `upTo`) and the broker serve, or null. */
export function pickVersion(ranges: ApiVersionRanges, apiKey: number, from: number, upTo: number): number | null {
  const r = ranges.get(apiKey);
  if (!r) return null;
  const v = Math.min(upTo, r.max);
  return v >= Math.max(from, r.min) ? v : null;
}

/** ListOffsets timestamps: the log-start offset and the log-end offset (high watermark). */
export const EARLIEST = -2n;
export const LATEST = -1n;

export interface PartitionOffset {
  topic: string;
  partition: number;
  errorCode: number;
  offset: bigint;
}

/** ListOffsets v2 for the given partitions (all led by `broker`) at one timestamp. */
export async function listOffsets(
  broker: Address,
  partitions: Map<string, number[]>,
  timestamp: bigint,
  timeoutMs: number,
): Promise<PartitionOffset[]> {
  const body = new Writer()
    .int32(-1) // replica_id: a client
    .int8(0) // isolation_level: read uncommitted, i.e. the high watermark
    .array([...partitions.entries()], (w, [topic, parts]) =>
      w.string(topic).array(parts, (pw, p) => pw.int32(p).int64(timestamp)),
    )
    .bytes();
  const r = await sendRequest(broker.host, broker.port, { apiKey: API.listOffsets, version: 2, body }, timeoutMs);
  r.int32(); // throttle_time_ms
  const offsets = r
    .array((t) => {
      const topic = t.string() ?? "";
      return t.array((p) => {
        const partition = p.int32();
        const errorCode = p.int16();
        p.int64(); // timestamp
        return { topic, partition, errorCode, offset: p.int64() };
      });
    })
    .flat();
  r.end();
  return offsets;
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
const LISTED_TYPES: GroupType[] = ["classic", "consumer"];

/** The ListGroups request body: v4 filters by state only, v5 also by type. */
export function encodeListGroups(version: 4 | 5): Buffer {
  const w = new Writer().compactArray([], () => {}); // states_filter: all
  if (version >= 5) w.compactArray(LISTED_TYPES, (x, t) => x.compactString(t)); // types_filter
  return w.tags().bytes();
}

export function decodeListGroups(r: Reader, version: 4 | 5): ListedGroup[] {
  r.int32(); // throttle_time_ms
  const errorCode = r.int16();
  const groups = r.compactArray((g) => {
    const groupId = g.compactString() ?? "";
    const protocolType = g.compactString() ?? "";
    const state = g.compactString() ?? "";
    const type = version >= 5 ? (g.compactString() ?? "") : "classic";
    g.tags();
    // Kafka names types "Classic" and "Consumer" in its answer and takes either case in the filter.
    return { groupId, protocolType, state, type: type.toLowerCase() === "consumer" ? "consumer" : "classic" } as const;
  });
  r.tags();
  r.end();
  if (errorCode !== 0) throw new KafkaError(errorCode, null, "ListGroups");
  return groups;
}

/** ListGroups v4 or v5 (Kafka 3.8+, with each group's type): the groups `broker` coordinates, with their state. */
export async function listGroups(broker: Address, timeoutMs: number, version: 4 | 5 = 4): Promise<ListedGroup[]> {
  const r = await sendRequest(
    broker.host,
    broker.port,
    { apiKey: API.listGroups, version, flexible: true, body: encodeListGroups(version) },
    timeoutMs,
  );
  return decodeListGroups(r, version);
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
export function parseConsumerAssignment(bytes: Buffer | null): { topic: string; partitions: number[] }[] {
  if (!bytes || bytes.length < 6) return [];
  try {
    const r = new Reader(bytes);
    r.int16(); // version
    return r.array((t) => ({ topic: t.string() ?? "", partitions: t.array((p) => p.int32()) }));
  } catch {
    return [];
  }
}

/** The DescribeGroups v5 request body. */
export function encodeDescribeGroups(groupIds: string[]): Buffer {
  return new Writer()
    .compactArray(groupIds, (w, g) => w.compactString(g))
    .bool(false) // include_authorized_operations
    .tags()
    .bytes();
}

export function decodeDescribeGroups(r: Reader): DescribedGroup[] {
  r.int32(); // throttle_time_ms
  const groups = r.compactArray((g) => {
    const errorCode = g.int16();
    const groupId = g.compactString() ?? "";
    const state = g.compactString() ?? "";
    const protocolType = g.compactString() ?? "";
    const protocol = g.compactString() ?? "";
    const members = g.compactArray((m) => {
      const memberId = m.compactString() ?? "";
      const groupInstanceId = m.compactString();
      const clientId = m.compactString() ?? "";
      const clientHost = m.compactString() ?? "";
      m.compactBytes(); // member_metadata
      const assignment = m.compactBytes();
      m.tags();
      return {
        memberId,
        groupInstanceId,
        clientId,
        clientHost,
        assignments: protocolType === "consumer" ? parseConsumerAssignment(assignment) : [],
        memberEpoch: null,
        targetAssignments: null,
      };
    });
    g.int32(); // authorized_operations
    g.tags();
    return { groupId, errorCode, state, protocolType, protocol, members, groupEpoch: null, assignmentEpoch: null };
  });
  r.tags();
  r.end();
  return groups;
}

/**
 * DescribeGroups v5 for classic groups coordinated by `broker`, in one request. (Kafka answers a
 * consumer-type group here without an error, as "Dead" with no members: ConsumerGroupDescribe
 * describes those.)
 */
export async function describeGroups(
  broker: Address,
  groupIds: string[],
  timeoutMs: number,
): Promise<DescribedGroup[]> {
  const r = await sendRequest(
    broker.host,
    broker.port,
    { apiKey: API.describeGroups, version: 5, flexible: true, body: encodeDescribeGroups(groupIds) },
    timeoutMs,
  );
  return decodeDescribeGroups(r);
}

/** The ConsumerGroupDescribe request body (v0 and v1 are alike). */
export function encodeConsumerGroupDescribe(groupIds: string[]): Buffer {
  return new Writer()
    .compactArray(groupIds, (w, g) => w.compactString(g))
    .bool(false) // include_authorized_operations
    .tags()
    .bytes();
}

/**
 * An Assignment struct: [topic id, topic name, [partition]], sorted by topic and partition as
 * kafka-consumer-groups prints them. A deleted topic's name is empty: its id stands in.
 */
function readAssignment(r: Reader): TopicPartitions[] {
  const topics = r.compactArray((t) => {
    const topicId = t.uuid();
    const name = t.compactString() ?? "";
    const partitions = t.compactArray((p) => p.int32()).sort((a, b) => a - b);
    t.tags();
    return { topic: name || topicId, partitions };
  });
  r.tags();
  return topics.sort((a, b) => a.topic.localeCompare(b.topic));
}

/** A DescribedGroup with the message Kafka gave with its error code, if any. */
export type ConsumerDescribedGroup = DescribedGroup & { errorMessage: string | null };

export function decodeConsumerGroupDescribe(r: Reader, version: 0 | 1): ConsumerDescribedGroup[] {
  r.int32(); // throttle_time_ms
  const groups = r.compactArray((g) => {
    const errorCode = g.int16();
    const errorMessage = g.compactString();
    const groupId = g.compactString() ?? "";
    const state = g.compactString() ?? "";
    const groupEpoch = g.int32();
    const assignmentEpoch = g.int32();
    const assignor = g.compactString() ?? "";
    const members = g.compactArray((m): GroupMember => {
      const memberId = m.compactString() ?? "";
      const groupInstanceId = m.compactString();
      m.compactString(); // rack_id
      const memberEpoch = m.int32();
      const clientId = m.compactString() ?? "";
      const clientHost = m.compactString() ?? "";
      m.compactArray((t) => t.compactString()); // subscribed_topic_names
      m.compactString(); // subscribed_topic_regex
      const assignments = readAssignment(m);
      const targetAssignments = readAssignment(m);
      if (version >= 1) m.int8(); // member_type: classic or consumer member
      m.tags();
      return { memberId, groupInstanceId, clientId, clientHost, assignments, memberEpoch, targetAssignments };
    });
    g.int32(); // authorized_operations
    g.tags();
    return {
      groupId,
      errorCode,
      errorMessage,
      state,
      protocolType: "consumer",
      protocol: assignor,
      members,
      groupEpoch,
      assignmentEpoch,
    };
  });
  r.tags();
  r.end();
  return groups;
}

/** ConsumerGroupDescribe v0 or v1 (Kafka 3.7+) for KIP-848 groups coordinated by `broker`, in one request. */
export async function consumerGroupDescribe(
  broker: Address,
  groupIds: string[],
  timeoutMs: number,
  version: 0 | 1,
): Promise<ConsumerDescribedGroup[]> {
  const r = await sendRequest(
    broker.host,
    broker.port,
    {
      apiKey: API.consumerGroupDescribe,
      version,
      flexible: true,
      body: encodeConsumerGroupDescribe(groupIds),
    },
    timeoutMs,
  );
  return decodeConsumerGroupDescribe(r, version);
}

export interface CommittedOffset {
  groupId: string;
  topic: string;
  partition: number;
  /** -1 when the group has no commit for this partition. */
  offset: bigint;
  errorCode: number;
}

/** OffsetFetch v8: every committed offset of many groups (all coordinated by `broker`) in one request. */
export async function offsetFetch(
  broker: Address,
  groupIds: string[],
  timeoutMs: number,
): Promise<{ committed: CommittedOffset[]; groupErrors: Map<string, number> }> {
  const body = new Writer()
    .compactArray(groupIds, (w, g) =>
      w
        .compactString(g)
        .compactArray(null, () => {})
        .tags(),
    ) // topics: all
    .bool(false) // require_stable
    .tags()
    .bytes();
  const r = await sendRequest(
    broker.host,
    broker.port,
    { apiKey: API.offsetFetch, version: 8, flexible: true, body },
    timeoutMs,
  );
  r.int32(); // throttle_time_ms
  const committed: CommittedOffset[] = [];
  const groupErrors = new Map<string, number>();
  r.compactArray((g) => {
    const groupId = g.compactString() ?? "";
    g.compactArray((t) => {
      const topic = t.compactString() ?? "";
      t.compactArray((p) => {
        const partition = p.int32();
        const offset = p.int64();
        p.int32(); // committed_leader_epoch
        p.compactString(); // metadata
        const errorCode = p.int16();
        p.tags();
        committed.push({ groupId, topic, partition, offset, errorCode });
      });
      t.tags();
    });
    const errorCode = g.int16();
    if (errorCode !== 0) groupErrors.set(groupId, errorCode);
    g.tags();
  });
  r.tags();
  r.end();
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

/** DescribeQuorum v0 on the metadata log; a broker forwards it to the controllers. */
export async function describeQuorum(seeds: string[], timeoutMs: number): Promise<QuorumInfo> {
  const body = new Writer()
    .compactArray(["__cluster_metadata"], (w, t) =>
      w
        .compactString(t)
        .compactArray([0], (pw, p) => pw.int32(p).tags())
        .tags(),
    )
    .tags()
    .bytes();
  const r = await sendToAny(seeds, { apiKey: 55, version: 0, flexible: true, body }, timeoutMs);
  const errorCode = r.int16();
  if (errorCode !== 0) throw new KafkaError(errorCode, null, "DescribeQuorum");
  const replicas = (x: Reader) =>
    x.compactArray((rr) => {
      const state = { id: rr.int32(), logEndOffset: Number(rr.int64()) };
      rr.tags();
      return state;
    });
  const [info] = r.compactArray((t) => {
    t.compactString();
    const parts = t.compactArray((p) => {
      p.int32(); // partition_index
      const code = p.int16();
      const q = { leaderId: p.int32(), leaderEpoch: p.int32(), highWatermark: Number(p.int64()) };
      const voters = replicas(p);
      const observers = replicas(p);
      p.tags();
      return { code, ...q, voters, observers };
    });
    t.tags();
    return parts[0];
  });
  r.tags();
  r.end();
  if (!info) throw r.malformed("DescribeQuorum named no partition of __cluster_metadata");
  if (info.code !== 0) throw new KafkaError(info.code, null, "DescribeQuorum");
  const { code: _code, ...quorum } = info;
  return quorum;
}
