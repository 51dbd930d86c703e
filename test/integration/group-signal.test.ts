import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import getPort from "get-port";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive } from "@/server/embedded/node-process";
import { appEnv } from "../helpers/app";
import { eventually } from "../helpers/cluster";

const root = path.resolve(__dirname, "../..");

/** The server log's JSON lines (pino), in order; the plain lines of npm and start.mjs are skipped. */
function jsonLines(file: string): { msg?: string; time?: number }[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as { msg?: string; time?: number }];
      } catch {
        return [];
      }
    });
}

function nodePids(dataDir: string): { name: string; pid: number }[] {
  return fs
    .readdirSync(dataDir)
    .filter((d) => fs.existsSync(path.join(dataDir, d, "node.pid")))
    .map((d) => ({
      name: d.replace("-", " "),
      pid: Number(JSON.parse(fs.readFileSync(path.join(dataDir, d, "node.pid"), "utf8")).pid),
    }));
}

// What a terminal's Ctrl-C, systemd or a supervisor does: signal every process of `npm start`'s
// group at once (npm, its shell, start.mjs and the Next.js server each get it, and some pass it on).
describe("SIGTERM to the whole process group, twice", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-group-"));
  const logFile = path.join(os.tmpdir(), `quorum-group-signal-${process.pid}.log`);
  let app: ChildProcess | null = null;
  let pids: { name: string; pid: number }[] = [];
  let passed = false;

  afterAll(() => {
    if (app?.pid && app.exitCode === null && app.signalCode === null) {
      try {
        process.kill(-app.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    for (const { pid } of pids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
    // The server log stays for a failure to be read.
    if (passed) fs.rmSync(logFile, { force: true });
  });

  it("stops brokers, then the controller, each cleanly, within 15 s", async () => {
    const port = await getPort();
    const log = fs.openSync(logFile, "w");
    const child = spawn("npm", ["start"], {
      cwd: root,
      detached: true,
      stdio: ["ignore", log, log],
      env: appEnv(port, dataDir, { QUORUM_LOG_LEVEL: "info" }),
    });
    fs.closeSync(log);
    app = child;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const groupId = child.pid;
    if (!groupId) throw new Error("npm start did not spawn");

    const deadline = Date.now() + 240_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`npm start exited during start: see ${logFile}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/clusters/local`);
        if (res.ok && ((await res.json()) as { status: string }).status === "ok") break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the cluster was not up within 240 s: see ${logFile}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    // The demo workload is on by default: let it produce and its groups join before the signal.
    await eventually(
      "the demo workload producing",
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/api/clusters/local/workload`);
        const state = (await res.json()) as { running?: boolean; produced?: number };
        return state.running && (state.produced ?? 0) > 0 ? true : undefined;
      },
      30_000,
    );
    await new Promise((r) => setTimeout(r, 3000));
    pids = nodePids(dataDir);
    expect(pids.map((p) => p.name).sort()).toEqual(["broker 1", "broker 2", "broker 3", "controller 101"]);
    for (const { pid } of pids) expect(isAlive(pid)).toBe(true);

    const signalledAt = Date.now();
    process.kill(-groupId, "SIGTERM");
    // Whether the copies of one group signal arrive apart or merged is a matter of timing; a
    // repeat a second later (an impatient person, a supervisor that re-sends) makes it certain
    // that a repeat reaches the server while it is stopping the nodes.
    await new Promise((r) => setTimeout(r, 1000));
    process.kill(-groupId, "SIGTERM");
    await eventually("every node JVM gone", () => (pids.every(({ pid }) => !isAlive(pid)) ? true : undefined), 60_000);
    const goneMs = Date.now() - signalledAt;
    await exited;

    const lines = jsonLines(logFile);
    const cleanAt = (name: string) => lines.findIndex((l) => l.msg?.startsWith(`${name} stopped cleanly in `));
    for (const { name } of pids) expect(cleanAt(name), `"${name} stopped cleanly" in ${logFile}`).toBeGreaterThan(-1);
    const lastBroker = Math.max(...pids.filter((p) => p.name.startsWith("broker")).map((p) => cleanAt(p.name)));
    expect(cleanAt("controller 101")).toBeGreaterThan(lastBroker);
    expect(lines.filter((l) => /killed|killing|halt/i.test(l.msg ?? "")).map((l) => l.msg)).toEqual([]);
    // The nodes were stopped by the server, not by their own parent-gone watchdog.
    for (const dir of ["broker-1", "broker-2", "broker-3", "controller-101"]) {
      const out = fs.readFileSync(path.join(dataDir, dir, "logs", "stdout.log"), "utf8");
      expect(out, `${dir}/logs/stdout.log`).not.toMatch(/parent process is gone|halting/);
    }
    expect(goneMs).toBeLessThan(15_000);
    passed = true;
  }, 360_000);
});
