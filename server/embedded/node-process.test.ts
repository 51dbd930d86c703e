import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  cpuTimeMs,
  diskWriteBytes,
  isAlive,
  LogFollower,
  NodeProcess,
  PARENT_GONE_HALT_MS,
  reapOrphan,
} from "./node-process";

const dirs: string[] = [];
const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function nodeDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-reap-"));
  dirs.push(d);
  return d;
}

/** A stand-in process whose command line carries a node's marker, as a left-over JVM's would. */
async function leftover(marker: string): Promise<number> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", "--", marker], { stdio: "ignore" });
  const pid = child.pid;
  if (!pid) throw new Error("spawn failed");
  pids.push(pid);
  // Until the child has exec'd, /proc shows the parent's command line.
  for (let i = 0; i < 200; i++) {
    let cmdline: string[] = [];
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    } catch {
      // not readable for a moment while the child execs
    }
    if (cmdline.includes(marker)) return pid;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("the stand-in never showed its command line");
}

describe("reapOrphan", () => {
  it("ends a process left by a dead Quorum when its command line names this node", async () => {
    const dir = nodeDir();
    const pid = await leftover(`-Dquorum.node=${dir}`);
    fs.writeFileSync(path.join(dir, "node.pid"), JSON.stringify({ pid, owner: 999_999_999 }));
    expect(await reapOrphan(dir, 2000)).toBe(pid);
    expect(isAlive(pid)).toBe(false);
    expect(fs.existsSync(path.join(dir, "node.pid"))).toBe(false);
  });

  it("never touches a pid that now belongs to another program", async () => {
    const dir = nodeDir();
    const pid = await leftover("-Dquorum.node=/somewhere/else");
    fs.writeFileSync(path.join(dir, "node.pid"), JSON.stringify({ pid, owner: 999_999_999 }));
    expect(await reapOrphan(dir, 2000)).toBeNull();
    expect(isAlive(pid)).toBe(true);
    expect(fs.existsSync(path.join(dir, "node.pid"))).toBe(false);
  });

  it("refuses a node folder whose JVM belongs to a live Quorum process", async () => {
    const dir = nodeDir();
    const pid = await leftover(`-Dquorum.node=${dir}`);
    const owner = await leftover("owner");
    fs.writeFileSync(path.join(dir, "node.pid"), JSON.stringify({ pid, owner }));
    await expect(reapOrphan(dir, 2000)).rejects.toThrow(/in use by another Quorum process/);
    expect(isAlive(pid)).toBe(true);
  });

  it("waits while a left-over node shows progress after SIGTERM, and kills it once it is quiet", async () => {
    const dir = nodeDir();
    fs.mkdirSync(path.join(dir, "logs"));
    const log = path.join(dir, "logs", "server.log");
    // Like a broker closing its logs after its Quorum died: SIGTERM starts 3 s of new log lines, then it hangs.
    const ready = path.join(dir, "ready");
    const script = `const fs = require("fs"); process.on("SIGTERM", () => { let i = 0; const t = setInterval(() => { fs.appendFileSync(${JSON.stringify(log)}, "closing log " + i + "\\n"); if (++i === 15) clearInterval(t); }, 200); }); fs.writeFileSync(${JSON.stringify(ready)}, ""); setInterval(() => {}, 1000);`;
    const marker = `-Dquorum.node=${dir}`;
    const child = spawn(process.execPath, ["-e", script, "--", marker], { stdio: "ignore" });
    const pid = child.pid ?? 0;
    pids.push(pid);
    // It says when its SIGTERM handler is set (a fixed pause was too short on a busy machine).
    for (let i = 0; i < 1000 && !fs.existsSync(ready); i++) await new Promise((r) => setTimeout(r, 10));
    fs.writeFileSync(path.join(dir, "node.pid"), JSON.stringify({ pid, owner: 999_999_999 }));
    const began = Date.now();
    expect(await reapOrphan(dir, 1500)).toBe(pid);
    const took = Date.now() - began;
    // SIGKILLed: gone once this test process (its parent here) has reaped it.
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 10));
    expect(isAlive(pid)).toBe(false);
    // Past its 3 s of output and the 1.5 s idle limit: the old fixed grace would have killed it mid-way.
    expect(took).toBeGreaterThanOrEqual(3_500);
    expect(took).toBeLessThan(9_000);
    expect(fs.readFileSync(log, "utf8").trim().split("\n")).toHaveLength(15);
  }, 20_000);

  it("does nothing without a pid file", async () => {
    expect(await reapOrphan(nodeDir(), 2000)).toBeNull();
  });
});

describe("LogFollower", () => {
  it("returns only complete lines appended since the last read, and rereads a file that rolled over", () => {
    const dir = nodeDir();
    const file = path.join(dir, "server.log");
    fs.writeFileSync(file, "before the stop\n");
    const follower = new LogFollower([file, path.join(dir, "missing.log")]);
    expect(follower.read()).toEqual([]);
    fs.appendFileSync(file, "one\ntw");
    expect(follower.read()).toEqual(["one"]);
    expect(follower.lastBytes).toBe(6);
    fs.appendFileSync(file, "o\nthree\n");
    expect(follower.read()).toEqual(["two", "three"]);
    fs.writeFileSync(file, "after rollover\n");
    expect(follower.read()).toEqual(["after rollover"]);
    expect(follower.lastBytes).toBe(15);
    expect(follower.read()).toEqual([]);
    expect(follower.lastBytes).toBe(0);
  });

  it("keeps the last maxBytes of what was appended: what a node wrote last (why it ended) stays", () => {
    const dir = nodeDir();
    const file = path.join(dir, "server.log");
    fs.writeFileSync(file, "an earlier run's ERROR\n");
    const follower = new LogFollower([file], 12);
    fs.appendFileSync(file, "loading 1000 logs\nbind failed\n");
    expect(follower.read()).toEqual(["bind failed"]);
  });
});

