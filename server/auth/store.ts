import "server-only";
import crypto from "node:crypto";
import Database from "better-sqlite3";
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

  close(): void {
    this.db.close();
  }
}
