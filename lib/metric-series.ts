import type { BrokerMetricsHistory, NodeMetricKey } from "./types";

/** The most points a history answer holds, whatever its time range (longer ranges are merged into buckets). */
export const MAX_CHART_POINTS = 600;

/**
 * The range the latest values come from: its answer holds every sample while they are at least
 * 1.5 s apart (900 s / MAX_CHART_POINTS; the default is 5 s), so its last point is the last sample.
 */
export const LATEST_MINUTES = 15;

/**
 * How often a broker-metrics range is asked for again: at the sampling pace while its points are
 * single samples, else once per point it draws (24 h of samples: every 144 s). Reading a range costs
 * the server every sample in it, and its chart only moves once per point. What counts is the span
 * the last answer held samples for, not the range: a lab started a minute ago is read every 5 s at
 * any range.
 */
export function metricsRefetchMs(
  minutes: number,
  last?: Pick<BrokerMetricsHistory, "sampleMs" | "now" | "nodes">,
): number {
  const sampleMs = last?.sampleMs ?? 5000;
  const first = Math.min(...(last?.nodes ?? []).map((n) => n.points[0]?.ts ?? Number.POSITIVE_INFINITY));
  const span = last ? (Number.isFinite(first) ? last.now - first : 0) : minutes * 60_000;
  return Math.max(sampleMs, Math.ceil(Math.min(span, minutes * 60_000) / MAX_CHART_POINTS));
}

/** A chart's points with one key per node (`n1`, `n2`, …): the rounds of all nodes share their times. */
export type PivotPoint = { ts: number } & Record<string, number | null>;

/**
 * One value of several nodes as one chart: a point per time any node has a point, holding each
 * node's value there under `n<id>`. A node's blank point (no sample) is a null under its key, so its
 * line breaks there while the others go on; a node without a point at a time has no key there.
 */
export function pivotNodes(nodes: BrokerMetricsHistory["nodes"], key: NodeMetricKey): PivotPoint[] {
  const byTs = new Map<number, PivotPoint>();
  for (const n of nodes) {
    for (const p of n.points) {
      let row = byTs.get(p.ts);
      if (!row) {
        row = { ts: p.ts } as PivotPoint;
        byTs.set(p.ts, row);
      }
      row[`n${n.id}`] = p[key];
    }
  }
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}

/** A node's latest sampled value of `key` (null when it has none, or its last point is a blank). */
export function latestOf(node: BrokerMetricsHistory["nodes"][number], key: NodeMetricKey): number | null {
  const last = node.points[node.points.length - 1];
  return last ? last[key] : null;
}
