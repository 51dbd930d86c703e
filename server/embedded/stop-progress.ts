import "server-only";

/**
 * When a graceful node stop gives up. A stop is never cut short while the node shows progress: a
 * node is killed only after STOP_IDLE_LIMIT_MS without any, or after STOP_CEILING_MS in all.
 */
export const STOP_IDLE_LIMIT_MS = 15_000;
export const STOP_CEILING_MS = 300_000;
/** Quorum's stop (SIGTERM and the like) exits anyway if it hangs: past the longest a broker stop and then a controller stop may take. */
export const STOP_HARD_EXIT_MS = 2 * STOP_CEILING_MS + 60_000;
/**
 * Exit anyway, sooner, if the stop shows no progress for this long: no node being stopped has
 * logged, used the CPU or written to disk, and none exited. A node stop itself gives up after
 * STOP_IDLE_LIMIT_MS without progress, so this only ends a stop stuck outside the nodes; it never
 * cuts one whose nodes are still working, however long they take (each is bounded by its ceiling).
 */
export const STOP_HARD_IDLE_MS = STOP_IDLE_LIMIT_MS + 45_000;

/**
 * Whether to exit now without waiting for the stop any longer: past the absolute limit, or no
 * progress for STOP_HARD_IDLE_MS (`lastProgressAt`: the embedded cluster's, else when the stop began).
 */
export function hardExitReason(began: number, lastProgressAt: number | null, now: number): string | null {
  if (now - began >= STOP_HARD_EXIT_MS) return `still stopping after ${Math.round((now - began) / 1000)} s`;
  const idle = now - Math.max(began, lastProgressAt ?? began);
  if (idle >= STOP_HARD_IDLE_MS) return `no progress for ${Math.round(idle / 1000)} s`;
  return null;
}

/** CPU used over a sample, as a share of one core, above which the node counts as working. */
export const STOP_BUSY_CPU_SHARE = 0.1;
/**
 * Bytes a second written to storage, besides its log output, above which the node counts as
 * working. A broker closing thousands of logs (flushing them, trimming their index files) writes
 * no log line for many seconds and, waiting on the disk, may use little CPU; a node stuck in a
 * retry loop writes only its (repeated) log lines.
 */
export const STOP_BUSY_DISK_BYTES_PER_SEC = 64 * 1024;
/** How often a stopping node is looked at, and how often the server log says it is still stopping. */
export const STOP_SAMPLE_MS = 1_000;
export const STOP_REPORT_MS = 5_000;

export interface StopLimits {
  idleMs: number;
  ceilingMs: number;
  busyCpuShare: number;
  /** Absent: disk writes are not looked at. */
  busyDiskBytesPerSec?: number;
}

export const DEFAULT_STOP_LIMITS: StopLimits = {
  idleMs: STOP_IDLE_LIMIT_MS,
  ceilingMs: STOP_CEILING_MS,
  busyCpuShare: STOP_BUSY_CPU_SHARE,
  busyDiskBytesPerSec: STOP_BUSY_DISK_BYTES_PER_SEC,
};

/**
 * When the start of the embedded cluster gives up, by the same rule: never while a node shows
 * progress (new log lines, CPU work). A broker restarted after a crash recovers every log first
 * (minutes at tens of thousands of partitions, writing a line per partition), so a fixed timeout
 * would fail a start that is going well. A start is given up after START_IDLE_LIMIT_MS without any
 * progress from any node, or START_CEILING_MS in all.
 */
export const START_IDLE_LIMIT_MS = 120_000;
export const START_CEILING_MS = 3_600_000;
/** How often the server log says the cluster is still starting. */
export const START_REPORT_MS = 10_000;

export const DEFAULT_START_LIMITS: StopLimits = {
  idleMs: START_IDLE_LIMIT_MS,
  ceilingMs: START_CEILING_MS,
  busyCpuShare: STOP_BUSY_CPU_SHARE,
  busyDiskBytesPerSec: STOP_BUSY_DISK_BYTES_PER_SEC,
};

/** One look at a stopping node. */
export interface StopObservation {
  at: number;
  /** Log lines written since the last look, by the node or those it waits on, not written before during this stop. */
  newLogLines: number;
  /**
   * CPU time so far (user + system) of the node and of the nodes its stop waits on (a broker's
   * controllers, which carry out its controlled shutdown), always in the same order; null where
   * it cannot be read.
   */
  cpuMs: (number | null)[];
  /**
   * Bytes written to storage so far by the same nodes, in the same order (/proc/<pid>/io
   * write_bytes); null where it cannot be read. Absent: not looked at.
   */
  diskBytes?: (number | null)[];
  /** Bytes appended to the followed log files since the last look: not counted as disk work. */
  logBytes?: number;
}

