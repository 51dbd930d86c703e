import { describe, expect, it } from "vitest";
import { latestOf, metricsRefetchMs, pivotNodes } from "./metric-series";
import type { BrokerMetricsHistory, NodeMetricPoint } from "./types";

const point = (ts: number, bytesIn: number | null) => ({ ts, bytesIn }) as unknown as NodeMetricPoint;

describe("pivotNodes", () => {
  it("puts each node's value under its own key per time, and a stopped node's blank as null", () => {
    const nodes: BrokerMetricsHistory["nodes"] = [
      { id: 1, role: "broker", points: [point(0, 10), point(5, 11), point(10, 12)] },
      { id: 3, role: "broker", points: [point(0, 30), point(5, null), point(10, null)] },
    ];
    expect(pivotNodes(nodes, "bytesIn")).toEqual([
      { ts: 0, n1: 10, n3: 30 },
      { ts: 5, n1: 11, n3: null },
      { ts: 10, n1: 12, n3: null },
    ]);
    expect(latestOf(nodes[0] as BrokerMetricsHistory["nodes"][number], "bytesIn")).toBe(12);
    expect(latestOf(nodes[1] as BrokerMetricsHistory["nodes"][number], "bytesIn")).toBeNull();
  });
});

describe("metricsRefetchMs", () => {
  const now = 1_800_000_000_000;
  /** An answer whose samples go back `ms` (one node), at `sampleMs`. */
  const answer = (ms: number | null, sampleMs = 5000) => ({
    sampleMs,
    now,
    nodes: [{ id: 1, role: "broker" as const, points: ms === null ? [] : [point(now - ms, 1), point(now, 2)] }],
  });

  it("polls at the sampling pace while a point is one sample, then once per point drawn", () => {
    expect(metricsRefetchMs(15, answer(15 * 60_000))).toBe(5000); // 180 samples: each its own point
    expect(metricsRefetchMs(60, answer(60 * 60_000))).toBe(6000); // 720 samples in 600 points
    expect(metricsRefetchMs(6 * 60, answer(6 * 3_600_000))).toBe(36_000);
    expect(metricsRefetchMs(24 * 60, answer(24 * 3_600_000))).toBe(144_000);
    expect(metricsRefetchMs(15, answer(15 * 60_000, 10_000))).toBe(10_000); // a slower sampler sets the pace
  });

  it("goes by the span the samples cover, not the range: a young lab is read at the sampling pace", () => {
    expect(metricsRefetchMs(24 * 60, answer(60_000))).toBe(5000);
    expect(metricsRefetchMs(24 * 60, answer(null))).toBe(5000); // no sample yet
    expect(metricsRefetchMs(24 * 60, answer(3 * 3_600_000))).toBe(18_000);
    expect(metricsRefetchMs(24 * 60)).toBe(144_000); // before any answer: the range
  });
});
