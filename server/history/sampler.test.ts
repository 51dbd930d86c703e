import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ClusterService } from "../cluster-service";
import type { ClusterSnapshot } from "../kafka/snapshot";
import { HistoryStore } from "./history-store";
import { HistorySampler, sampleMaxAgeMs } from "./sampler";

const snapshotOf = (takenAt: number, durationMs: number): ClusterSnapshot => ({
  takenAt,
  durationMs,
  requests: 1,
  clusterId: "c",
  brokers: [],
  quorum: null,
  topics: [
    {
      name: "t",
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
          latestOffset: takenAt, // a new value each time: a new row each sample
        },
      ],
    },
  ],
  groups: [],
  errors: [],
  complete: true,
  partial: { metadata: false, offsets: false, groups: false, quorum: false, elr: false },
});

describe("history sampler: the snapshot age it asks for", () => {
  it("is half the interval while snapshots are quick, four times the last one's duration when they are slow", () => {
    expect(sampleMaxAgeMs(2000, 0)).toBe(1000);
    expect(sampleMaxAgeMs(2000, 40)).toBe(1000);
    expect(sampleMaxAgeMs(2000, 800)).toBe(3200);
    expect(sampleMaxAgeMs(2000, 2500)).toBe(10_000);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-sampler-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("asks each sample for a snapshot as old as the last one it sampled allows", async () => {
    const asked: number[] = [];
    const durations = [900, 900, 30];
    let now = 1_000_000;
    const cluster = {
      id: "c",
      snapshot: async (maxAgeMs: number) => {
        asked.push(maxAgeMs);
        now += 2000;
        return snapshotOf(now, durations[asked.length - 1] ?? 0);
      },
    } as unknown as ClusterService;
    const store = new HistoryStore(path.join(dir, "history.sqlite"), 2000);
    const sampler = new HistorySampler(cluster, store, 2000, 3_600_000);
    for (let i = 0; i < 3; i++) await sampler.sample();
    // First: nothing known yet (half the interval); then 4 × 900 ms; then 4 × 900 ms again; the
    // quick third snapshot brings the age back to half the interval for the one after.
    expect(asked).toEqual([1000, 3600, 3600]);
    await sampler.sample();
    expect(asked[3]).toBe(1000);
    // Each snapshot was recorded: the topic's offsets changed every time, so one row per sample
    // for the topic and one for the cluster's totals.
    expect(store.rowCount("c")).toBe(8);
    store.close();
  });
});
