import "server-only";
import crypto from "node:crypto";
import Database from "better-sqlite3";
import type { Grant, TokenInfo } from "@/lib/schemas/auth";
import type { Identity } from "./access";

/** How long a session lasts: unused, and at all. */
export interface SessionLimits {
  idleMs: number;
  absoluteMs: number;
}

/** A session's use is written back at most this often: a page's dozen reads cost one write, not twelve. */
const TOUCH_EVERY_MS = 30_000;

const digest = (secret: string) => crypto.createHash("sha256").update(secret).digest("hex");

/**
 * Sessions, in `<data dir>/auth.sqlite`: each a random 256-bit id given to the browser once (in a
 * sealed cookie) and kept here only as its SHA-256, with who signed in, how, when, and when they
 * last came back. A session is good while it has not ended (sign-out), has been used within the
 * idle limit and is younger than the absolute limit; ending one ends it for every copy of the cookie.
 */
export class AuthStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS sessions (
        id_hash TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        via TEXT NOT NULL,
        groups TEXT NOT NULL,
        created INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        ended INTEGER
      );
      CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user);
      CREATE TABLE IF NOT EXISTS tokens (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        grant_json TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created INTEGER NOT NULL,
        expires INTEGER,
        revoked INTEGER,
        last_used INTEGER
      );
    `);
  }

  /** A new session for `who`; returns the id to give the browser (never stored as it is). */
  create(who: Identity, now = Date.now()): string {
    const id = crypto.randomBytes(32).toString("base64url");
    this.db
      .prepare("INSERT INTO sessions (id_hash, user, via, groups, created, last_seen) VALUES (?, ?, ?, ?, ?, ?)")
      .run(digest(id), who.name, who.via, JSON.stringify(who.groups), now, now);
    return id;
  }

  /** Who the session `id` is, if it is still good, and notes that it was used; else null. */
  find(id: string, limits: SessionLimits, now = Date.now()): Identity | null {
    const hash = digest(id);
    const row = this.db
      .prepare("SELECT user, via, groups, created, last_seen, ended FROM sessions WHERE id_hash = ?")
      .get(hash) as
      | { user: string; via: Identity["via"]; groups: string; created: number; last_seen: number; ended: number | null }
      | undefined;
    if (!row || row.ended !== null) return null;
    if (now - row.last_seen > limits.idleMs || now - row.created > limits.absoluteMs) {
      this.db.prepare("UPDATE sessions SET ended = ? WHERE id_hash = ?").run(now, hash);
      return null;
    }
    if (now - row.last_seen >= TOUCH_EVERY_MS)
      this.db.prepare("UPDATE sessions SET last_seen = ? WHERE id_hash = ?").run(now, hash);
    return { name: row.user, via: row.via, groups: JSON.parse(row.groups) as string[] };
  }

  /** Ends the session `id` (sign-out); true when it was going. */
  end(id: string, now = Date.now()): boolean {
    return (
      this.db.prepare("UPDATE sessions SET ended = ? WHERE id_hash = ? AND ended IS NULL").run(now, digest(id))
        .changes > 0
    );
  }

  /** Forgets sessions that ended or can no longer be good (the idle limit allowing for unwritten use). */
  prune(limits: SessionLimits, now = Date.now()): number {
    return this.db
      .prepare("DELETE FROM sessions WHERE ended IS NOT NULL OR last_seen < ? OR created < ?")
      .run(now - limits.idleMs - TOUCH_EVERY_MS, now - limits.absoluteMs).changes;
  }

  /**
   * A new API token carrying `grant`: returns it whole (`qrm_<id>_<secret>`), the only time it is
   * seen; only the secret's SHA-256 is kept.
   */
  createToken(
    t: { name: string; grant: Grant; createdBy: string; expiresAt: number | null },
    now = Date.now(),
  ): { id: string; token: string } {
    const id = crypto.randomBytes(6).toString("hex");
    const secret = crypto.randomBytes(32).toString("base64url");
    this.db
      .prepare(
        "INSERT INTO tokens (id, name, secret_hash, grant_json, created_by, created, expires) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(id, t.name, digest(secret), JSON.stringify(t.grant), t.createdBy, now, t.expiresAt);
    return { id, token: `qrm_${id}_${secret}` };
  }

  /** Who a token is, if it is whole, known, unrevoked and unexpired; notes its use. Else null. */
  findToken(token: string, now = Date.now()): Identity | null {
    const m = /^qrm_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return null;
    const row = this.db
      .prepare("SELECT name, secret_hash, grant_json, expires, revoked, last_used FROM tokens WHERE id = ?")
      .get(m[1]) as
      | {
          name: string;
          secret_hash: string;
          grant_json: string;
          expires: number | null;
          revoked: number | null;
          last_used: number | null;
        }
      | undefined;
    if (!row) return null;
    const given = Buffer.from(digest(m[2] as string), "hex");
    const kept = Buffer.from(row.secret_hash, "hex");
    if (given.length !== kept.length || !crypto.timingSafeEqual(given, kept)) return null;
    if (row.revoked !== null || (row.expires !== null && now >= row.expires)) return null;
    if (row.last_used === null || now - row.last_used >= TOUCH_EVERY_MS)
      this.db.prepare("UPDATE tokens SET last_used = ? WHERE id = ?").run(now, m[1]);
    return { name: `token:${row.name}`, groups: [], via: "token", grants: [JSON.parse(row.grant_json) as Grant] };
  }

  tokens(): TokenInfo[] {
    const rows = this.db.prepare("SELECT * FROM tokens ORDER BY created DESC, rowid DESC").all() as {
      id: string;
      name: string;
      grant_json: string;
      created_by: string;
      created: number;
      expires: number | null;
      revoked: number | null;
      last_used: number | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      grant: JSON.parse(r.grant_json) as Grant,
      createdBy: r.created_by,
      createdAt: r.created,
      expiresAt: r.expires,
      revokedAt: r.revoked,
      lastUsedAt: r.last_used,
    }));
  }

  /** Revokes a token for good; false when there is no such token or it was revoked already. */
  revokeToken(id: string, now = Date.now()): boolean {
    return this.db.prepare("UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL").run(now, id).changes > 0;
  }

  close(): void {
    this.db.close();
  }
}
