import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { GroupActionRecord } from "@/lib/types";
import { type ActionLog, MAX_GROUP_ACTIONS } from "../clusters/group-actions-log";
import type { Sample } from "./sample-of";

/**
 * Lag and throughput samples in SQLite under the data directory: per group (Σ lag, Σ committed,
 * members), per topic (Σ log-end and log-start offsets) and per cluster (Σ lag, Σ log-end offsets,
 * only from complete snapshots), each with its time, kept for a retention period. A time without a
 * row means no honest sample was taken then. Rates are derived from consecutive samples when read.
 * Also the actions done on groups through Quorum (`actions`), the last MAX_GROUP_ACTIONS per cluster.
 */
export class HistoryStore {
  private db: Database.Database;

  /**
   * @param sampleMs the interval its samplers write at: the history's reading of a gap (no sample
   * for a few intervals) and of a rate depends on it.
   */
  constructor(
    file: string,
    readonly sampleMs: number,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS group_samples (
        cluster TEXT NOT NULL, group_id TEXT NOT NULL, ts INTEGER NOT NULL,
        lag INTEGER, committed INTEGER, log_end INTEGER, members INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS group_samples_by_group ON group_samples (cluster, group_id, ts);
      CREATE INDEX IF NOT EXISTS group_samples_by_time ON group_samples (cluster, ts);
      CREATE TABLE IF NOT EXISTS topic_samples (
        cluster TEXT NOT NULL, topic TEXT NOT NULL, ts INTEGER NOT NULL,
        log_end INTEGER NOT NULL, log_start INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS topic_samples_by_topic ON topic_samples (cluster, topic, ts);
      CREATE INDEX IF NOT EXISTS topic_samples_by_time ON topic_samples (cluster, ts);
      CREATE TABLE IF NOT EXISTS cluster_samples (
        cluster TEXT NOT NULL, ts INTEGER NOT NULL, total_lag INTEGER NOT NULL, log_end INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS cluster_samples_by_time ON cluster_samples (cluster, ts);
      CREATE TABLE IF NOT EXISTS group_actions (
        cluster TEXT NOT NULL, group_id TEXT NOT NULL, ts INTEGER NOT NULL, json TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS group_actions_by_group ON group_actions (cluster, group_id, ts);
      CREATE INDEX IF NOT EXISTS group_actions_by_time ON group_actions (cluster, ts);
    `);
    // Lag in time (ms), added later: a store written before has the column added, its old rows null.
    const columns = this.db.prepare("PRAGMA table_info(group_samples)").all() as { name: string }[];
    if (!columns.some((c) => c.name === "lag_ms")) this.db.exec("ALTER TABLE group_samples ADD COLUMN lag_ms INTEGER");
  }

  record(cluster: string, sample: Sample): void {
    const g = this.db.prepare(
      "INSERT INTO group_samples (cluster, group_id, ts, lag, committed, log_end, members, lag_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const t = this.db.prepare(
      "INSERT INTO topic_samples (cluster, topic, ts, log_end, log_start) VALUES (?, ?, ?, ?, ?)",
    );
    const c = this.db.prepare("INSERT INTO cluster_samples (cluster, ts, total_lag, log_end) VALUES (?, ?, ?, ?)");
    const ts = sample.ts;
    this.db.transaction(() => {
      for (const r of sample.groups)
        g.run(cluster, r.groupId, ts, r.lag, r.committed, r.logEnd, r.members, r.lagMs ?? null);
      for (const r of sample.topics) t.run(cluster, r.topic, ts, r.logEnd, r.logStart);
      if (sample.cluster) c.run(cluster, ts, sample.cluster.totalLag, sample.cluster.logEnd);
    })();
  }

  groupSeries(cluster: string, groupId: string, since: number) {
    return this.db
      .prepare(
        "SELECT ts, lag, committed, log_end AS logEnd, members, lag_ms AS lagMs FROM group_samples WHERE cluster = ? AND group_id = ? AND ts >= ? ORDER BY ts",
      )
      .all(cluster, groupId, since) as {
      ts: number;
      lag: number | null;
      lagMs: number | null;
      committed: number | null;
      logEnd: number | null;
      members: number;
    }[];
  }

  /** Every group's samples since a time, for judging all groups at once. */
  allGroupSeries(cluster: string, since: number) {
    return this.db
      .prepare(
        "SELECT group_id AS groupId, ts, lag, committed, members FROM group_samples WHERE cluster = ? AND ts >= ? ORDER BY ts",
      )
      .all(cluster, since) as {
      groupId: string;
      ts: number;
      lag: number | null;
      committed: number | null;
      members: number;
    }[];
  }

  topicSeries(cluster: string, topic: string, since: number) {
    return this.db
      .prepare(
        "SELECT ts, log_end AS logEnd, log_start AS logStart FROM topic_samples WHERE cluster = ? AND topic = ? AND ts >= ? ORDER BY ts",
      )
      .all(cluster, topic, since) as { ts: number; logEnd: number; logStart: number }[];
  }

  /** Per complete sample: Σ lag over groups and Σ log-end offsets over topics. */
  clusterSeries(cluster: string, since: number) {
    return this.db
      .prepare(
        "SELECT ts, total_lag AS totalLag, log_end AS logEnd FROM cluster_samples WHERE cluster = ? AND ts >= ? ORDER BY ts",
      )
      .all(cluster, since) as { ts: number; totalLag: number; logEnd: number }[];
  }

  /** The group actions' history kept here, across restarts (the commands reach it as `ctx.actions`). */
  readonly actions: ActionLog = {
    record: (cluster, entry) => this.recordGroupAction(cluster, entry),
    list: (cluster, groupId) => this.groupActions(cluster, groupId),
  };

  /** Keeps one action, then only the last MAX_GROUP_ACTIONS of its cluster. */
  recordGroupAction(cluster: string, entry: GroupActionRecord): void {
    const insert = this.db.prepare("INSERT INTO group_actions (cluster, group_id, ts, json) VALUES (?, ?, ?, ?)");
    const trim = this.db.prepare(
      "DELETE FROM group_actions WHERE cluster = ? AND rowid NOT IN (SELECT rowid FROM group_actions WHERE cluster = ? ORDER BY ts DESC, rowid DESC LIMIT ?)",
    );
    this.db.transaction(() => {
      insert.run(cluster, entry.groupId, entry.ts, JSON.stringify(entry));
      trim.run(cluster, cluster, MAX_GROUP_ACTIONS);
    })();
  }

  /** The actions kept on one group, oldest first. */
  groupActions(cluster: string, groupId: string): GroupActionRecord[] {
    const rows = this.db
      .prepare("SELECT json FROM group_actions WHERE cluster = ? AND group_id = ? ORDER BY ts, rowid")
      .all(cluster, groupId) as { json: string }[];
    return rows.map((r) => JSON.parse(r.json) as GroupActionRecord);
  }

  prune(before: number): void {
    this.db.prepare("DELETE FROM group_samples WHERE ts < ?").run(before);
    this.db.prepare("DELETE FROM topic_samples WHERE ts < ?").run(before);
    this.db.prepare("DELETE FROM cluster_samples WHERE ts < ?").run(before);
  }

  close(): void {
    this.db.close();
  }
}
