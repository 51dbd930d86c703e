import "server-only";

/**
 * When a graceful node stop gives up. A stop is never cut short while the node shows progress: a
 * node is killed only after STOP_IDLE_LIMIT_MS without any, or after STOP_CEILING_MS in all.
 */
export const STOP_IDLE_LIMIT_MS = 15_000;
export const STOP_CEILING_MS = 300_000;
/** CPU used over a sample, as a share of one core, above which the node counts as working. */
export const STOP_BUSY_CPU_SHARE = 0.1;
/** How often a stopping node is looked at, and how often the server log says it is still stopping. */
export const STOP_SAMPLE_MS = 1_000;
export const STOP_REPORT_MS = 5_000;

export interface StopLimits {
  idleMs: number;
  ceilingMs: number;
  busyCpuShare: number;
}

export const DEFAULT_STOP_LIMITS: StopLimits = {
  idleMs: STOP_IDLE_LIMIT_MS,
  ceilingMs: STOP_CEILING_MS,
  busyCpuShare: STOP_BUSY_CPU_SHARE,
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
}

export interface StopProgress {
  startedAt: number;
  lastProgressAt: number;
  last: StopObservation | null;
  /** Totals since the stop began, for the progress report (CPU: the node's own). */
  newLogLines: number;
  cpuMs: number;
}

export function beginStop(at: number): StopProgress {
  return { startedAt: at, lastProgressAt: at, last: null, newLogLines: 0, cpuMs: 0 };
}

/**
 * Folds one observation in: progress is new log output, or the node (or a node its stop waits on)
 * busy on the CPU since the last look.
 */
export function observeStop(state: StopProgress, obs: StopObservation, limits = DEFAULT_STOP_LIMITS): StopProgress {
  const prev = state.last;
  const span = Math.max(1, obs.at - (prev?.at ?? state.startedAt));
  const used = obs.cpuMs.map((now, i) => {
    const before = prev?.cpuMs[i];
    return now != null && before != null ? Math.max(0, now - before) : 0;
  });
  const cpu = used[0] ?? 0;
  const busy = used.some((ms) => ms >= limits.busyCpuShare * span);
  const progressed = obs.newLogLines > 0 || busy;
  return {
    startedAt: state.startedAt,
    lastProgressAt: progressed ? obs.at : state.lastProgressAt,
    last: obs,
    newLogLines: state.newLogLines + obs.newLogLines,
    cpuMs: state.cpuMs + cpu,
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
  return (
    `${secs(now - state.startedAt)} so far, ${state.newLogLines} new log line(s), ` +
    `${secs(state.cpuMs)} CPU, last progress ${secs(now - state.lastProgressAt)} ago`
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
  constructor(private readonly cap = 20_000) {}

  count(lines: string[]): number {
    let fresh = 0;
    for (const line of lines) {
      const key = logLineKey(line);
      if (key === "" || this.seen.has(key)) continue;
      fresh++;
      if (this.seen.size < this.cap) this.seen.add(key);
    }
    return fresh;
  }
}
