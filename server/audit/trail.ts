import "server-only";
import Database from "better-sqlite3";
import { type AuditEntry, REFUSED_STATUSES } from "@/lib/schemas/audit";

export type { AuditEntry };

export type NewAuditEntry = Omit<AuditEntry, "id">;

export interface AuditQuery {
  user?: string;
  action?: string;
  cluster?: string;
  /** Only refused attempts (401, 403, 429), or only what went through. */
  refused?: boolean;
  since?: number;
  until?: number;
  /** Entries older than this id (paging newest first). */
  before?: number;
  limit: number;
}

interface Row {
  id: number;
  ts: number;
  user: string | null;
  via: AuditEntry["via"];
  role: string | null;
  cluster: string | null;
  action: string;
  request: string;
  target: string;
  summary: string | null;
  result: string;
  status: number;
  duration_ms: number;
  address: string;
}

/**
 * The audit trail, in `<data dir>/audit.sqlite`: appended to, read, and pruned past its retention,
 * nothing else. No route changes or deletes an entry; the table's triggers refuse an UPDATE, and a
 * DELETE of an entry younger than the retention, from any connection.
 */
export class AuditTrail {
  private readonly db: Database.Database;
  private lastPrune = 0;

  constructor(
    file: string,
    readonly retentionMs: number,
  ) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        user TEXT,
        via TEXT,
        role TEXT,
        cluster TEXT,
        action TEXT NOT NULL,
        request TEXT NOT NULL,
        target TEXT NOT NULL,
        summary TEXT,
        result TEXT NOT NULL,
        status INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        address TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS audit_by_time ON audit (ts);
      CREATE TABLE IF NOT EXISTS audit_settings (retention_ms INTEGER NOT NULL);
      CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS audit_no_early_delete BEFORE DELETE ON audit
        WHEN old.ts > (CAST(strftime('%s','now') AS INTEGER) * 1000 - (SELECT coalesce(max(retention_ms), 0) FROM audit_settings))
        BEGIN SELECT RAISE(ABORT, 'an audit entry is kept for the whole retention'); END;
    `);
    this.db.prepare("DELETE FROM audit_settings").run();
    this.db.prepare("INSERT INTO audit_settings (retention_ms) VALUES (?)").run(retentionMs);
  }

  append(e: NewAuditEntry): number {
    const id = Number(
      this.db
        .prepare(
          "INSERT INTO audit (ts, user, via, role, cluster, action, request, target, summary, result, status, duration_ms, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(
          e.ts,
          e.user,
          e.via,
          e.role,
          e.cluster,
          e.action,
          e.request,
          JSON.stringify(e.target),
          e.summary === null || e.summary === undefined ? null : JSON.stringify(e.summary),
          e.result,
          e.status,
          Math.round(e.durationMs),
          e.address,
        ).lastInsertRowid,
    );
    if (e.ts - this.lastPrune > 3_600_000) {
      this.lastPrune = e.ts;
      this.prune(Date.now());
    }
    return id;
  }

  /** Entries matching `q`, newest first. */
  query(q: AuditQuery): AuditEntry[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.user !== undefined) {
      where.push("user = ?");
      args.push(q.user);
    }
    if (q.action !== undefined) {
      where.push("action = ?");
      args.push(q.action);
    }
    if (q.cluster !== undefined) {
      where.push("cluster = ?");
      args.push(q.cluster);
    }
    if (q.refused !== undefined) where.push(`status ${q.refused ? "" : "NOT "}IN (${REFUSED_STATUSES.join(", ")})`);
    if (q.since !== undefined) {
      where.push("ts >= ?");
      args.push(q.since);
    }
    if (q.until !== undefined) {
      where.push("ts <= ?");
      args.push(q.until);
    }
    if (q.before !== undefined) {
      where.push("id < ?");
      args.push(q.before);
    }
    const rows = this.db
      .prepare(`SELECT * FROM audit ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`)
      .all(...args, q.limit) as Row[];
    return rows.map((r) => ({
      id: r.id,
      ts: r.ts,
      user: r.user,
      via: r.via,
      role: r.role,
      cluster: r.cluster,
      action: r.action,
      request: r.request,
      target: JSON.parse(r.target) as Record<string, string>,
      summary: r.summary === null ? null : (JSON.parse(r.summary) as unknown),
      result: r.result,
      status: r.status,
      durationMs: r.duration_ms,
      address: r.address,
    }));
  }

  /** Drops the entries older than the retention; returns how many. */
  prune(now: number): number {
    return this.db.prepare("DELETE FROM audit WHERE ts < ?").run(now - this.retentionMs).changes;
  }

  close(): void {
    this.db.close();
  }
}
