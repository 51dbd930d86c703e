import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { GroupActionRecord } from "@/lib/types";
import { MAX_GROUP_ACTIONS } from "../clusters/group-actions-log";
import { HistoryStore } from "./history-store";
import type { Sample } from "./sample-of";

describe("history store: lag in time", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-store-"));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("adds the lag_ms column to a store written before it, keeping old rows (null there)", () => {
    const file = path.join(dir, "history.db");
    const old = new Database(file);
    old.exec(
      "CREATE TABLE group_samples (cluster TEXT NOT NULL, group_id TEXT NOT NULL, ts INTEGER NOT NULL, lag INTEGER, committed INTEGER, log_end INTEGER, members INTEGER NOT NULL)",
    );
    old.prepare("INSERT INTO group_samples VALUES ('c', 'g', 1000, 5, 10, 15, 1)").run();
    old.close();
    const store = new HistoryStore(file, 2000);
    store.record("c", {
      ts: 3000,
      topics: [],
      groups: [{ groupId: "g", lag: 2, committed: 13, logEnd: 15, members: 1, lagMs: 4200 }],
      cluster: null,
      skipped: { topics: [], groups: [] },
    });
    expect(store.groupSeries("c", "g", 0).map((r) => [r.ts, r.lag, r.lagMs])).toEqual([
      [1000, 5, null],
      [3000, 2, 4200],
    ]);
    store.close();
  });
});

