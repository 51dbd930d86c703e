import "server-only";
import type { LeadershipQuery, PartitionsQuery } from "@/lib/schemas/leadership";
import type {
  Broker,
  LeadershipCounts,
  LeadershipPartitionRow,
  LeadershipSummary,
  LeadershipTopicRow,
  NodeStatus,
} from "@/lib/types";
import type { ClusterSnapshot, SnapshotPartition, SnapshotTopic } from "../kafka/snapshot";
import type { ReadModel } from "./read-model";

/**
 * The leadership map's read of a snapshot: per broker and per topic × broker, who leads, who
 * follows in sync, who is out of sync or offline, and who leads off its preferred broker. One pass
 * over the partitions; the browser gets one page of topic rows, never every partition of a large
 * cluster (at most `maxPartitions` rows, and only then).
 */

/** Up to this many partitions the overview draws every partition (QUORUM_LEADERSHIP_MAP_MAX_PARTITIONS). */
export const DEFAULT_LEADERSHIP_MAP_MAX_PARTITIONS = 200;

/** One broker's counts while they are being added up: the answer's LeadershipCounts without the broker id. */
type Tally = Omit<LeadershipCounts, "broker">;

const emptyTally = (): Tally => ({ leaders: 0, replicas: 0, inSync: 0, outOfSync: 0, offline: 0, notPreferred: 0 });

/** Adds partition `p`'s replicas to `byBroker` (one tally per broker id). */
function tallyPartition(p: SnapshotPartition, byBroker: Map<number, Tally>): void {
  for (const b of p.replicas) {
    let t = byBroker.get(b);
    if (!t) {
      t = emptyTally();
      byBroker.set(b, t);
    }
    t.replicas++;
    // The same order as the map's cells: offline, then leader / in sync, then out of sync.
    if (p.offlineReplicas.includes(b)) t.offline++;
    else if (p.leader === b || p.isr.includes(b)) t.inSync++;
    else t.outOfSync++;
  }
  if (p.leader >= 0) {
    let t = byBroker.get(p.leader);
    if (!t) {
      t = emptyTally();
      byBroker.set(p.leader, t);
    }
    t.leaders++;
    if ((p.replicas[0] ?? -1) !== p.leader) t.notPreferred++;
  }
}

interface TopicTally {
  topic: SnapshotTopic;
  offline: number;
  underReplicated: number;
  notPreferred: number;
  /** Replicas out of sync or offline, over all brokers. */
  lagging: number;
  byBroker: Map<number, Tally>;
}

function tallyTopic(topic: SnapshotTopic): TopicTally {
  const byBroker = new Map<number, Tally>();
  let offline = 0;
  let underReplicated = 0;
  for (const p of topic.partitions) {
    if (p.leader < 0) offline++;
    if (p.isr.length < p.replicas.length) underReplicated++;
    tallyPartition(p, byBroker);
  }
  let notPreferred = 0;
  let lagging = 0;
  for (const t of byBroker.values()) {
    notPreferred += t.notPreferred;
    lagging += t.outOfSync + t.offline;
  }
  return { topic, offline, underReplicated, notPreferred, lagging, byBroker };
}

const countsOf = (broker: number, t: Tally | undefined): LeadershipCounts => ({ broker, ...(t ?? emptyTally()) });

const compareNames = (a: TopicTally, b: TopicTally) =>
  a.topic.name < b.topic.name ? -1 : a.topic.name > b.topic.name ? 1 : 0;

/** Offline partitions first, then under-replicated ones, then replicas out of sync, then leaders off their preferred broker. */
const byProblems = (a: TopicTally, b: TopicTally) =>
  b.offline - a.offline ||
  b.underReplicated - a.underReplicated ||
  b.lagging - a.lagging ||
  b.notPreferred - a.notPreferred ||
  compareNames(a, b);

/** The tallies of one snapshot's topics (all, or without internal ones), computed once per snapshot. */
interface Tallied {
  /** Sorted by name; `lower` holds each name lower-cased, for the filter. */
  byName: TopicTally[];
  lower: string[];
  /** Sorted by problems, with their lower-cased names, when first asked. */
  byProblems: { tallies: TopicTally[]; lower: string[] } | null;
  cluster: Map<number, Tally>;
  partitions: number;
  offline: number;
  underReplicated: number;
  notPreferred: number;
}

// Paging, filtering and every tab asking again within one snapshot's life cost a filter and a slice.
const talliedCache = new WeakMap<ClusterSnapshot, { all?: Tallied; user?: Tallied }>();

