import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// `npm start` itself (scripts/start.mjs), before it builds or fetches anything.
const root = path.resolve(__dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-host-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function start(host: string, config: unknown) {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  if (config !== undefined) fs.writeFileSync(file, JSON.stringify(config));
  const r = spawnSync(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: { ...process.env, QUORUM_HOST: host, QUORUM_CONFIG: file, PORT: "0", QUORUM_DATA_DIR: dir },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: r.status, stderr: r.stderr };
}

describe("npm start on an address other machines reach", () => {
  const hash = "$argon2id$v=19$m=19456,t=2,p=1$CASOTGYfcObtpCNdNeLKXg$JmkuEMhsfwQvlq5ELBa64i/MLactF6SgcKsSw8G+r3c";

  it.each([
    ["no config file", undefined, "cannot be read (ENOENT)"],
    ["a file without auth", { clusters: [] }, 'has no "auth" section'],
    [
      "auth without users",
      { auth: { grants: [{ user: "ana", role: "admin" }] } },
      "names no user and no OpenID Connect provider",
    ],
    ["users without grants", { auth: { users: [{ name: "ana", passwordHash: hash }] } }, "grants no role"],
  ])("exits 1 with %s, saying what to add", (_what, config, why) => {
    const { status, stderr } = start("0.0.0.0", config);
    expect(status).toBe(1);
    expect(stderr).toContain("[quorum] QUORUM_HOST=0.0.0.0 lets other machines reach the console");
    expect(stderr).toContain(why);
    expect(stderr).toContain("npm run hash-password");
    expect(stderr).toContain("Quorum did not start.");
  });

  it("goes on past the check with a user and a grant, and on loopback without any", () => {
    // PORT=0 stops it at its next check, after the one under test.
    const withAuth = start("0.0.0.0", {
      auth: { users: [{ name: "ana", passwordHash: hash }], grants: [{ user: "ana", role: "admin" }] },
    });
    const loopback = start("127.0.0.1", undefined);
    for (const r of [withAuth, loopback]) {
      expect(r.stderr).not.toContain("Quorum did not start.");
      expect(r.stderr).toContain("PORT must be a port number");
    }
  });
});
