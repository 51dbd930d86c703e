import "server-only";
import { type ChildProcess, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { logger } from "../logger";
import type { NodeSpec } from "./node-config";

export type StopMode = "graceful" | "kill";
export type ProcessState = "stopped" | "running" | "stopping";

export interface NodeProcessOptions {
  /** This node's folder: server.properties, node.pid, logs/. */
  dir: string;
  classpath: string;
  log4jConfig: string;
  heapMb: number;
  /** How long a graceful stop may take before the node is killed. */
  stopTimeoutMs: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

const PID_FILE = "node.pid";

/** The system property that marks a JVM as this node's: how a pid file is checked before it is trusted. */
function markerFor(dir: string): string {
  return `-Dquorum.node=${dir}`;
}

/** Whether a process with this pid exists (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function cmdlineHas(pid: number, marker: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(marker);
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ends a node JVM left behind by an earlier Quorum process that died hard (its pid file is still
 * there and the pid still runs this node's command line). Returns the pid it ended, or null.
 */
export async function reapOrphan(dir: string, graceMs = 10_000): Promise<number | null> {
  const pidFile = path.join(dir, PID_FILE);
  let pid: number;
  let owner: number;
  try {
    const recorded = JSON.parse(fs.readFileSync(pidFile, "utf8"));
    pid = Number(recorded.pid);
    owner = Number(recorded.owner);
  } catch {
    return null;
  }
  const marker = markerFor(dir);
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner) && cmdlineHas(pid, marker)) {
    throw new Error(`node folder ${dir} is in use by another Quorum process (pid ${owner}): stop it first`);
  }
  if (!Number.isInteger(pid) || pid <= 0 || !cmdlineHas(pid, marker)) {
    fs.rmSync(pidFile, { force: true });
    return null;
  }
  logger.warn({ pid, dir }, "ending a node left running by an earlier Quorum process");
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isAlive(pid)) await sleep(100);
  if (isAlive(pid) && cmdlineHas(pid, marker)) process.kill(pid, "SIGKILL");
  while (isAlive(pid) && cmdlineHas(pid, marker)) await sleep(50);
  fs.rmSync(pidFile, { force: true });
  return pid;
}

/**
 * One Kafka node (broker or controller) as a child JVM. The JVM runs QuorumNode, which shuts the
 * node down when its stdin (a pipe from this process) closes, so it cannot outlive Quorum; it runs
 * in its own process group so a terminal's Ctrl-C reaches Quorum, which then stops nodes in order.
 */
export class NodeProcess extends EventEmitter<{ exit: [ExitInfo] }> {
  private child: ChildProcess | null = null;
  private exitPromise: Promise<ExitInfo> | null = null;
  private stopping = false;
  lastExit: ExitInfo | null = null;
  startedAt: number | null = null;

  constructor(
    readonly spec: NodeSpec,
    private readonly opts: NodeProcessOptions,
  ) {
    super();
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get state(): ProcessState {
    if (!this.child) return "stopped";
    return this.stopping ? "stopping" : "running";
  }

  get logFile(): string {
    return path.join(this.opts.dir, "logs", "server.log");
  }

  start(): void {
    if (this.child) return;
    const logsDir = path.join(this.opts.dir, "logs");
    fs.mkdirSync(logsDir, { recursive: true });
    const out = fs.openSync(path.join(logsDir, "stdout.log"), "a");
    const args = [
      `-Xmx${this.opts.heapMb}m`,
      "-Xms64m",
      "-XX:+UseG1GC",
      "-XX:MaxGCPauseMillis=20",
      "-XX:TieredStopAtLevel=1",
      "-Djava.awt.headless=true",
      `-Dkafka.logs.dir=${logsDir}`,
      `-Dlog4j2.configurationFile=${this.opts.log4jConfig}`,
      markerFor(this.opts.dir),
      "-cp",
      this.opts.classpath,
      "QuorumNode",
      path.join(this.opts.dir, "server.properties"),
    ];
    let child: ChildProcess;
    try {
      child = spawn("java", args, { stdio: ["pipe", out, out], detached: true });
    } finally {
      fs.closeSync(out);
    }
    child.stdin?.on("error", () => {});
    this.child = child;
    this.stopping = false;
    this.startedAt = Date.now();
    this.exitPromise = new Promise<ExitInfo>((resolve) => {
      child.once("error", (err) => {
        logger.error({ node: this.spec.id, err: err.message }, "could not start the node's JVM");
      });
      child.once("close", (code, signal) => {
        const info: ExitInfo = { code, signal, at: Date.now() };
        this.child = null;
        this.stopping = false;
        this.lastExit = info;
        fs.rmSync(path.join(this.opts.dir, PID_FILE), { force: true });
        logger.info({ node: this.spec.id, role: this.spec.role, code, signal }, "node exited");
        this.emit("exit", info);
        resolve(info);
      });
    });
    if (child.pid) {
      fs.writeFileSync(
        path.join(this.opts.dir, PID_FILE),
        JSON.stringify({ pid: child.pid, owner: process.pid, startedAt: this.startedAt }),
      );
    }
    logger.info({ node: this.spec.id, role: this.spec.role, pid: child.pid, port: this.spec.port }, "node starting");
  }

  /**
   * graceful: SIGTERM, Kafka's controlled shutdown (leaderships handed over first), killed if it
   * takes longer than stopTimeoutMs. kill: SIGKILL, a crash as the cluster sees it.
   */
  async stop(mode: StopMode): Promise<ExitInfo | null> {
    const child = this.child;
    const exited = this.exitPromise;
    if (!child || !exited) return this.lastExit;
    this.stopping = true;
    if (mode === "kill") {
      child.kill("SIGKILL");
      return exited;
    }
    child.kill("SIGTERM");
    const timer = setTimeout(() => {
      logger.warn({ node: this.spec.id }, "graceful stop timed out: killing the node");
      child.kill("SIGKILL");
    }, this.opts.stopTimeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
