import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ClusterEvent, NodeMetricValues } from "@/lib/types";
import { HistoryStore } from "../history/history-store";
import { NO_VALUES } from "./node-values";
import { brokerMetricsHistory, chartMarkers } from "./queries";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-metrics-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const v = (over: Partial<NodeMetricValues>): NodeMetricValues => ({ ...NO_VALUES, ...over });
const SAMPLE = 5000;

function storeWith(rounds: [number, { node: number; role?: "broker" | "controller"; values: NodeMetricValues }[]][]) {
  const store = new HistoryStore(path.join(dir, `${Math.random()}.db`), 2000);
  for (const [ts, rows] of rounds)
    store.recordNodeMetrics(
      "c",
      ts,
      rows.map((r) => ({ role: "broker", ...r })),
    );
  return store;
}

describe("broker metrics history", () => {
  it("draws a stopped broker's series ending in a gap while the others go on, and the Health panel says who reported", () => {
    const t0 = 1_000_000;
    const rounds: Parameters<typeof storeWith>[0] = [];
    for (let i = 0; i < 10; i++) {
      const ts = t0 + i * SAMPLE;
      const rows = [
        { node: 101, role: "controller" as const, values: v({ activeController: 1, offlinePartitions: 0 }) },
        { node: 1, values: v({ bytesIn: 100, underReplicated: i >= 4 ? 2 : 0 }) },
        { node: 2, values: v({ bytesIn: 200, underReplicated: i >= 4 ? 1 : 0 }) },
      ];
      // Broker 3 stops after the fourth round.
      if (i < 4) rows.push({ node: 3, values: v({ bytesIn: 300, underReplicated: 0 }) });
      rounds.push([ts, rows]);
    }
    const store = storeWith(rounds);
    const now = t0 + 9 * SAMPLE + 1000;
    const h = brokerMetricsHistory(store, "c", {
      minutes: 15,
      sampleMs: SAMPLE,
      enabled: true,
      brokers: 3,
      events: [],
      now,
    });
    const b3 = h.nodes.find((n) => n.id === 3);
    expect(b3?.points.filter((p) => p.bytesIn !== null)).toHaveLength(4);
    // After its last sample: a blank at the first round it missed (one the others answered, so
    // their lines do not break there), and nothing after: the line ends.
    expect(b3?.points.at(-1)).toMatchObject({ ts: t0 + 4 * SAMPLE, bytesIn: null });
    const b1 = h.nodes.find((n) => n.id === 1);
    expect(b1?.points.map((p) => p.ts)).toContain(t0 + 4 * SAMPLE);
    expect(b1?.points.every((p) => p.bytesIn === 100)).toBe(true);
    expect(h.health.expected).toBe(3);
    expect(h.health.points[0]).toMatchObject({ underReplicated: 0, bytesIn: 600, reporting: 3, activeControllers: 1 });
    expect(h.health.points.at(-1)).toMatchObject({
      underReplicated: 3,
      bytesIn: 300,
      reporting: 2,
      offlinePartitions: 0,
    });
    store.close();
  });

  it("leaves a blank where no round was taken, and merges a long range into buckets without hiding a peak", () => {
    const t0 = 2_000_000;
    const rounds: Parameters<typeof storeWith>[0] = [];
    for (let i = 0; i < 40; i++) {
      if (i >= 10 && i < 20) continue; // Quorum was down for 50 s.
      rounds.push([t0 + i * SAMPLE, [{ node: 1, values: v({ bytesIn: i, underReplicated: i === 31 ? 9 : 0 }) }]]);
    }
    const store = storeWith(rounds);
    const now = t0 + 39 * SAMPLE;
    const full = brokerMetricsHistory(store, "c", {
      minutes: 5,
      sampleMs: SAMPLE,
      enabled: true,
      brokers: 1,
      events: [],
      now,
    });
    const points = full.nodes[0]?.points ?? [];
    expect(points.filter((p) => p.bytesIn === null)).toHaveLength(1);
    expect(points.find((p) => p.bytesIn === null)?.ts).toBe(t0 + 9 * SAMPLE + SAMPLE);
    const merged = brokerMetricsHistory(store, "c", {
      minutes: 5,
      sampleMs: SAMPLE,
      enabled: true,
      brokers: 1,
      events: [],
      now,
      maxPoints: 10,
    });
    const mp = merged.nodes[0]?.points ?? [];
    expect(mp.filter((p) => p.bytesIn !== null).length).toBeLessThanOrEqual(12);
    expect(mp.filter((p) => p.bytesIn === null)).toHaveLength(1);
    expect(Math.max(...mp.map((p) => p.underReplicated ?? 0))).toBe(9);
    const hp = merged.health.points;
    expect(hp.length).toBeLessThanOrEqual(12);
    expect(hp.filter((p) => p.reporting === null)).toHaveLength(1);
    expect(Math.max(...hp.map((p) => p.underReplicated ?? 0))).toBe(9);
    store.close();
  });

  it("marks brokers stopping and starting, and leader moves one marker per second with their count", () => {
    const ev = (ts: number, data: object) => ({ id: String(ts), cluster: "c", ts, ...data }) as ClusterEvent;
    const markers = chartMarkers(
      [
        ev(500, { type: "broker-down", broker: 9 }),
        ev(1000, { type: "broker-down", broker: 2 }),
        ev(1100, { type: "leader-changed", topic: "t", partition: 0, from: 2, to: 1 }),
        ev(1900, { type: "leader-changed", topic: "t", partition: 1, from: 2, to: 3 }),
        ev(2100, { type: "leader-changed", topic: "t", partition: 2, from: 2, to: 3 }),
        ev(3000, { type: "topic-created", topic: "x", partitions: 1 }),
        ev(4000, { type: "broker-up", broker: 2 }),
      ],
      800,
    );
    expect(markers.map((m) => m.label)).toEqual(["broker 2 down", "2 leaders moved", "1 leader moved", "broker 2 up"]);
    expect(markers[0]).toMatchObject({ kind: "broker-down", broker: 2 });
    expect(markers.filter((m) => m.kind === "leaders-moved").map((m) => m.count)).toEqual([2, 1]);
  });

  it("says which controller leads after a change (null: none)", () => {
    const ev = (ts: number, data: object) => ({ id: String(ts), cluster: "c", ts, ...data }) as ClusterEvent;
    const markers = chartMarkers(
      [
        ev(1000, { type: "controller-changed", from: 1, to: 2 }),
        ev(2000, { type: "controller-changed", from: 2, to: null }),
      ],
      0,
    );
    expect(markers.map((m) => [m.controller, m.label])).toEqual([
      [2, "controller 2"],
      [null, "controller none"],
    ]);
  });
});
