import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { GroupActionRecord, NodeMetricValues } from "@/lib/types";
import { type ActionLog, MAX_GROUP_ACTIONS } from "../clusters/group-actions-log";
import { DEFAULT_HISTORY_MAX_ROWS } from "../config";
import { NODE_METRIC_KEYS, valuesFromList } from "../metrics/node-values";
import {
  type ClusterRun,
  type GroupRun,
  gapOf,
  mergeCluster,
  mergeGroup,
  mergeRuns,
  mergeTopic,
  TIERS,
  type TopicRun,
} from "./runs";
import type { Sample } from "./sample-of";

/** Rows read by downsampling per sample and tier at most: how fast a backlog is caught up. */
const MAX_MERGE_ROWS = 50_000;

/** Each table's columns as a run (runs.ts); a row written before runs existed reads as one sample. */
const GROUP_COLUMNS =
  "coalesce(ts0, ts) AS ts0, ts, coalesce(n, 1) AS n, lag, coalesce(committed0, committed) AS committed0, committed, log_end AS logEnd, members, lag_ms AS lagMs";
const TOPIC_COLUMNS =
  "coalesce(ts0, ts) AS ts0, ts, coalesce(n, 1) AS n, coalesce(log_end0, log_end) AS logEnd0, log_end AS logEnd, log_start AS logStart";
const CLUSTER_COLUMNS =
  "coalesce(ts0, ts) AS ts0, ts, coalesce(n, 1) AS n, total_lag AS totalLag, coalesce(log_end0, log_end) AS logEnd0, log_end AS logEnd";

/** One node's broker metrics in a round. */
export interface NodeMetricsRow {
  node: number;
  role: "broker" | "controller";
  values: NodeMetricValues;
}

export interface HistoryStoreOptions {
  /** The row budget per cluster (QUORUM_HISTORY_MAX_ROWS): past it, the oldest rows go first. */
  maxRows?: number;
}

type Table = "group_samples" | "topic_samples" | "cluster_samples";
const TABLES: Table[] = ["group_samples", "topic_samples", "cluster_samples"];

/** The latest run of one series: its row and what a sample must equal to extend it. */
interface Open {
  rowid: number;
  ts: number;
  key: string;
}

/**
 * Lag and throughput history in SQLite under the data directory: per group (Σ lag, Σ committed,
 * members, lag in time), per topic (Σ log-end and log-start offsets) and per cluster (Σ lag, Σ
 * log-end offsets, only from complete snapshots). Each row is a run of samples of one series (see
 * runs.ts): `ts0`…`ts`, `n` samples, no gap inside. A series whose values did not change since its
 * last sample extends its run (one UPDATE) instead of adding a row, so idle topics and groups cost
 * one row, not one per sample. Every sample also, in the same transaction:
 * - merges one bucket per tier of rows past the tier's age (TIERS: 1-minute buckets after 15 min,
 *   10-minute buckets after 6 h), where the cluster's `history_meta` says it stopped last time;
 * - drops the oldest rows of the cluster while it holds more than its row budget (`maxRows`).
 * A time without a row means no honest sample was taken then. Rates are derived when read.
 * Also the actions done on groups through Quorum (`actions`), the last MAX_GROUP_ACTIONS per cluster.
 */
export class HistoryStore {
  private db: Database.Database;
  readonly maxRows: number;
  /** Per cluster, the latest run of each series ("g:" group, "t:" topic, "c" the cluster's totals). */
  private open = new Map<string, Map<string, Open>>();
  /** Per cluster, the rows it holds over the three tables (counted when first needed). */
  private rows = new Map<string, number>();

