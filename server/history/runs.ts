import "server-only";
import { MAX_CHART_POINTS } from "@/lib/metric-series";
import { GAP_FACTOR } from "./series";

/**
 * A row of the history: a run of consecutive samples of one series, from its first sample (`ts0`)
 * to its last (`ts`), `n` samples in all, no two of them further apart than the gap allowance
 * (GAP_FACTOR sample intervals). A fresh sample is a run of one (`ts0 === ts`). Runs are made two
 * ways: a series whose values did not change since its last sample extends that run instead of
 * adding a row, and older runs are merged into time buckets (downsampling, see TIERS). A run never
 * spans a gap, so a gap stays visible at every resolution.
 *
 * Per kind of value, a run keeps:
 * - a gauge (lag, lag in time, total lag): its largest value over the run (what a bucket should
 *   not hide is the peak);
 * - a counter (committed offsets, log-end offsets): its value at the first and at the last sample,
 *   so the rate over a run and between runs is the exact increase over the time the samples cover;
 * - everything else (members, log-start offsets): its value at the last sample.
 */
export interface Run {
  ts0: number;
  ts: number;
  n: number;
}

export interface GroupRun extends Run {
  lag: number | null;
  committed0: number | null;
  committed: number | null;
  logEnd: number | null;
  members: number;
  lagMs: number | null;
}

export interface TopicRun extends Run {
  logEnd0: number;
  logEnd: number;
  logStart: number;
}

export interface ClusterRun extends Run {
  totalLag: number;
  logEnd0: number;
  logEnd: number;
}

/**
 * Downsampling: rows whose last sample is older than `afterMs` are merged into buckets of
 * `widthMs`. Per series that changes every 2 s sample, a day costs at most ~150 rows for the last
 * 5 minutes, 60 for the next 10, 345 for the rest of 6 hours and 108 for the rest of the day.
 */
export const TIERS = [
  { afterMs: 5 * 60_000, widthMs: 10_000 },
  { afterMs: 15 * 60_000, widthMs: 60_000 },
  { afterMs: 6 * 3_600_000, widthMs: 10 * 60_000 },
] as const;

/** The most points a history answer holds, whatever its time range (longer ranges are merged into buckets). */
export const MAX_POINTS = MAX_CHART_POINTS;

export const gapOf = (sampleMs: number) => sampleMs * GAP_FACTOR;

const maxOrNull = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Two adjacent runs of one series as one (a before b). */
export const mergeGroup = (a: GroupRun, b: GroupRun): GroupRun => ({
  ts0: a.ts0,
  ts: b.ts,
  n: a.n + b.n,
  lag: maxOrNull(a.lag, b.lag),
  committed0: a.committed0 ?? b.committed0,
  committed: b.committed ?? a.committed,
  logEnd: b.logEnd ?? a.logEnd,
  members: b.members,
  lagMs: maxOrNull(a.lagMs, b.lagMs),
});

export const mergeTopic = (a: TopicRun, b: TopicRun): TopicRun => ({
  ts0: a.ts0,
  ts: b.ts,
  n: a.n + b.n,
  logEnd0: a.logEnd0,
  logEnd: b.logEnd,
  logStart: b.logStart,
});

export const mergeCluster = (a: ClusterRun, b: ClusterRun): ClusterRun => ({
  ts0: a.ts0,
  ts: b.ts,
  n: a.n + b.n,
  totalLag: Math.max(a.totalLag, b.totalLag),
  logEnd0: a.logEnd0,
  logEnd: b.logEnd,
});

/**
 * One series' runs (oldest first) merged per bucket of `widthMs` (by the time of each run's last
 * sample), never across a gap: two runs join only when the second began at most `gapMs` after the
 * first ended.
 */
export function mergeRuns<R extends Run>(runs: R[], widthMs: number, gapMs: number, merge: (a: R, b: R) => R): R[] {
  const out: R[] = [];
  for (const r of runs) {
    const prev = out[out.length - 1];
    if (prev && Math.floor(prev.ts / widthMs) === Math.floor(r.ts / widthMs) && r.ts0 - prev.ts <= gapMs) {
      out[out.length - 1] = merge(prev, r);
    } else out.push(r);
  }
  return out;
}

