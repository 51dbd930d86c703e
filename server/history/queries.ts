import "server-only";
import { evaluateLag, type LagVerdict } from "@/lib/lag-status";
import type { ClusterHistory, GroupHistory, TopicHistory } from "@/lib/types";
import { type HistoryStore, rates } from "./history-store";

/** Lag status is judged over this window of samples. */
export const STATUS_WINDOW_MS = 60_000;

export function groupHistory(
  store: HistoryStore,
  cluster: string,
  groupId: string,
  minutes: number,
  now = Date.now(),
): GroupHistory {
  const rows = store.groupSeries(cluster, groupId, now - minutes * 60_000);
  const consume = rates(rows, (r) => r.committed);
  const verdict = evaluateLag(rows.filter((r) => r.ts >= now - STATUS_WINDOW_MS));
  return {
    ...verdict,
    points: rows.map((r, i) => ({ ts: r.ts, lag: r.lag, consumeRate: consume[i]?.rate ?? null })),
  };
}

export function topicHistory(
  store: HistoryStore,
  cluster: string,
  topic: string,
  minutes: number,
  now = Date.now(),
): TopicHistory {
  const rows = store.topicSeries(cluster, topic, now - minutes * 60_000);
  const produce = rates(rows, (r) => r.logEnd);
  return {
    points: rows.map((r, i) => ({ ts: r.ts, messages: r.logEnd - r.logStart, produceRate: produce[i]?.rate ?? null })),
  };
}

export function clusterHistory(
  store: HistoryStore,
  cluster: string,
  minutes: number,
  now = Date.now(),
): ClusterHistory {
  const rows = store.clusterSeries(cluster, now - minutes * 60_000);
  const produce = rates(rows, (r) => r.logEnd);
  return { points: rows.map((r, i) => ({ ts: r.ts, totalLag: r.totalLag, produceRate: produce[i]?.rate ?? null })) };
}

/** Every group's status over the last window, in one query. */
export function groupStatuses(store: HistoryStore, cluster: string, now = Date.now()): Map<string, LagVerdict> {
  const byGroup = new Map<string, { ts: number; lag: number | null; committed: number | null; members: number }[]>();
  for (const r of store.allGroupSeries(cluster, now - STATUS_WINDOW_MS)) {
    byGroup.set(r.groupId, [...(byGroup.get(r.groupId) ?? []), r]);
  }
  return new Map([...byGroup.entries()].map(([g, rows]) => [g, evaluateLag(rows)]));
}
