import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export interface GroupRow {
  groupId: string;
  lag: number | null;
  committed: number | null;
  logEnd: number | null;
  members: number;
}

export interface TopicRow {
  topic: string;
  logEnd: number;
  logStart: number;
}

/**
 * Lag and throughput samples in SQLite under the data directory: per group (Σ lag, Σ committed,
 * members) and per topic (Σ log-end and log-start offsets), each with its time, kept for a
 * retention period. Rates are derived from consecutive samples when read.
 */
export class HistoryStore {
  private db: Database.Database;

  constructor(file: string) {
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
    `);
  }

  record(cluster: string, ts: number, groups: GroupRow[], topics: TopicRow[]): void {
    const g = this.db.prepare(
      "INSERT INTO group_samples (cluster, group_id, ts, lag, committed, log_end, members) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    const t = this.db.prepare(
      "INSERT INTO topic_samples (cluster, topic, ts, log_end, log_start) VALUES (?, ?, ?, ?, ?)",
    );
    this.db.transaction(() => {
      for (const r of groups) g.run(cluster, r.groupId, ts, r.lag, r.committed, r.logEnd, r.members);
      for (const r of topics) t.run(cluster, r.topic, ts, r.logEnd, r.logStart);
    })();
  }

  groupSeries(cluster: string, groupId: string, since: number) {
    return this.db
      .prepare(
        "SELECT ts, lag, committed, log_end AS logEnd, members FROM group_samples WHERE cluster = ? AND group_id = ? AND ts >= ? ORDER BY ts",
      )
      .all(cluster, groupId, since) as {
      ts: number;
      lag: number | null;
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

  /** Per sample time: Σ lag over groups and Σ log-end offsets over topics. */
  clusterSeries(cluster: string, since: number) {
    const lag = this.db
      .prepare(
        "SELECT ts, SUM(COALESCE(lag, 0)) AS totalLag FROM group_samples WHERE cluster = ? AND ts >= ? GROUP BY ts",
      )
      .all(cluster, since) as { ts: number; totalLag: number }[];
    const ends = this.db
      .prepare(
        "SELECT ts, SUM(log_end) AS logEnd FROM topic_samples WHERE cluster = ? AND ts >= ? GROUP BY ts ORDER BY ts",
      )
      .all(cluster, since) as { ts: number; logEnd: number }[];
    const lagAt = new Map(lag.map((r) => [r.ts, r.totalLag]));
    return ends.map((r) => ({ ts: r.ts, logEnd: r.logEnd, totalLag: lagAt.get(r.ts) ?? 0 }));
  }

  prune(before: number): void {
    this.db.prepare("DELETE FROM group_samples WHERE ts < ?").run(before);
    this.db.prepare("DELETE FROM topic_samples WHERE ts < ?").run(before);
  }

  close(): void {
    this.db.close();
  }
}

/** Messages per second between consecutive samples of a rising counter (a reset counts as 0). */
export function rates<T extends { ts: number }>(
  rows: T[],
  value: (r: T) => number | null,
): { ts: number; rate: number | null }[] {
  return rows.map((r, i) => {
    const prev = rows[i - 1];
    const v = value(r);
    const p = prev ? value(prev) : null;
    if (!prev || v === null || p === null || r.ts <= prev.ts) return { ts: r.ts, rate: null };
    return { ts: r.ts, rate: Math.max(0, ((v - p) * 1000) / (r.ts - prev.ts)) };
  });
}
