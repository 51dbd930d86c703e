import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
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
