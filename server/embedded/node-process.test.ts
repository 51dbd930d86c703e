import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isAlive, reapOrphan } from "./node-process";

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

  it("does nothing without a pid file", async () => {
    expect(await reapOrphan(nodeDir(), 2000)).toBeNull();
  });
});
