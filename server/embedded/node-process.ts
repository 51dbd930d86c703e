import "server-only";
import { type ChildProcess, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { logger } from "../logger";
import type { NodeSpec } from "./node-config";
import {
  beginStop,
  DEFAULT_STOP_LIMITS,
  describeStop,
  NewLineCounter,
  observeStop,
  STOP_REPORT_MS,
  STOP_SAMPLE_MS,
  type StopLimits,
  shortLine,
  stopVerdict,
} from "./stop-progress";

export type StopMode = "graceful" | "kill";
export type ProcessState = "stopped" | "running" | "stopping";

export interface NodeProcessOptions {
  /** This node's folder: server.properties, node.pid, logs/. */
  dir: string;
  classpath: string;
  log4jConfig: string;
  heapMb: number;
  /** When a graceful stop that shows no progress is given up (default: DEFAULT_STOP_LIMITS). */
  stopLimits?: StopLimits;
  /**
   * host:port addresses this node, when Quorum is gone and it shuts itself down, waits to see
   * closed first (bounded): a controller's brokers, so they finish their controlled shutdown.
   */
  awaitClosed?: string[];
  /** A -javaagent argument (the JMX exporter), or none. */
  javaAgent?: string;
  /** The java executable (default: java on PATH). */
  java?: string;
  /**
   * The nodes a graceful stop of this one waits on (a broker's controllers, which carry out its
   * controlled shutdown): their new log lines and CPU work count as this stop's progress.
   */
  stopPeers?: () => NodeProcess[];
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

const PID_FILE = "node.pid";

/**
 * How long a node whose Quorum is gone (crashed, SIGKILLed, a development server that ends its
 * worker at once) may take over its own shutdown before its watchdog halts it (QuorumNode's
 * quorum.haltAfterMs; a controller waits for its brokers that long and 5 s more). QuorumNode's own
 * default, 20 s, is overrun by a broker closing thousands of logs (19 s at 3,300 leaderships under
 * load), which leaves its logs to recover at the next start (minutes at 10,000 partitions).
 */
export const PARENT_GONE_HALT_MS = 180_000;

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

/** CPU time (user + system) a process has used so far, from /proc; null where it cannot be read. */
export function cpuTimeMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime
    // are fields 14 and 15 of the line, in clock ticks (100 a second on Linux).
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(rest[11]) + Number(rest[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

/**
 * Bytes a process has caused to be written to storage so far (/proc/<pid>/io write_bytes); null
 * where it cannot be read.
 */
export function diskWriteBytes(pid: number): number | null {
  try {
    const m = /^write_bytes:\s*(\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/io`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Reads what is appended to a few log files, from where they ended when it was made; a file that
 * shrank (rolled over) is read again from its start. At most `maxBytes` a file per read.
 */
export class LogFollower {
  private readonly offsets = new Map<string, number>();
  private readonly partial = new Map<string, string>();

  constructor(
    private readonly files: string[],
    private readonly maxBytes = 1 << 20,
  ) {
    for (const f of files) this.offsets.set(f, this.size(f));
  }

  private size(file: string): number {
    try {
      return fs.statSync(file).size;
    } catch {
      return 0;
    }
  }

  /** Bytes the last read() found appended. */
  lastBytes = 0;

  /** The complete lines appended since the last read. */
  read(): string[] {
    const lines: string[] = [];
    this.lastBytes = 0;
    for (const file of this.files) {
      const size = this.size(file);
      let from = this.offsets.get(file) ?? 0;
      if (size < from) {
        from = 0;
        this.partial.set(file, "");
      }
      if (size === from) continue;
      const start = Math.max(from, size - this.maxBytes);
      const buf = Buffer.alloc(size - start);
      let fd: number | null = null;
      try {
        fd = fs.openSync(file, "r");
        fs.readSync(fd, buf, 0, buf.length, start);
      } catch {
        continue;
      } finally {
        if (fd !== null) fs.closeSync(fd);
      }
      this.offsets.set(file, size);
      this.lastBytes += size - from;
      const text = (start === from ? (this.partial.get(file) ?? "") : "") + buf.toString("utf8");
      const parts = text.split("\n");
      this.partial.set(file, parts.pop() ?? "");
      lines.push(...parts);
    }
    return lines;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ends a node JVM left behind by an earlier Quorum process that died hard (its pid file is still
 * there and the pid still runs this node's command line). Returns the pid it ended, or null. Such a
 * node may still be shutting itself down (its watchdog saw Quorum go): it is SIGKILLed only after
 * `idleMs` without progress (the stop-progress rule), so a broker closing its logs is not cut short.
 */
export async function reapOrphan(dir: string, idleMs = DEFAULT_STOP_LIMITS.idleMs): Promise<number | null> {
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
  const limits = { ...DEFAULT_STOP_LIMITS, idleMs };
  const follower = new LogFollower([path.join(dir, "logs", "server.log"), path.join(dir, "logs", "stdout.log")]);
  const fresh = new NewLineCounter();
  let progress = beginStop(Date.now());
  let lastSample = progress.startedAt;
  while (isAlive(pid)) {
    await sleep(100);
    const now = Date.now();
    if (now - lastSample < STOP_SAMPLE_MS) continue;
    lastSample = now;
    progress = observeStop(
      progress,
      {
        at: now,
        newLogLines: fresh.count(follower.read()),
        cpuMs: [cpuTimeMs(pid)],
        diskBytes: [diskWriteBytes(pid)],
        logBytes: follower.lastBytes,
      },
      limits,
    );
    if (stopVerdict(progress, now, limits).kill) break;
  }
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
  /** Whether Quorum asked this run to stop (a stop or a kill), as opposed to it ending by itself. */
  stopAsked = false;
  /** While a graceful stop runs: when the node last showed progress (see stop-progress.ts). */
  lastStopProgressAt: number | null = null;

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

  /** Where this node's output goes: Kafka's log and the JVM's own stdout/stderr. */
  get logFiles(): string[] {
    return [this.logFile, path.join(this.opts.dir, "logs", "stdout.log")];
  }

  /** "broker 2", "controller 101": how the server log names this node. */
  get name(): string {
    return `${this.spec.role} ${this.spec.id}`;
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
      ...(this.opts.javaAgent ? [this.opts.javaAgent] : []),
      `-Dkafka.logs.dir=${logsDir}`,
      `-Dlog4j2.configurationFile=${this.opts.log4jConfig}`,
      markerFor(this.opts.dir),
      `-Dquorum.haltAfterMs=${PARENT_GONE_HALT_MS}`,
      ...(this.opts.awaitClosed?.length ? [`-Dquorum.awaitClosed=${this.opts.awaitClosed.join(",")}`] : []),
      "-cp",
      this.opts.classpath,
      "QuorumNode",
      path.join(this.opts.dir, "server.properties"),
    ];
    let child: ChildProcess;
    try {
      child = spawn(this.opts.java ?? "java", args, { stdio: ["pipe", out, out], detached: true });
    } finally {
      fs.closeSync(out);
    }
    child.stdin?.on("error", () => {});
    this.child = child;
    this.stopping = false;
    this.stopAsked = false;
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
   * graceful: SIGTERM, Kafka's controlled shutdown (leaderships handed over first). The node is
   * killed only when it shows no progress — no new log output, no CPU work — for the idle limit,
   * or at the ceiling (DEFAULT_STOP_LIMITS); meanwhile the server log says how it is going.
   * kill: SIGKILL, a crash as the cluster sees it.
   */
  async stop(mode: StopMode): Promise<ExitInfo | null> {
    const child = this.child;
    const exited = this.exitPromise;
    if (!child || !exited) return this.lastExit;
    this.stopAsked = true;
    if (mode === "kill") {
      this.stopping = true;
      child.kill("SIGKILL");
      return exited;
    }
    if (this.stopping) return exited;
    this.stopping = true;
    const limits = this.opts.stopLimits ?? DEFAULT_STOP_LIMITS;
    const peers = (this.opts.stopPeers?.() ?? []).filter((p) => p !== this);
    const follower = new LogFollower([this, ...peers].flatMap((n) => n.logFiles));
    const fresh = new NewLineCounter();
    const began = Date.now();
    let progress = beginStop(began);
    this.lastStopProgressAt = began;
    let lastReport = began;
    let killedFor: string | null = null;
    child.kill("SIGTERM");
    const timer = setInterval(() => {
      const now = Date.now();
      const pids = [child.pid ?? null, ...peers.map((p) => p.pid)];
      const newLogLines = fresh.count(follower.read());
      progress = observeStop(
        progress,
        {
          at: now,
          newLogLines,
          cpuMs: pids.map((id) => (id ? cpuTimeMs(id) : null)),
          diskBytes: pids.map((id) => (id ? diskWriteBytes(id) : null)),
          logBytes: follower.lastBytes,
        },
        limits,
      );
      this.lastStopProgressAt = progress.lastProgressAt;
      const verdict = stopVerdict(progress, now, limits);
      if (verdict.kill) {
        clearInterval(timer);
        killedFor = verdict.reason;
        logger.warn(
          { node: this.spec.id, role: this.spec.role },
          `${this.name} graceful stop given up (${verdict.reason}): killing it (SIGKILL)`,
        );
        child.kill("SIGKILL");
      } else if (now - lastReport >= STOP_REPORT_MS) {
        lastReport = now;
        logger.info(
          { node: this.spec.id, role: this.spec.role },
          `${this.name} still stopping: ${describeStop(progress, now)}` +
            (fresh.last ? `; last new log line: ${shortLine(fresh.last)}` : ""),
        );
      }
    }, STOP_SAMPLE_MS);
    try {
      const info = await exited;
      const secs = ((info.at - began) / 1000).toFixed(1);
      if (killedFor === null && info.signal !== "SIGKILL") {
        logger.info(
          { node: this.spec.id, role: this.spec.role, ms: info.at - began, code: info.code },
          `${this.name} stopped cleanly in ${secs} s`,
        );
      } else {
        logger.warn(
          { node: this.spec.id, role: this.spec.role, ms: info.at - began, signal: info.signal },
          `${this.name} was killed after ${secs} s${killedFor ? `: ${killedFor}` : ""}`,
        );
      }
      return info;
    } finally {
      clearInterval(timer);
    }
  }
}