export interface StopProgress {
  startedAt: number;
  lastProgressAt: number;
  last: StopObservation | null;
  /** Totals since the stop began, for the progress report (CPU and disk: the node's own, disk besides its log). */
  newLogLines: number;
  cpuMs: number;
  diskBytes: number;
}

export function beginStop(at: number): StopProgress {
  return { startedAt: at, lastProgressAt: at, last: null, newLogLines: 0, cpuMs: 0, diskBytes: 0 };
}

/** How much each counter grew since the previous look (0 where either is unknown). */
function growth(now: (number | null)[] | undefined, before: (number | null)[] | undefined): number[] {
  return (now ?? []).map((v, i) => {
    const was = before?.[i];
    return v != null && was != null ? Math.max(0, v - was) : 0;
  });
}

/**
 * Folds one observation in: progress is new log output, or the node (or a node its stop waits on)
 * busy on the CPU, or writing to storage (besides its log output), since the last look.
 */
export function observeStop(state: StopProgress, obs: StopObservation, limits = DEFAULT_STOP_LIMITS): StopProgress {
  const prev = state.last;
  const span = Math.max(1, obs.at - (prev?.at ?? state.startedAt));
  const used = growth(obs.cpuMs, prev?.cpuMs);
  const cpu = used[0] ?? 0;
  const busy = used.some((ms) => ms >= limits.busyCpuShare * span);
  // The log output is written by the same processes: what they wrote besides it is their work.
  const written = Math.max(0, growth(obs.diskBytes, prev?.diskBytes).reduce((a, b) => a + b, 0) - (obs.logBytes ?? 0));
  const writing = limits.busyDiskBytesPerSec !== undefined && written >= (limits.busyDiskBytesPerSec * span) / 1000;
  const progressed = obs.newLogLines > 0 || busy || writing;
  return {
    startedAt: state.startedAt,
    lastProgressAt: progressed ? obs.at : state.lastProgressAt,
    last: obs,
    newLogLines: state.newLogLines + obs.newLogLines,
    cpuMs: state.cpuMs + cpu,
    diskBytes: state.diskBytes + written,
  };
}

export type StopVerdict = { kill: false } | { kill: true; reason: string };

/** Whether to give up on a graceful stop now. */
export function stopVerdict(state: StopProgress, now: number, limits = DEFAULT_STOP_LIMITS): StopVerdict {
  if (now - state.startedAt >= limits.ceilingMs)
    return { kill: true, reason: `still not stopped after ${Math.round(limits.ceilingMs / 1000)} s` };
  if (now - state.lastProgressAt >= limits.idleMs)
    return { kill: true, reason: `no progress for ${Math.round((now - state.lastProgressAt) / 1000)} s` };
  return { kill: false };
}

/** One line for the server log: how long, and what the node has been doing. */
export function describeStop(state: StopProgress, now: number): string {
  const secs = (ms: number) => `${Math.round(ms / 1000)} s`;
  const disk = state.diskBytes > 0 ? `, ${(state.diskBytes / 1024 / 1024).toFixed(1)} MB written` : "";
  return (
    `${secs(now - state.startedAt)} so far, ${state.newLogLines} new log line(s), ` +
    `${secs(state.cpuMs)} CPU${disk}, last progress ${secs(now - state.lastProgressAt)} ago`
  );
}

/**
 * A log line without its timestamp: a node that repeats itself (a broker retrying an unreachable
 * controller) writes the same lines over and over, which is not progress.
 */
export function logLineKey(line: string): string {
  return line.replace(/^\[\d{4}-\d\d-\d\d[ T][\d:.,]+\]\s*/, "").trim();
}

/** Remembers the lines written during one stop and counts the ones not seen before. */
export class NewLineCounter {
  private readonly seen = new Set<string>();
  /** The newest line not seen before (without its timestamp): what the node was doing last. */
  last: string | null = null;
  constructor(private readonly cap = 20_000) {}

  count(lines: string[]): number {
    let fresh = 0;
    for (const line of lines) {
      const key = logLineKey(line);
      if (key === "" || this.seen.has(key)) continue;
      fresh++;
      this.last = key;
      if (this.seen.size < this.cap) this.seen.add(key);
    }
    return fresh;
  }
}

/** A log line cut to `max` characters for the server log. */
export function shortLine(line: string, max = 160): string {
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
