import type { BrokerMetricsHistory, NodeMetricKey } from "./types";

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
