import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive } from "@/server/embedded/node-process";
import { eventually } from "../helpers/cluster";

/** Runs the fixture that holds a 1-broker cluster and resolves with its node pids once it is up. */
function holdCluster(dataDir: string, ...extra: string[]) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--conditions=react-server",
      path.join(__dirname, "../fixtures/hold-cluster.ts"),
      dataDir,
      ...extra,
    ],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, QUORUM_LOG_LEVEL: "warn" } },
  );
  const pids = new Promise<number[]>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      if (line.startsWith('{"pids"')) resolve(JSON.parse(line).pids);
    });
    child.once("exit", (code) => reject(new Error(`fixture exited early (${code})`)));
  });
  return { child, pids };
}

describe("node and console consumer JVMs never outlive Quorum", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-orphan-"));
  const started: number[] = [];

  afterAll(() => {
    for (const pid of started) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("ends every node and the demo's console consumer after the owning process is SIGKILLed, and the data dir starts again", async () => {
    const first = holdCluster(dataDir, "with-console-consumer");
    const pids = await first.pids;
    started.push(...pids);
    expect(pids).toHaveLength(3); // controller, broker, console consumer
    for (const pid of pids) expect(isAlive(pid)).toBe(true);

    const killedAt = Date.now();
    first.child.kill("SIGKILL");
    await eventually("every node JVM gone", () => (pids.every((pid) => !isAlive(pid)) ? true : undefined), 40_000);
    const goneMs = Date.now() - killedAt;
    expect(goneMs).toBeLessThan(40_000);

    // The same data dir comes back up: storage kept, stale pid files handled.
    const second = holdCluster(dataDir);
    const again = await second.pids;
    started.push(...again);
    expect(again.every((pid) => isAlive(pid))).toBe(true);
    second.child.kill("SIGKILL");
    await eventually("second run's JVMs gone", () => (again.every((pid) => !isAlive(pid)) ? true : undefined), 40_000);
  });
});
