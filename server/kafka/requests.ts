import "server-only";
import { KafkaError } from "./error-codes";
import { Reader, sendRequest, sendToAny, Writer } from "./wire";

/**
 * Batched read requests, one per broker whatever the number of topics or groups: ListOffsets for
 * every partition a broker leads, ListGroups, DescribeGroups and OffsetFetch (KIP-709: many
 * groups in one request) for every group a broker coordinates. Versions are within what
 * Kafka 3.0 through 4.x serve.
 */

export interface Address {
  host: string;
  port: number;
}

const API = { listOffsets: 2, offsetFetch: 9, describeGroups: 15, listGroups: 16 } as const;

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

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  state: string;
}

/** ListGroups v4: the groups `broker` coordinates, with their state. */
export async function listGroups(broker: Address, timeoutMs: number): Promise<ListedGroup[]> {
  const body = new Writer()
    .compactArray([], () => {}) // states_filter: all
    .tags()
    .bytes();
  const r = await sendRequest(
    broker.host,
    broker.port,
    { apiKey: API.listGroups, version: 4, flexible: true, body },
    timeoutMs,
  );
  r.int32(); // throttle_time_ms
  const errorCode = r.int16();
  if (errorCode !== 0) throw new KafkaError(errorCode, null, "ListGroups");
  const groups = r.compactArray((g) => {
    const group = {
      groupId: g.compactString() ?? "",
      protocolType: g.compactString() ?? "",
      state: g.compactString() ?? "",
    };
    g.tags();
    return group;
  });
  r.tags();
  r.end();
  return groups;
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

/** DescribeGroups v5 for groups coordinated by `broker`, in one request. */
export async function describeGroups(
  broker: Address,
  groupIds: string[],
  timeoutMs: number,
): Promise<DescribedGroup[]> {
  const body = new Writer()
    .compactArray(groupIds, (w, g) => w.compactString(g))
    .bool(false) // include_authorized_operations
    .tags()
    .bytes();
  const r = await sendRequest(
    broker.host,
    broker.port,
    { apiKey: API.describeGroups, version: 5, flexible: true, body },
    timeoutMs,
  );
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
      };
    });
    g.int32(); // authorized_operations
    g.tags();
    return { groupId, errorCode, state, protocolType, protocol, members };
  });
  r.tags();
  r.end();
  return groups;
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