  /**
   * @param sampleMs the interval its samplers write at: the history's reading of a gap (no sample
   * for a few intervals) and of a rate depends on it.
   */
  constructor(
    file: string,
    readonly sampleMs: number,
    options: HistoryStoreOptions = {},
  ) {
    this.maxRows = options.maxRows ?? DEFAULT_HISTORY_MAX_ROWS;
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
      CREATE TABLE IF NOT EXISTS node_samples (
        cluster TEXT NOT NULL, node INTEGER NOT NULL, role TEXT NOT NULL, ts INTEGER NOT NULL, v TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS node_samples_by_time ON node_samples (cluster, ts);
      CREATE TABLE IF NOT EXISTS history_meta (
        cluster TEXT NOT NULL, tier INTEGER NOT NULL, merged_to INTEGER NOT NULL, PRIMARY KEY (cluster, tier)
      );
    `);
    // Columns added later: a store written before gets them, its old rows null (read as one sample:
    // ts0 = ts, n = 1, the counter's first value = its last).
    const added: Record<Table, string[]> = {
      group_samples: ["lag_ms", "ts0", "n", "committed0"],
      topic_samples: ["ts0", "n", "log_end0"],
      cluster_samples: ["ts0", "n", "log_end0"],
    };
    for (const table of TABLES) {
      const columns = this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
      for (const c of added[table]) {
        if (!columns.some((x) => x.name === c)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${c} INTEGER`);
      }
    }
  }

  private runsOf(cluster: string): Map<string, Open> {
    let m = this.open.get(cluster);
    if (!m) {
      m = new Map();
      this.open.set(cluster, m);
    }
    return m;
  }

  /** The rows the cluster holds over the three sample tables. */
  rowCount(cluster: string): number {
    let n = this.rows.get(cluster);
    if (n === undefined) {
      n = 0;
      for (const table of TABLES) {
        n += (this.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE cluster = ?`).get(cluster) as { n: number }).n;
      }
      this.rows.set(cluster, n);
    }
    return n;
  }

  private addRows(cluster: string, delta: number): void {
    this.rows.set(cluster, this.rowCount(cluster) + delta);
  }

  /**
   * Writes one sample, in one transaction: each series extends its latest run when its values are
   * unchanged and its last sample is at most the gap allowance old, else adds a row; then one
   * downsampling step per tier and the row budget (see the class).
   */
  record(cluster: string, sample: Sample): void {
    const db = this.db;
    const g = db.prepare(
      "INSERT INTO group_samples (cluster, group_id, ts0, ts, n, lag, committed0, committed, log_end, members, lag_ms) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)",
    );
    const t = db.prepare(
      "INSERT INTO topic_samples (cluster, topic, ts0, ts, n, log_end0, log_end, log_start) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
    );
    const c = db.prepare(
      "INSERT INTO cluster_samples (cluster, ts0, ts, n, total_lag, log_end0, log_end) VALUES (?, ?, ?, 1, ?, ?, ?)",
    );
    const extend = (table: Table) =>
      db.prepare(`UPDATE ${table} SET ts0 = coalesce(ts0, ts), ts = ?, n = coalesce(n, 1) + 1 WHERE rowid = ?`);
    const extendGroup = extend("group_samples");
    const extendTopic = extend("topic_samples");
    const extendCluster = extend("cluster_samples");
    const ts = sample.ts;
    const gapMs = gapOf(this.sampleMs);
    const runs = this.runsOf(cluster);
    const seen = new Set<string>();
    let added = 0;
    /** Extends the series' run when its values are those of its last sample, else adds a row. */
    const put = (id: string, key: string, ext: Database.Statement, insert: () => Database.RunResult) => {
      seen.add(id);
      const open = runs.get(id);
      if (open && open.key === key && ts - open.ts <= gapMs && ts > open.ts) {
        if (ext.run(ts, open.rowid).changes === 1) {
          open.ts = ts;
          return;
        }
      }
      const r = insert();
      added++;
      runs.set(id, { rowid: Number(r.lastInsertRowid), ts, key });
    };
    db.transaction(() => {
      this.rowCount(cluster); // counted before this sample's rows, when not known yet
      for (const r of sample.groups) {
        const key = `${r.lag}|${r.committed}|${r.logEnd}|${r.members}|${r.lagMs ?? null}`;
        put(`g:${r.groupId}`, key, extendGroup, () =>
          g.run(cluster, r.groupId, ts, ts, r.lag, r.committed, r.committed, r.logEnd, r.members, r.lagMs ?? null),
        );
      }
      for (const r of sample.topics) {
        put(`t:${r.topic}`, `${r.logEnd}|${r.logStart}`, extendTopic, () =>
          t.run(cluster, r.topic, ts, ts, r.logEnd, r.logEnd, r.logStart),
        );
      }
      const total = sample.cluster;
      if (total) {
        put("c", `${total.totalLag}|${total.logEnd}`, extendCluster, () =>
          c.run(cluster, ts, ts, total.totalLag, total.logEnd, total.logEnd),
        );
      }
      // A series this sample did not write (skipped, gone) starts a new run when it comes back.
      for (const id of runs.keys()) if (!seen.has(id)) runs.delete(id);
      this.addRows(cluster, added);
      TIERS.forEach((tier, i) => {
        this.downsampleStep(cluster, i, tier, ts);
      });
      this.keepBudget(cluster, ts);
    })();
  }

  /**
   * Merges the runs of a tier that ended before `now − afterMs` into the tier's buckets, where
   * `history_meta` says it stopped last time, a slice of one sample interval at a time: each
   * slice's runs join what is already merged of their bucket. So each sample merges about what
   * one sample wrote (no bulk rewrite of a whole bucket every minute), and a backlog (after a
   * restart, or rows written before downsampling existed) is caught up by at most MAX_MERGE_ROWS
   * rows read per sample. Runs of one series join unless a gap lies between them (mergeRuns).
   */
  private downsampleStep(cluster: string, tier: number, spec: (typeof TIERS)[number], now: number): void {
    const { widthMs } = spec;
    const step = Math.max(1, Math.min(this.sampleMs, widthMs));
    const limit = now - spec.afterMs;
    const meta = this.db
      .prepare("SELECT merged_to AS mergedTo FROM history_meta WHERE cluster = ? AND tier = ?")
      .get(cluster, tier) as { mergedTo: number } | undefined;
    const start = meta?.mergedTo ?? 0;
    let from = start;
    let read = 0;
    let removed = 0;
    const gapMs = gapOf(this.sampleMs);
    while (from < limit && read < MAX_MERGE_ROWS) {
      // Skip over time without rows.
      let next: number | null = null;
      for (const table of TABLES) {
        const r = this.db
          .prepare(`SELECT min(ts) AS ts FROM ${table} WHERE cluster = ? AND ts >= ?`)
          .get(cluster, from) as {
          ts: number | null;
        };
        if (r.ts !== null && (next === null || r.ts < next)) next = r.ts;
      }
      if (next === null || next >= limit) {
        from = limit;
        break;
      }
      from = Math.max(from, next);
      const bucket = Math.floor(from / widthMs) * widthMs;
      const to = Math.min(from + step, bucket + widthMs, limit);
      for (const [table, column] of [
        ["group_samples", "group_id"],
        ["topic_samples", "topic"],
        ["cluster_samples", null],
      ] as const) {
        const done = this.mergeRange(cluster, table, column, bucket, to, widthMs, gapMs);
        read += done.read;
        removed += done.removed;
      }
      from = to;
    }
    this.addRows(cluster, -removed);
    if (from !== start) this.setMergedTo(cluster, tier, from);
  }

  private setMergedTo(cluster: string, tier: number, to: number): void {
    this.db
      .prepare(
        "INSERT INTO history_meta (cluster, tier, merged_to) VALUES (?, ?, ?) ON CONFLICT (cluster, tier) DO UPDATE SET merged_to = excluded.merged_to",
      )
      .run(cluster, tier, to);
  }

  /** Merges one table's runs ending in [from, to) (one bucket); returns the rows read and how many fewer it holds. */
  private mergeRange(
    cluster: string,
    table: Table,
    seriesColumn: string | null,
    from: number,
    to: number,
    widthMs: number,
    gapMs: number,
  ): { read: number; removed: number } {
    const series = seriesColumn ? `${seriesColumn} AS series` : "'' AS series";
    const order = seriesColumn ? `${seriesColumn}, ts` : "ts";
    const select = {
      group_samples: `${GROUP_COLUMNS}`,
      topic_samples: `${TOPIC_COLUMNS}`,
      cluster_samples: `${CLUSTER_COLUMNS}`,
    }[table];
    const rows = this.db
      .prepare(
        `SELECT rowid, ${series}, ${select} FROM ${table} WHERE cluster = ? AND ts >= ? AND ts < ? ORDER BY ${order}`,
      )
      .all(cluster, from, to) as ({ rowid: number; series: string } & Record<string, number | null>)[];
    const bySeries = new Map<string, typeof rows>();
    for (const r of rows) {
      const list = bySeries.get(r.series);
      if (list) list.push(r);
      else bySeries.set(r.series, [r]);
    }
    const del = this.db.prepare(`DELETE FROM ${table} WHERE rowid = ?`);
    const insert = {
      group_samples: this.db.prepare(
        "INSERT INTO group_samples (cluster, group_id, ts0, ts, n, lag, committed0, committed, log_end, members, lag_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      topic_samples: this.db.prepare(
        "INSERT INTO topic_samples (cluster, topic, ts0, ts, n, log_end0, log_end, log_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      cluster_samples: this.db.prepare(
        "INSERT INTO cluster_samples (cluster, ts0, ts, n, total_lag, log_end0, log_end) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
    }[table];
    let removed = 0;
    for (const [id, list] of bySeries) {
      if (list.length < 2) continue;
      let merged: unknown[][];
      if (table === "group_samples") {
        merged = mergeRuns(list as unknown as GroupRun[], widthMs, gapMs, mergeGroup).map((r) => [
          cluster,
          id,
          r.ts0,
          r.ts,
          r.n,
          r.lag,
          r.committed0,
          r.committed,
          r.logEnd,
          r.members,
          r.lagMs,
        ]);
      } else if (table === "topic_samples") {
        merged = mergeRuns(list as unknown as TopicRun[], widthMs, gapMs, mergeTopic).map((r) => [
          cluster,
          id,
          r.ts0,
          r.ts,
          r.n,
          r.logEnd0,
          r.logEnd,
          r.logStart,
        ]);
      } else {
        merged = mergeRuns(list as unknown as ClusterRun[], widthMs, gapMs, mergeCluster).map((r) => [
          cluster,
          r.ts0,
          r.ts,
          r.n,
          r.totalLag,
          r.logEnd0,
          r.logEnd,
        ]);
      }
      if (merged.length === list.length) continue;
      for (const r of list) del.run(r.rowid);
      for (const m of merged) insert.run(...m);
      removed += list.length - merged.length;
    }
    return { read: rows.length, removed };
  }

  /**
   * While the cluster holds more rows than its budget, drops its oldest: every row (of the three
   * tables) whose last sample is before a cut-off that moves forward by 1/1024 of the span held (about what one sample adds, not a bulk delete).
   */
  private keepBudget(cluster: string, now: number): void {
    while (this.rowCount(cluster) > this.maxRows) {
      let oldest: number | null = null;
      for (const table of TABLES) {
        const r = this.db.prepare(`SELECT min(ts) AS ts FROM ${table} WHERE cluster = ?`).get(cluster) as {
          ts: number | null;
        };
        if (r.ts !== null && (oldest === null || r.ts < oldest)) oldest = r.ts;
      }
      if (oldest === null) return;
      const cut = oldest + Math.max(1, Math.ceil((now - oldest) / 1024));
      let removed = 0;
      for (const table of TABLES) {
        removed += this.db.prepare(`DELETE FROM ${table} WHERE cluster = ? AND ts < ?`).run(cluster, cut).changes;
      }
      this.addRows(cluster, -removed);
    }
  }

  /** One group's runs ending at or after `since`, oldest first. */
  groupSeries(cluster: string, groupId: string, since: number): GroupRun[] {
    return this.db
      .prepare(`SELECT ${GROUP_COLUMNS} FROM group_samples WHERE cluster = ? AND group_id = ? AND ts >= ? ORDER BY ts`)
      .all(cluster, groupId, since) as GroupRun[];
  }

  /** Every group's runs ending at or after `since`, for judging all groups at once. */
  /** The runs since `since` of every group, or of the named ones only (one page of a list: the index by group serves it). */
  allGroupSeries(
    cluster: string,
    since: number,
    groupIds?: readonly string[],
  ): (Pick<GroupRun, "ts0" | "ts" | "n" | "lag" | "committed" | "members"> & { groupId: string })[] {
    const columns =
      "SELECT group_id AS groupId, coalesce(ts0, ts) AS ts0, ts, coalesce(n, 1) AS n, lag, committed, members FROM group_samples";
    const rows = groupIds
      ? this.db
          .prepare(
            `${columns} WHERE cluster = ? AND group_id IN (SELECT value FROM json_each(?)) AND ts >= ? ORDER BY ts`,
          )
          .all(cluster, JSON.stringify(groupIds), since)
      : this.db.prepare(`${columns} WHERE cluster = ? AND ts >= ? ORDER BY ts`).all(cluster, since);
    return rows as (Pick<GroupRun, "ts0" | "ts" | "n" | "lag" | "committed" | "members"> & {
      groupId: string;
    })[];
  }

  topicSeries(cluster: string, topic: string, since: number): TopicRun[] {
    return this.db
      .prepare(`SELECT ${TOPIC_COLUMNS} FROM topic_samples WHERE cluster = ? AND topic = ? AND ts >= ? ORDER BY ts`)
      .all(cluster, topic, since) as TopicRun[];
  }

  /** Per complete sample: Σ lag over groups and Σ log-end offsets over topics. */
  clusterSeries(cluster: string, since: number): ClusterRun[] {
    return this.db
      .prepare(`SELECT ${CLUSTER_COLUMNS} FROM cluster_samples WHERE cluster = ? AND ts >= ? ORDER BY ts`)
      .all(cluster, since) as ClusterRun[];
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

  /** Drops every cluster's rows whose last sample is before `before` (the retention). */
  /**
   * One round of broker metrics (server/metrics/sampler.ts): a row per node that answered, its
   * values in NODE_METRIC_KEYS order. A node that did not answer has no row: a gap. Kept as long as
   * the lag history (`prune`); not downsampled, and not counted in the row budget (a few rows per
   * node and sample interval).
   */
  recordNodeMetrics(cluster: string, ts: number, rows: NodeMetricsRow[]): void {
    const insert = this.db.prepare("INSERT INTO node_samples (cluster, node, role, ts, v) VALUES (?, ?, ?, ?, ?)");
    this.db.transaction(() => {
      for (const r of rows) {
        insert.run(cluster, r.node, r.role, ts, JSON.stringify(NODE_METRIC_KEYS.map((k) => r.values[k])));
      }
    })();
  }

  /** The broker metrics rows of a cluster since a time, oldest first. */
  nodeMetricsSince(cluster: string, since: number): (NodeMetricsRow & { ts: number })[] {
    const rows = this.db
      .prepare("SELECT node, role, ts, v FROM node_samples WHERE cluster = ? AND ts >= ? ORDER BY ts, node")
      .all(cluster, since) as { node: number; role: string; ts: number; v: string }[];
    return rows.map((r) => {
      const values = valuesFromList(JSON.parse(r.v) as (number | null)[]);
      return { node: r.node, role: r.role === "controller" ? "controller" : "broker", ts: r.ts, values };
    });
  }

  prune(before: number): void {
    for (const table of TABLES) this.db.prepare(`DELETE FROM ${table} WHERE ts < ?`).run(before);
    this.db.prepare("DELETE FROM node_samples WHERE ts < ?").run(before);
    this.rows.clear();
  }

  close(): void {
    this.db.close();
  }
}
