import "server-only";
import { evaluateLag, type LagSample, type LagVerdict } from "@/lib/lag-status";
import type { ClusterHistory, GroupHistory, TopicHistory } from "@/lib/types";
import type { HistoryStore } from "./history-store";
import {
  bounded,
  type GroupRun,
  gapOf,
  MAX_POINTS,
  mergeCluster,
  mergeGroup,
  mergeTopic,
  samplesOf,
  toPoints,
} from "./runs";

/** Lag status is judged over this window of samples. */
export const STATUS_WINDOW_MS = 60_000;

/**
 * Each series below has at most MAX_POINTS points (a long range is merged into time buckets: lag
 * as its largest value per bucket, rates as the exact increase over each bucket) and a blank point
 * (values null) wherever no sample was taken for longer than a few sample intervals (see
 * `toPoints`): Quorum was stopped, the cluster did not answer, or the snapshot was partial and the
 * sample was skipped. The interval is the store's `sampleMs`.
 */
export function groupHistory(
  store: HistoryStore,
  cluster: string,
  groupId: string,
  minutes: number,
  now = Date.now(),
  maxPoints = MAX_POINTS,
): GroupHistory {
  const { sampleMs } = store;
  const since = now - minutes * 60_000;
  const runs = store.groupSeries(cluster, groupId, since);
  const verdict = evaluateLag(lagSamples(runs, now - STATUS_WINDOW_MS));
  const points = toPoints(bounded(runs, since, now, gapOf(sampleMs), mergeGroup, maxPoints), {
    sampleMs,
    since,
    now,
    counter: (r) => ({ c0: r.committed0, c: r.committed }),
    point: (r, ts, consumeRate): GroupHistory["points"][number] => ({ ts, lag: r.lag, consumeRate, lagMs: r.lagMs }),
    blank: (ts) => ({ ts, lag: null, consumeRate: null, lagMs: null }),
  });
  return { ...verdict, points };
}

export function topicHistory(
  store: HistoryStore,
  cluster: string,
  topic: string,
  minutes: number,
  now = Date.now(),
  maxPoints = MAX_POINTS,
): TopicHistory {
  const { sampleMs } = store;
  const since = now - minutes * 60_000;
  const runs = store.topicSeries(cluster, topic, since);
  const points = toPoints(bounded(runs, since, now, gapOf(sampleMs), mergeTopic, maxPoints), {
    sampleMs,
    since,
    now,
    counter: (r) => ({ c0: r.logEnd0, c: r.logEnd }),
    point: (r, ts, produceRate): TopicHistory["points"][number] => ({
      ts,
      messages: r.logEnd - r.logStart,
      produceRate,
    }),
    blank: (ts) => ({ ts, messages: null, produceRate: null }),
  });
  return { points };
}

export function clusterHistory(
  store: HistoryStore,
  cluster: string,
  minutes: number,
  now = Date.now(),
  maxPoints = MAX_POINTS,
): ClusterHistory {
  const { sampleMs } = store;
  const since = now - minutes * 60_000;
  const runs = store.clusterSeries(cluster, since);
  const points = toPoints(bounded(runs, since, now, gapOf(sampleMs), mergeCluster, maxPoints), {
    sampleMs,
    since,
    now,
    counter: (r) => ({ c0: r.logEnd0, c: r.logEnd }),
    point: (r, ts, produceRate): ClusterHistory["points"][number] => ({ ts, totalLag: r.totalLag, produceRate }),
    blank: (ts) => ({ ts, totalLag: null, produceRate: null }),
  });
  return { points };
}

type StatusRun = Pick<GroupRun, "ts0" | "ts" | "n" | "lag" | "committed" | "members">;

/** The samples a group's runs stand for since a time (a run of unchanged values is n equal samples). */
function lagSamples(runs: StatusRun[], since: number): LagSample[] {
  const out: LagSample[] = [];
  for (const r of runs) {
    if (r.n <= 1) {
      if (r.ts >= since) out.push({ ts: r.ts, lag: r.lag, committed: r.committed, members: r.members });
      continue;
    }
    for (const ts of samplesOf(r, since)) out.push({ ts, lag: r.lag, committed: r.committed, members: r.members });
  }
  return out;
}

/** Every group's status over the last window (or only the named groups': one page of the list), in one query. */
export function groupStatuses(
  store: HistoryStore,
  cluster: string,
  now = Date.now(),
  groupIds?: readonly string[],
): Map<string, LagVerdict> {
  const since = now - STATUS_WINDOW_MS;
  const byGroup = new Map<string, StatusRun[]>();
  for (const r of store.allGroupSeries(cluster, since, groupIds)) {
    const list = byGroup.get(r.groupId);
    if (list) list.push(r);
    else byGroup.set(r.groupId, [r]);
  }
  const out = new Map<string, LagVerdict>();
  for (const [g, runs] of byGroup) out.set(g, evaluateLag(lagSamples(runs, since)));
  return out;
}