function tallied(snap: ClusterSnapshot, internal: boolean): Tallied {
  const cached = talliedCache.get(snap) ?? {};
  const hit = internal ? cached.all : cached.user;
  if (hit) return hit;
  const byName = snap.topics
    .filter((t) => internal || !t.internal)
    .map(tallyTopic)
    .sort(compareNames);
  const out: Tallied = {
    byName,
    lower: byName.map((t) => t.topic.name.toLowerCase()),
    byProblems: null,
    cluster: new Map(),
    partitions: 0,
    offline: 0,
    underReplicated: 0,
    notPreferred: 0,
  };
  for (const t of byName) {
    out.partitions += t.topic.partitions.length;
    out.offline += t.offline;
    out.underReplicated += t.underReplicated;
    out.notPreferred += t.notPreferred;
    for (const [b, x] of t.byBroker) {
      const c = out.cluster.get(b) ?? emptyTally();
      c.leaders += x.leaders;
      c.replicas += x.replicas;
      c.inSync += x.inSync;
      c.outOfSync += x.outOfSync;
      c.offline += x.offline;
      c.notPreferred += x.notPreferred;
      out.cluster.set(b, c);
    }
  }
  talliedCache.set(snap, internal ? { ...cached, all: out } : { ...cached, user: out });
  return out;
}

/**
 * The summary of `snap` for `query`. `brokers` are the brokers known to the read model (with their
 * status, down ones included); a broker id that only a replica names is added as `unknown`.
 */
export function leadershipSummary(
  snap: ClusterSnapshot,
  brokers: Pick<Broker, "id" | "status">[],
  query: LeadershipQuery,
  maxPartitions: number = DEFAULT_LEADERSHIP_MAP_MAX_PARTITIONS,
): LeadershipSummary {
  const all = tallied(snap, query.internal);
  const { cluster, partitions, offline, underReplicated, notPreferred } = all;

  const status = new Map<number, NodeStatus | "unknown">(brokers.map((b) => [b.id, b.status]));
  for (const b of cluster.keys()) if (!status.has(b)) status.set(b, "unknown");
  const ids = [...status.keys()].sort((a, b) => a - b);

  let sorted = all.byName;
  let lower = all.lower;
  if (query.sort === "problems") {
    if (!all.byProblems) {
      const tallies = [...all.byName].sort(byProblems);
      all.byProblems = { tallies, lower: tallies.map((t) => t.topic.name.toLowerCase()) };
    }
    sorted = all.byProblems.tallies;
    lower = all.byProblems.lower;
  }
  const needle = query.q.toLowerCase();
  const matching = needle ? sorted.filter((_, i) => lower[i]?.includes(needle)) : sorted;
  const page = matching.slice(query.offset, query.offset + query.limit);
  const rows: LeadershipTopicRow[] = page.map((t) => ({
    topic: t.topic.name,
    internal: t.topic.internal,
    partitions: t.topic.partitions.length,
    offline: t.offline,
    underReplicated: t.underReplicated,
    brokers: ids.map((b) => countsOf(b, t.byBroker.get(b))),
  }));

  const mode = partitions <= maxPartitions ? "partitions" : "heat-map";
  const partitionRows: LeadershipPartitionRow[] | null =
    mode === "partitions"
      ? all.byName.flatMap(({ topic: t }) =>
          t.partitions.map((p) => ({ topic: t.name, ...p, preferredLeader: p.replicas[0] ?? -1 })),
        )
      : null;

  return {
    takenAt: snap.takenAt,
    partial: snap.partial.metadata,
    mode,
    maxPartitions,
    totals: { topics: all.byName.length, partitions, offline, underReplicated, notPreferred },
    brokers: ids.map((b) => ({ ...countsOf(b, cluster.get(b)), status: status.get(b) ?? "unknown" })),
    topics: { total: matching.length, offset: query.offset, limit: query.limit, rows },
    partitionRows,
  };
}

/** The summary of the shared snapshot (503 `cluster_unavailable` when there is none). */
export async function readLeadership(
  read: Pick<ReadModel, "requireSnapshot" | "brokerStatuses">,
  query: LeadershipQuery,
  maxPartitions: number,
): Promise<LeadershipSummary> {
  const snap = await read.requireSnapshot();
  return leadershipSummary(snap, read.brokerStatuses(snap), query, maxPartitions);
}

/**
 * GET …/partitions: every partition of every (non-internal, unless asked) topic in the snapshot's
 * order, as it always answered; or one topic's (404 when the cluster has no such topic), and/or
 * one page from `offset`, `limit` long. `total` counts them before the page is cut.
 */
export async function readPartitions(
  read: Pick<ReadModel, "requireSnapshot" | "findTopic">,
  query: PartitionsQuery,
): Promise<{ rows: LeadershipPartitionRow[]; total: number }> {
  const topics = query.topic
    ? [await read.findTopic(query.topic)]
    : (await read.requireSnapshot()).topics.filter((t) => query.internal || !t.internal);
  const total = topics.reduce((n, t) => n + t.partitions.length, 0);
  const end = query.limit === undefined ? total : query.offset + query.limit;
  const rows: LeadershipPartitionRow[] = [];
  let i = 0;
  for (const t of topics) {
    if (i >= end) break;
    if (i + t.partitions.length <= query.offset) {
      i += t.partitions.length;
      continue;
    }
    for (const p of t.partitions) {
      if (i >= query.offset && i < end) rows.push({ topic: t.name, ...p, preferredLeader: p.replicas[0] ?? -1 });
      i++;
    }
  }
  return { rows, total };
}
