import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HistoryStore } from "./history-store";
import { clusterHistory, groupHistory, groupStatuses, topicHistory } from "./queries";
import { MAX_POINTS } from "./runs";
import { sampleOf } from "./sample-of";

const SAMPLE_MS = 2000;

/** A one-topic, one-group snapshot: `logEnd` null is a broker that timed out on ListOffsets. */
const snap = (takenAt: number, logEnd: number | null, committed = 0) => ({
  takenAt,
  partial: { metadata: false, offsets: logEnd === null, groups: false },
  topics: [
    {
      name: "orders",
      topicId: null,
      internal: false,
      partitions: [
        {
          partition: 0,
          leader: 1,
          leaderEpoch: 0,
          replicas: [1],
          isr: [1],
          offlineReplicas: [],
          elr: null,
          lastKnownElr: null,
          earliestOffset: 0,
          latestOffset: logEnd,
        },
      ],
    },
  ],
  groups: [
    {
      groupId: "billing",
      state: "Stable",
      protocolType: "consumer",
      protocol: "range",
      coordinator: 1,
      type: "classic" as const,
      groupEpoch: null,
      assignmentEpoch: null,
      complete: true,
      members: [],
      offsets: [
        {
          topic: "orders",
          partition: 0,
          committedOffset: committed,
          logEndOffset: logEnd,
          lag: logEnd === null ? null : logEnd - committed,
        },
      ],
    },
  ],
});