describe("history store: group actions", () => {
  const action = (groupId: string, ts: number, summary = `at ${ts}`): GroupActionRecord => ({
    ts,
    groupId,
    action: "reset-offsets",
    by: "API client",
    summary,
    changes: [{ topic: "orders", partition: 0, from: ts, to: 0 }],
    command: `kafka-consumer-groups.sh --group ${groupId} --execute`,
  });

  it("keeps them across a close and reopen of the file, oldest first, per cluster and group", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-actions-"));
    try {
      const file = path.join(dir, "history.sqlite");
      const first = new HistoryStore(file, 2000);
      first.actions.record("c1", action("billing", 3000));
      first.actions.record("c1", action("billing", 1000));
      first.actions.record("c1", action("audit", 2000));
      first.actions.record("c2", action("billing", 1500));
      first.close();
      const again = new HistoryStore(file, 2000);
      expect(again.actions.list("c1", "billing")).toEqual([action("billing", 1000), action("billing", 3000)]);
      expect(again.actions.list("c1", "audit")).toEqual([action("audit", 2000)]);
      expect(again.actions.list("c2", "billing")).toEqual([action("billing", 1500)]);
      expect(again.actions.list("c2", "audit")).toEqual([]);
      again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the last MAX_GROUP_ACTIONS of each cluster", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-actions-"));
    try {
      const store = new HistoryStore(path.join(dir, "history.sqlite"), 2000);
      store.actions.record("other", action("g", 1));
      for (let i = 0; i < MAX_GROUP_ACTIONS + 3; i++) store.actions.record("c", action("g", 10 + i));
      const kept = store.actions.list("c", "g");
      expect(kept).toHaveLength(MAX_GROUP_ACTIONS);
      expect(kept[0]?.ts).toBe(13);
      expect(kept.at(-1)?.ts).toBe(10 + MAX_GROUP_ACTIONS + 2);
      expect(store.actions.list("other", "g")).toEqual([action("g", 1)]);
      store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("history store: runs, downsampling and the row budget", () => {
  let dir: string;
  let store: HistoryStore;
  const open = (maxRows = 1_000_000) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-runs-"));
    store = new HistoryStore(path.join(dir, "history.sqlite"), 2000, { maxRows });
    return store;
  };
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** One topic and one group: the topic gets `rate` messages per second, the group commits all but `lag`. */
  const sample = (ts: number, opts: { rate?: number; lag?: number; topics?: number } = {}): Sample => {
    const logEnd = Math.floor((ts / 1000) * (opts.rate ?? 0));
    const lag = opts.lag ?? 0;
    return {
      ts,
      topics: Array.from({ length: opts.topics ?? 1 }, (_, i) => ({ topic: `t${i}`, logEnd, logStart: 0 })),
      groups: [{ groupId: "g", lag, committed: logEnd - lag, logEnd, members: 1, lagMs: 0 }],
      cluster: { totalLag: lag, logEnd },
      skipped: { topics: [], groups: [] },
    };
  };
  const count = (table: string) =>
    (
      new Database(path.join(dir, "history.sqlite"), { readonly: true })
        .prepare(`SELECT count(*) AS n FROM ${table}`)
        .get() as { n: number }
    ).n;

  it("an idle series is one row however many samples, and a change or a skipped sample starts a new one", () => {
    open();
    for (let ts = 0; ts < 20_000; ts += 2000) store.record("c", sample(ts));
    expect(store.topicSeries("c", "t0", 0)).toEqual([
      { ts0: 0, ts: 18_000, n: 10, logEnd0: 0, logEnd: 0, logStart: 0 },
    ]);
    expect(store.rowCount("c")).toBe(3);
    // The group is skipped once (partial snapshot): its run ends there; the topic's goes on.
    store.record("c", { ...sample(20_000), groups: [], cluster: null, skipped: { topics: [], groups: ["g"] } });
    store.record("c", sample(22_000));
    expect(store.groupSeries("c", "g", 0).map((r) => [r.ts0, r.ts, r.n])).toEqual([
      [0, 18_000, 10],
      [22_000, 22_000, 1],
    ]);
    expect(store.topicSeries("c", "t0", 0).map((r) => [r.ts0, r.ts, r.n])).toEqual([[0, 22_000, 12]]);
    // A change: a new row.
    store.record("c", sample(24_000, { lag: 3 }));
    expect(store.groupSeries("c", "g", 0).map((r) => [r.ts, r.lag])).toEqual([
      [18_000, 0],
      [22_000, 0],
      [24_000, 3],
    ]);
    expect(store.rowCount("c")).toBe(count("group_samples") + count("topic_samples") + count("cluster_samples"));
  });

  it("after a silence longer than the gap allowance, unchanged values still start a new row", () => {
    open();
    store.record("c", sample(0));
    store.record("c", sample(2000));
    store.record("c", sample(60_000));
    expect(store.topicSeries("c", "t0", 0).map((r) => [r.ts0, r.ts])).toEqual([
      [0, 2000],
      [60_000, 60_000],
    ]);
  });

  it("merges rows older than 5 minutes into 10-second buckets and older than 15 into 1-minute buckets, keeping gaps and the newest rows as they are", () => {
    open();
    const t0 = 1_700_000_000_000 - (1_700_000_000_000 % 60_000);
    // 40 minutes of samples at 50 messages/s, lag changing every sample, a 4-minute hole at minute 5.
    const times: number[] = [];
    for (let ts = t0; ts < t0 + 40 * 60_000; ts += 2000) {
      if (ts >= t0 + 5 * 60_000 && ts < t0 + 9 * 60_000) continue;
      times.push(ts);
    }
    for (const ts of times) store.record("c", sample(ts, { rate: 50, lag: (ts / 2000) % 7 }));
    const last = times.at(-1) as number;
    const runs = store.groupSeries("c", "g", 0);
    const old = runs.filter((r) => r.ts < last - 16 * 60_000);
    const middle = runs.filter((r) => r.ts < last - 6 * 60_000 && r.ts >= last - 15 * 60_000);
    const recent = runs.filter((r) => r.ts >= last - 5 * 60_000);
    // Older than 15 minutes: one row per minute (per side of the hole), each with its 30 samples or fewer.
    expect(old.length).toBeGreaterThan(10);
    for (const r of old) {
      expect(Math.floor(r.ts0 / 60_000)).toBe(Math.floor(r.ts / 60_000));
      expect(r.n).toBeLessThanOrEqual(30);
    }
    expect(old.reduce((n, r) => n + r.n, 0)).toBe(times.filter((ts) => ts <= (old.at(-1)?.ts ?? 0)).length);
    expect(old.every((r) => r.lag === 6)).toBe(true);
    // 5 to 15 minutes old: 10-second buckets.
    expect(middle.length).toBeGreaterThan(40);
    for (const r of middle) {
      expect(Math.floor(r.ts0 / 10_000)).toBe(Math.floor(r.ts / 10_000));
      expect(r.n).toBeGreaterThan(1);
      expect(r.n).toBeLessThanOrEqual(5);
    }
    // The last 5 minutes: one row per sample.
    expect(recent.every((r) => r.n === 1)).toBe(true);
    expect(recent.length).toBe(times.filter((ts) => ts >= last - 5 * 60_000).length);
    // The hole is still there: no run crosses it.
    expect(runs.some((r) => r.ts0 < t0 + 5 * 60_000 && r.ts >= t0 + 9 * 60_000)).toBe(false);
    // The topic's counter keeps its first and last value: the increase over a bucket is exact.
    for (const r of store.topicSeries("c", "t0", 0).filter((x) => x.n > 1)) {
      expect(r.logEnd - r.logEnd0).toBe(Math.floor((r.ts / 1000) * 50) - Math.floor((r.ts0 / 1000) * 50));
    }
  }, 60_000);

  it("holds the cluster within its row budget, dropping the oldest rows first", () => {
    open(300);
    const t0 = 1_000_000;
    let ts = t0;
    for (; ts < t0 + 400 * 2000; ts += 2000) {
      store.record("c", sample(ts, { rate: 10, topics: 3 }));
      store.record("other", sample(ts, { rate: 10 }));
      expect(store.rowCount("c")).toBeLessThanOrEqual(300);
    }
    const newest = ts - 2000;
    const rows = store.topicSeries("c", "t2", 0);
    expect(rows.at(-1)?.ts).toBe(newest);
    // What is left is the newest stretch, without holes.
    const kept = rows.map((r) => r.ts);
    expect(kept).toEqual(kept.map((_, i) => newest - (kept.length - 1 - i) * 2000));
    expect(kept.length).toBeGreaterThan(40);
    // The budget is per cluster: "other" (3 rows per sample) reached its own 300 alone, untouched by "c".
    expect(store.rowCount("other")).toBeLessThanOrEqual(300);
    expect(store.clusterSeries("other", 0).at(-1)?.ts).toBe(newest);
    expect(store.rowCount("c")).toBe(
      ["group_samples", "topic_samples", "cluster_samples"]
        .map(
          (t) =>
            (
              new Database(path.join(dir, "history.sqlite"), { readonly: true })
                .prepare(`SELECT count(*) AS n FROM ${t} WHERE cluster = 'c'`)
                .get() as { n: number }
            ).n,
        )
        .reduce((a, b) => a + b, 0),
    );
  }, 60_000);
});
