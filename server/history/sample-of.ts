import "server-only";
import type { ClusterSnapshot } from "../kafka/snapshot";

export interface GroupRow {
  groupId: string;
  /** Σ lag over the partitions the group has committed; null while it has committed nothing. */
  lag: number | null;
  committed: number | null;
  logEnd: number | null;
  members: number;
  /** Lag in time (ms): the largest over its partitions; set by the sampler, null when not measured. */
  lagMs?: number | null;
}

export interface TopicRow {
  topic: string;
  logEnd: number;
  logStart: number;
}

/** The whole cluster at one time: Σ lag over groups and Σ log-end offsets over (non-internal) topics. */
export interface ClusterRow {
  totalLag: number;
  logEnd: number;
}

/** What one snapshot can honestly say: rows only for what it read whole, and what it left out. */
export interface Sample {
  ts: number;
  topics: TopicRow[];
  groups: GroupRow[];
  /** null unless every topic and group was listed and read: a total over part of the cluster would be too small. */
  cluster: ClusterRow | null;
  skipped: { topics: string[]; groups: string[] };
}

/** What of a snapshot the history reads. */
export type SampledSnapshot = Pick<ClusterSnapshot, "takenAt" | "topics" | "groups"> & {
  partial: Pick<ClusterSnapshot["partial"], "metadata" | "offsets" | "groups">;
};

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Decides what of a snapshot goes into the lag history. A missing offset is never counted as 0:
 * - a topic is sampled only when every one of its partitions has both its log-start and log-end
 *   offsets (a topic without partitions is not sampled);
 * - a group only when the snapshot read it whole (its description and committed offsets: the
 *   group's own `complete`) and every partition it has committed also has a log-end offset;
 * - the cluster's total only when the lists of topics and groups are whole (no `partial.metadata`,
 *   `partial.offsets` or `partial.groups`) and every non-internal topic and every group was
 *   sampled. What the totals do not read (the controller quorum, ELR) does not hold them back.
 */
export function sampleOf(snap: SampledSnapshot): Sample {
  const topics: TopicRow[] = [];
  const groups: GroupRow[] = [];
  const skipped: Sample["skipped"] = { topics: [], groups: [] };

  for (const t of snap.topics) {
    if (t.internal) continue;
    const ends = t.partitions.map((p) => p.latestOffset);
    const starts = t.partitions.map((p) => p.earliestOffset);
    if (t.partitions.length === 0 || ends.some((o) => o === null) || starts.some((o) => o === null)) {
      skipped.topics.push(t.name);
      continue;
    }
    topics.push({ topic: t.name, logEnd: sum(ends as number[]), logStart: sum(starts as number[]) });
  }

  for (const g of snap.groups) {
    const committed = g.offsets.filter((o) => o.committedOffset !== null);
    const whole = committed.filter(
      (o): o is typeof o & { committedOffset: number; logEndOffset: number; lag: number } =>
        o.logEndOffset !== null && o.lag !== null,
    );
    if (!g.complete || whole.length < committed.length) {
      skipped.groups.push(g.groupId);
      continue;
    }
    const known = whole.length > 0;
    groups.push({
      groupId: g.groupId,
      lag: known ? sum(whole.map((o) => o.lag)) : null,
      committed: known ? sum(whole.map((o) => o.committedOffset)) : null,
      logEnd: known ? sum(whole.map((o) => o.logEndOffset)) : null,
      members: g.members.length,
    });
  }

  return {
    ts: snap.takenAt,
    topics,
    groups,
    cluster:
      !snap.partial.metadata &&
      !snap.partial.offsets &&
      !snap.partial.groups &&
      skipped.topics.length === 0 &&
      skipped.groups.length === 0
        ? { totalLag: sum(groups.map((g) => g.lag ?? 0)), logEnd: sum(topics.map((t) => t.logEnd)) }
        : null,
    skipped,
  };
}