describe("history queries", () => {
  let dir: string;
  let store: HistoryStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-history-"));
    store = new HistoryStore(path.join(dir, "history.sqlite"), SAMPLE_MS);
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a partial sample leaves no 0 and no spike; a long silence is a gap", () => {
    const t0 = 1_000_000;
    // 100 messages per second; the sample at t0+4s is partial; then nothing for a minute.
    const offsets: [number, number | null][] = [
      [t0, 1000],
      [t0 + 2000, 1200],
      [t0 + 4000, null],
      [t0 + 6000, 1600],
      [t0 + 8000, 1800],
      [t0 + 68_000, 7800],
      [t0 + 70_000, 8000],
    ];
    for (const [ts, end] of offsets) store.record("c", sampleOf(snap(ts, end, 900)));
    const now = t0 + 71_000;

    const topic = topicHistory(store, "c", "orders", 15, now).points;
    expect(topic.map((p) => p.ts)).toEqual([
      t0,
      t0 + 2000,
      t0 + 6000,
      t0 + 8000,
      t0 + 10_000,
      t0 + 68_000,
      t0 + 70_000,
    ]);
    expect(topic.map((p) => p.messages)).toEqual([1000, 1200, 1600, 1800, null, 7800, 8000]);
    // Between adjacent real samples only: 4 s over the skipped one is still 100/s, never a spike.
    expect(topic.map((p) => p.produceRate)).toEqual([null, 100, 100, 100, null, null, 100]);

    const cluster = clusterHistory(store, "c", 15, now).points;
    expect(cluster.map((p) => p.totalLag)).toEqual([100, 300, 700, 900, null, 6900, 7100]);
    expect(Math.max(...cluster.map((p) => p.produceRate ?? 0))).toBe(100);

    const group = groupHistory(store, "c", "billing", 15, now).points;
    expect(group.map((p) => p.lag)).toEqual([100, 300, 700, 900, null, 6900, 7100]);
    expect(group.some((p) => p.lag === 0)).toBe(false);
  });

  it("shows that nothing was sampled lately with a blank point at now", () => {
    store.record("c", sampleOf(snap(0, 10)));
    store.record("c", sampleOf(snap(2000, 20)));
    const points = clusterHistory(store, "c", 15, 30_000).points;
    expect(points.at(-1)).toEqual({ ts: 30_000, totalLag: null, produceRate: null });
  });

  it("a 4-minute outage is a null point between its two sides in every history, not a line down to 0", () => {
    const t0 = 1_000_000;
    const times: number[] = [];
    for (let ts = t0; ts <= t0 + 60_000; ts += 2000) times.push(ts);
    for (let ts = t0 + 300_000; ts <= t0 + 360_000; ts += 2000) times.push(ts);
    // 100 messages per second, the group 50 behind.
    for (const ts of times) store.record("c", sampleOf(snap(ts, 1000 + (ts - t0) / 10, 950 + (ts - t0) / 10)));
    const now = t0 + 361_000;
    const histories = [
      groupHistory(store, "c", "billing", 15, now).points.map((p) => ({ ts: p.ts, v: p.lag, rate: p.consumeRate })),
      topicHistory(store, "c", "orders", 15, now).points.map((p) => ({ ts: p.ts, v: p.messages, rate: p.produceRate })),
      clusterHistory(store, "c", 15, now).points.map((p) => ({ ts: p.ts, v: p.totalLag, rate: p.produceRate })),
    ];
    for (const points of histories) {
      const i = points.findIndex((p) => p.v === null);
      expect(points.filter((p) => p.v === null)).toEqual([{ ts: t0 + 62_000, v: null, rate: null }]);
      expect(points[i - 1]?.ts).toBe(t0 + 60_000);
      expect(points[i + 1]?.ts).toBe(t0 + 300_000);
      expect(points.some((p) => p.v === 0)).toBe(false);
      expect(points[i + 1]?.rate).toBeNull();
      expect(new Set(points.map((p) => p.rate).filter((r) => r !== null))).toEqual(new Set([100]));
    }
  });

  it("a group idle with lag for a minute is judged on all its samples though they are one row", () => {
    // Lag 100, nothing committed, no member: STOPPED.
    const t0 = 1_000_000;
    for (let ts = t0; ts <= t0 + 60_000; ts += 2000) store.record("c", sampleOf(snap(ts, 1000, 900)));
    expect(store.groupSeries("c", "billing", 0)).toHaveLength(1);
    const now = t0 + 61_000;
    expect(groupHistory(store, "c", "billing", 15, now).status).toBe("STOPPED");
    expect(groupStatuses(store, "c", now).get("billing")?.status).toBe("STOPPED");
    // One page's groups only: the named group is judged alike, others are not read.
    expect(groupStatuses(store, "c", now, ["billing"]).get("billing")?.status).toBe("STOPPED");
    expect(groupStatuses(store, "c", now, ["someone-else"]).size).toBe(0);
    expect(groupHistory(store, "c", "billing", 15, now).points.map((p) => [p.ts, p.lag])).toEqual([
      [t0, 100],
      [t0 + 60_000, 100],
    ]);
  });

  it("a day of history comes back as at most MAX_POINTS points", () => {
    // A sample every 20 s for a day (to keep the test short), the topic growing 100/s.
    const slow = new HistoryStore(path.join(dir, "slow.sqlite"), 20_000, { maxRows: 1_000_000 });
    const t0 = 10_000_000;
    const day = 24 * 3_600_000;
    for (let ts = t0; ts < t0 + day; ts += 20_000) slow.record("c", sampleOf(snap(ts, (ts - t0) / 10, 0)));
    const now = t0 + day;
    const store = slow;
    for (const points of [
      topicHistory(store, "c", "orders", 24 * 60, now).points,
      groupHistory(store, "c", "billing", 24 * 60, now).points,
      clusterHistory(store, "c", 24 * 60, now).points,
    ]) {
      expect(points.length).toBeLessThanOrEqual(MAX_POINTS);
      expect(points.length).toBeGreaterThan(100);
      // No gap anywhere, every value known (but the first point's rate: nothing before it; and lag
      // in time, which sampleOf leaves to the sampler).
      const known = points.slice(1).map(({ ts, ...p }) => Object.entries(p).filter(([k]) => k !== "lagMs"));
      expect(known.every((p) => p.every(([, v]) => v !== null))).toBe(true);
    }
    const rates = topicHistory(store, "c", "orders", 24 * 60, now).points.map((p) => p.produceRate);
    expect(new Set(rates.slice(1))).toEqual(new Set([100]));
    slow.close();
  }, 120_000);
});