describe("cpuTimeMs", () => {
  it("reads a live process's CPU time and gives null for a pid that does not exist", () => {
    const own = cpuTimeMs(process.pid);
    expect(own).not.toBeNull();
    expect(own).toBeGreaterThan(0);
    expect(cpuTimeMs(999_999_999)).toBeNull();
  });
});

/**
 * A stand-in for java: ignores SIGTERM (as a node busy in its shutdown would), prints a new line
 * every 200 ms for `busySeconds`, then goes quiet, and exits by itself after `exitAfterSeconds`.
 */
function fakeJava(dir: string, busySeconds: number, exitAfterSeconds: number): string {
  const file = path.join(dir, "fake-java.sh");
  fs.writeFileSync(
    file,
    `#!/bin/sh
trap '' TERM
i=0
while [ $i -lt ${busySeconds * 5} ]; do echo "closing log $i"; i=$((i+1)); sleep 0.2; done
exec sleep ${exitAfterSeconds - busySeconds}
`,
    { mode: 0o755 },
  );
  return file;
}

/** Resolves once the stand-in has printed its first line (its SIGTERM trap is set by then). */
async function printing(dir: string): Promise<void> {
  const out = path.join(dir, "logs", "stdout.log");
  for (let i = 0; i < 200; i++) {
    if (fs.existsSync(out) && fs.statSync(out).size > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("the stand-in never printed");
}

function stoppable(java: string, dir: string): NodeProcess {
  return new NodeProcess(
    { id: 7, role: "broker", host: "127.0.0.1", port: 1 },
    {
      dir,
      classpath: "",
      log4jConfig: "",
      heapMb: 64,
      java,
      stopLimits: { idleMs: 2_000, ceilingMs: 30_000, busyCpuShare: 0.5 },
    },
  );
}

describe("NodeProcess graceful stop", () => {
  it("waits while the node keeps logging, and kills it once it has been quiet for the idle limit", async () => {
    const dir = nodeDir();
    const node = stoppable(fakeJava(dir, 4, 60), dir);
    node.start();
    const pid = node.pid;
    if (pid) pids.push(pid);
    await printing(dir);
    const began = Date.now();
    const exit = await node.stop("graceful");
    const took = Date.now() - began;
    expect(exit?.signal).toBe("SIGKILL");
    // Past 4 s of output plus the 2 s idle limit, well before the stand-in's own 60 s.
    expect(took).toBeGreaterThanOrEqual(5_500);
    expect(took).toBeLessThan(10_000);
  }, 20_000);

  it("does not kill a node that finishes by itself while it shows progress", async () => {
    const dir = nodeDir();
    const node = stoppable(fakeJava(dir, 5, 5), dir);
    node.start();
    const pid = node.pid;
    if (pid) pids.push(pid);
    await printing(dir);
    const exit = await node.stop("graceful");
    expect(exit).toMatchObject({ code: 0, signal: null });
  }, 20_000);

  it("remembers that Quorum asked a run to stop, until the next start (a start tells it from a crash)", async () => {
    const dir = nodeDir();
    const node = stoppable(fakeJava(dir, 5, 60), dir);
    node.start();
    if (node.pid) pids.push(node.pid);
    expect(node.stopAsked).toBe(false);
    await node.stop("kill");
    expect(node.stopAsked).toBe(true);
    node.start();
    if (node.pid) pids.push(node.pid);
    expect(node.stopAsked).toBe(false);
    await node.stop("kill");
  }, 20_000);
});

describe("diskWriteBytes", () => {
  it("reads this process's bytes written to storage, and null for a pid that does not exist", () => {
    const own = diskWriteBytes(process.pid);
    expect(own === null || (Number.isInteger(own) && own >= 0)).toBe(true);
    if (fs.existsSync(`/proc/${process.pid}/io`)) expect(own).not.toBeNull();
    expect(diskWriteBytes(2 ** 30)).toBeNull();
  });
});

describe("a node's watchdog", () => {
  it("gives the node PARENT_GONE_HALT_MS, not QuorumNode's 20 s, to shut down by itself once Quorum is gone", async () => {
    const dir = nodeDir();
    const java = path.join(dir, "args-java.sh");
    fs.writeFileSync(java, '#!/bin/sh\necho "$@"\nexec sleep 5\n', { mode: 0o755 });
    const node = new NodeProcess(
      { id: 9, role: "broker", host: "127.0.0.1", port: 1 },
      { dir, classpath: "", log4jConfig: "", heapMb: 64, java },
    );
    node.start();
    if (node.pid) pids.push(node.pid);
    const out = path.join(dir, "logs", "stdout.log");
    for (let i = 0; i < 200 && !(fs.existsSync(out) && fs.statSync(out).size > 0); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(PARENT_GONE_HALT_MS).toBeGreaterThanOrEqual(120_000);
    expect(fs.readFileSync(out, "utf8").split(/\s+/)).toContain(`-Dquorum.haltAfterMs=${PARENT_GONE_HALT_MS}`);
    await node.stop("kill");
  });
});