/** How many points `toPoints` makes of these runs (two for a run of several samples, one otherwise, one per gap). */
export function pointCount(runs: Run[], gapMs: number): number {
  let count = 0;
  runs.forEach((r, i) => {
    const prev = runs[i - 1];
    if (prev && r.ts0 - prev.ts > gapMs) count++;
    count += r.ts0 < r.ts ? 2 : 1;
  });
  return count;
}

/**
 * Runs merged until they make at most `maxPoints` points over [since, now]: first into buckets of
 * (now − since) / (maxPoints / 2) keeping every gap; only when gaps alone are too many (samples that
 * come and go all the time) are gaps shorter than a bucket merged over too.
 */
export function bounded<R extends Run>(
  runs: R[],
  since: number,
  now: number,
  gapMs: number,
  merge: (a: R, b: R) => R,
  maxPoints = MAX_POINTS,
): R[] {
  if (pointCount(runs, gapMs) <= maxPoints) return runs;
  // A gap point per bucket boundary at most, two points per run: a quarter of the points per bucket.
  const width = Math.max(1, Math.ceil((now - since) / Math.floor(maxPoints / 4)));
  const merged = mergeRuns(runs, width, gapMs, merge);
  if (pointCount(merged, gapMs) <= maxPoints) return merged;
  return mergeRuns(runs, width, Math.max(gapMs, width), merge);
}

/**
 * The points of a series of runs, oldest first: a run of one sample is one point; a longer run a
 * point at its first and at its last sample (no earlier than `since`), both with its values, so a
 * value that held for minutes is drawn flat and a bucket as a step. Between two runs further apart
 * than `gapMs`, a blank point (`blank`) at the time the first missing sample was due, and one at
 * `now` when nothing was sampled for longer than that. `rate` of a counter read at a run's first
 * (`c0`) and last (`c`) sample: the increase since the previous run's last sample over that time
 * when the runs are adjacent, else over the run itself (null for a lone sample after a gap). A
 * counter that went down (a topic deleted and created again) counts as 0.
 */
export function toPoints<R extends Run, P extends { ts: number }>(
  runs: R[],
  opts: {
    sampleMs: number;
    since: number;
    now?: number;
    counter: (r: R) => { c0: number | null; c: number | null };
    point: (r: R, ts: number, rate: number | null) => P;
    blank: (ts: number) => P;
  },
): P[] {
  const gapMs = gapOf(opts.sampleMs);
  const out: P[] = [];
  let prev: R | undefined;
  for (const r of runs) {
    const adjacent = prev !== undefined && r.ts0 - prev.ts <= gapMs;
    if (prev && !adjacent) out.push(opts.blank(prev.ts + opts.sampleMs));
    const { c0, c } = opts.counter(r);
    const before = adjacent && prev ? opts.counter(prev).c : null;
    let rate: number | null = null;
    if (adjacent && prev && c !== null && before !== null && r.ts > prev.ts) {
      rate = Math.max(0, ((c - before) * 1000) / (r.ts - prev.ts));
    } else if (!adjacent && c !== null && c0 !== null && r.ts > r.ts0) {
      rate = Math.max(0, ((c - c0) * 1000) / (r.ts - r.ts0));
    }
    const first = Math.max(r.ts0, opts.since);
    if (first < r.ts) out.push(opts.point(r, first, rate));
    out.push(opts.point(r, r.ts, rate));
    prev = r;
  }
  if (prev && opts.now !== undefined && opts.now - prev.ts > gapMs) out.push(opts.blank(opts.now));
  return out;
}

/**
 * The samples a run stands for within [since, ∞): a run extended because nothing changed holds `n`
 * samples of the same values between `ts0` and `ts`; they are spread evenly over it. For judging
 * lag status, which counts samples.
 */
export function samplesOf<R extends Run>(r: R, since: number): number[] {
  if (r.n <= 1 || r.ts0 >= r.ts) return r.ts >= since ? [r.ts] : [];
  const step = (r.ts - r.ts0) / (r.n - 1);
  const out: number[] = [];
  for (let i = 0; i < r.n; i++) {
    const t = Math.round(r.ts0 + i * step);
    if (t >= since) out.push(t);
  }
  return out;
}
