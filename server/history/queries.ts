import "server-only";
import { evaluateLag, type LagVerdict } from "@/lib/lag-status";
import type { ClusterHistory, GroupHistory, TopicHistory } from "@/lib/types";
import type { HistoryStore } from "./history-store";
import { rates, withGaps } from "./series";

/** Lag status is judged over this window of samples. */
export const STATUS_WINDOW_MS = 60_000;

/**
 * Each series below has a blank point (values null) wherever no sample was taken for longer than
 * a few sample intervals (see `withGaps`): Quorum was stopped, the cluster did not answer, or the
 * snapshot was partial and the sample was skipped. The interval is the store's `sampleMs`.
 */
export function groupHistory(
  store: HistoryStore,
  cluster: string,
  groupId: string,
  minutes: number,
  now = Date.now(),
): GroupHistory {
  const { sampleMs } = store;
  const rows = store.groupSeries(cluster, groupId, now - minutes * 60_000);
  const consume = rates(rows, (r) => r.committed, sampleMs);
  const verdict = evaluateLag(rows.filter((r) => r.ts >= now - STATUS_WINDOW_MS));
  const points: GroupHistory["points"] = rows.map((r, i) => ({
    ts: r.ts,
    lag: r.lag,
    consumeRate: consume[i] ?? null,
    lagMs: r.lagMs,
  }));
  return {
    ...verdict,
    points: withGaps(points, sampleMs, (ts) => ({ ts, lag: null, consumeRate: null, lagMs: null }), now),
  };
}

export function topicHistory(
  store: HistoryStore,
  cluster: string,
  topic: string,
  minutes: number,
  now = Date.now(),
): TopicHistory {
  const { sampleMs } = store;
  const rows = store.topicSeries(cluster, topic, now - minutes * 60_000);
  const produce = rates(rows, (r) => r.logEnd, sampleMs);
  const points: TopicHistory["points"] = rows.map((r, i) => ({
    ts: r.ts,
    messages: r.logEnd - r.logStart,
    produceRate: produce[i] ?? null,
  }));
  return { points: withGaps(points, sampleMs, (ts) => ({ ts, messages: null, produceRate: null }), now) };
}

export function clusterHistory(
  store: HistoryStore,
  cluster: string,
  minutes: number,
  now = Date.now(),
): ClusterHistory {
  const { sampleMs } = store;
  const rows = store.clusterSeries(cluster, now - minutes * 60_000);
  const produce = rates(rows, (r) => r.logEnd, sampleMs);
  const points: ClusterHistory["points"] = rows.map((r, i) => ({
    ts: r.ts,
    totalLag: r.totalLag,
    produceRate: produce[i] ?? null,
  }));
  return { points: withGaps(points, sampleMs, (ts) => ({ ts, totalLag: null, produceRate: null }), now) };
}

/** Every group's status over the last window, in one query. */
export function groupStatuses(store: HistoryStore, cluster: string, now = Date.now()): Map<string, LagVerdict> {
  const byGroup = new Map<string, { ts: number; lag: number | null; committed: number | null; members: number }[]>();
  for (const r of store.allGroupSeries(cluster, now - STATUS_WINDOW_MS)) {
    byGroup.set(r.groupId, [...(byGroup.get(r.groupId) ?? []), r]);
  }
  return new Map([...byGroup.entries()].map(([g, rows]) => [g, evaluateLag(rows)]));
}
