import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { AuditTrail, type NewAuditEntry } from "./trail";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-audit-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const DAY = 86_400_000;

const entry = (over: Partial<NewAuditEntry>): NewAuditEntry => ({
  ts: Date.now(),
  user: "ana",
  via: "password",
  role: "admin",
  cluster: "local",
  action: "topic.create",
  request: "POST /api/clusters/local/topics",
  target: { cluster: "local" },
  summary: { name: "orders" },
  result: "ok",
  status: 201,
  durationMs: 12.4,
  address: "10.0.0.1",
  ...over,
});

describe("audit trail", () => {
  it("gives entries back newest first, filtered by user, action, cluster, refusal and time, paged by id", () => {
    const trail = new AuditTrail(path.join(dir, "a.sqlite"), 90 * DAY);
    const now = Date.now();
    trail.append(entry({ ts: now - 3000 }));
    trail.append(
      entry({ ts: now - 2000, user: "bo", role: "viewer", action: "broker.stop", status: 403, result: "forbidden" }),
    );
    trail.append(entry({ ts: now - 1000, cluster: "prod", status: 401, result: "unauthenticated", user: null }));
    const all = trail.query({ limit: 10 });
    expect(all.map((e) => e.ts)).toEqual([now - 1000, now - 2000, now - 3000]);
    expect(all[2]).toMatchObject({ summary: { name: "orders" }, target: { cluster: "local" }, durationMs: 12 });
    expect(trail.query({ user: "bo", limit: 10 }).map((e) => e.action)).toEqual(["broker.stop"]);
    expect(trail.query({ action: "topic.create", limit: 10 })).toHaveLength(2);
    expect(trail.query({ cluster: "prod", limit: 10 })).toHaveLength(1);
    expect(trail.query({ refused: true, limit: 10 }).map((e) => e.status)).toEqual([401, 403]);
    expect(trail.query({ refused: false, limit: 10 }).map((e) => e.status)).toEqual([201]);
    expect(trail.query({ since: now - 2500, until: now - 1500, limit: 10 })).toHaveLength(1);
    const [newest] = trail.query({ limit: 1 });
    expect(trail.query({ before: newest?.id, limit: 10 })).toHaveLength(2);
    trail.close();
  });

  it("cannot be changed, nor cut short of its retention, from any connection", () => {
    const file = path.join(dir, "b.sqlite");
    const trail = new AuditTrail(file, 90 * DAY);
    const now = Date.now();
    trail.append(entry({ ts: now }));
    trail.append(entry({ ts: now - 100 * DAY }));
    const other = new Database(file);
    expect(() => other.prepare("UPDATE audit SET user = 'someone-else'").run()).toThrow(/append-only/);
    expect(() => other.prepare("DELETE FROM audit").run()).toThrow(/kept for the whole retention/);
    other.close();
    // Past the retention, an entry goes (and only it).
    expect(trail.prune(now)).toBe(1);
    expect(trail.query({ limit: 10 }).map((e) => e.ts)).toEqual([now]);
    trail.close();
  });
});
