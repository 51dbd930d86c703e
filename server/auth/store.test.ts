import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { AuthStore } from "./store";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-auth-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const limits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
const ana = { name: "ana", groups: ["ops"], via: "password" as const };

describe("session store", () => {
  it("finds a session by the id it gave, and keeps only the id's hash", () => {
    const file = path.join(dir, "a.sqlite");
    const store = new AuthStore(file);
    const id = store.create(ana, 1_000);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.find(id, limits, 2_000)).toEqual(ana);
    expect(store.find(`${id}x`, limits, 2_000)).toBeNull();
    store.close();
    const raw = new Database(file, { readonly: true });
    const rows = raw.prepare("SELECT * FROM sessions").all() as Record<string, unknown>[];
    raw.close();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(id);
  });

  it("ends a session left unused past the idle limit, even if used again later", () => {
    const store = new AuthStore(path.join(dir, "b.sqlite"));
    const id = store.create(ana, 0);
    expect(store.find(id, limits, limits.idleMs - 1)).toEqual(ana); // used: the idle clock starts again
    expect(store.find(id, limits, 2 * limits.idleMs - 2)).toEqual(ana);
    expect(store.find(id, limits, 3 * limits.idleMs)).toBeNull();
    expect(store.find(id, limits, 3 * limits.idleMs + 1)).toBeNull();
    store.close();
  });

  it("ends a session at the absolute limit however much it is used", () => {
    const store = new AuthStore(path.join(dir, "c.sqlite"));
    const id = store.create(ana, 0);
    let t = 0;
    for (; t < limits.absoluteMs; t += limits.idleMs / 2) expect(store.find(id, limits, t)).toEqual(ana);
    expect(store.find(id, limits, limits.absoluteMs + 1)).toBeNull();
    store.close();
  });

  it("ends a session on sign-out, once", () => {
    const store = new AuthStore(path.join(dir, "d.sqlite"));
    const id = store.create(ana, 0);
    const other = store.create(ana, 0);
    expect(store.end(id, 10)).toBe(true);
    expect(store.end(id, 11)).toBe(false);
    expect(store.find(id, limits, 12)).toBeNull();
    expect(store.find(other, limits, 12)).toEqual(ana); // the user's other session goes on
    expect(store.prune(limits, 1_000)).toBe(1); // the ended one; the other is still good
    expect(store.find(other, limits, 1_000)).toEqual(ana);
    expect(store.prune(limits, limits.absoluteMs + 1)).toBe(1);
    store.close();
  });
});

describe("API tokens", () => {
  const grant = { user: "token:ci", role: "operator" as const, clusters: ["local"] };

  it("are found by the whole token only, kept as a hash, and end when revoked or expired", () => {
    const file = path.join(dir, "t.sqlite");
    const store = new AuthStore(file);
    const { id, token } = store.createToken({ name: "ci", grant, createdBy: "ana", expiresAt: 10_000 }, 0);
    expect(token).toMatch(new RegExp(`^qrm_${id}_[A-Za-z0-9_-]{43}$`));
    expect(store.findToken(token, 1)).toEqual({ name: "token:ci", groups: [], via: "token", grants: [grant] });
    expect(store.findToken(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, 1)).toBeNull();
    expect(store.findToken(`qrm_${"0".repeat(12)}_${token.slice(-43)}`, 1)).toBeNull();
    expect(store.findToken("not a token", 1)).toBeNull();
    expect(store.findToken(token, 10_000)).toBeNull(); // expired
    const raw = new Database(file, { readonly: true });
    expect(JSON.stringify(raw.prepare("SELECT * FROM tokens").all())).not.toContain(token.slice(-43));
    raw.close();
    const other = store.createToken({ name: "ops", grant, createdBy: "ana", expiresAt: null }, 0);
    expect(store.findToken(other.token, 99_999_999)).not.toBeNull();
    expect(store.revokeToken(other.id)).toBe(true);
    expect(store.revokeToken(other.id)).toBe(false);
    expect(store.findToken(other.token)).toBeNull();
    expect(store.tokens().map((t) => [t.name, t.revokedAt !== null, t.createdBy])).toEqual([
      ["ops", true, "ana"],
      ["ci", false, "ana"],
    ]);
    store.close();
  });
});
