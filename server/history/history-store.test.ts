import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { GroupActionRecord } from "@/lib/types";
import { MAX_GROUP_ACTIONS } from "../clusters/group-actions-log";
import { HistoryStore } from "./history-store";

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
