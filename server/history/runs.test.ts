import { describe, expect, it } from "vitest";
import { bounded, type ClusterRun, MAX_POINTS, mergeCluster, mergeRuns, pointCount, samplesOf, toPoints } from "./runs";
import { GAP_FACTOR } from "./series";

const SAMPLE_MS = 2000;
const GAP_MS = 5000;

/** One raw sample of the cluster series: 100 messages per second produced since 0, lag as given. */
const sample = (ts: number, totalLag = 7): ClusterRun => ({
  ts0: ts,
  ts,
  n: 1,
  totalLag,
  logEnd0: ts / 10,
  logEnd: ts / 10,
});

/** Samples every 2 s over [from, to). */
const samples = (from: number, to: number, lag: (ts: number) => number = () => 7) => {
  const out: ClusterRun[] = [];
  for (let ts = from; ts < to; ts += SAMPLE_MS) out.push(sample(ts, lag(ts)));
  return out;
};

const pointsOf = (runs: ClusterRun[], since: number, now?: number) =>
  toPoints(runs, {
    sampleMs: SAMPLE_MS,
    since,
    now,
    counter: (r) => ({ c0: r.logEnd0, c: r.logEnd }),
    point: (r, ts, rate) => ({ ts, lag: r.totalLag as number | null, rate }),
    blank: (ts) => ({ ts, lag: null, rate: null }),
  });

// Minute 0–2 sampled, minutes 2–6 nothing (the cluster was down), minute 6–8 sampled again.
const HOLE_FROM = 120_000;
const HOLE_TO = 360_000;
const withHole = [...samples(0, HOLE_FROM), ...samples(HOLE_TO, 480_000)];

describe("runs: gaps", () => {
  it("a 4-minute hole is one null point between its two sides, and no rate spans it", () => {
    const points = pointsOf(withHole, 0);
    const blanks = points.filter((p) => p.lag === null);
    expect(blanks).toEqual([{ ts: HOLE_FROM, lag: null, rate: null }]);
    const i = points.findIndex((p) => p.lag === null);
    expect(points[i - 1]?.ts).toBe(HOLE_FROM - SAMPLE_MS);
    expect(points[i + 1]?.ts).toBe(HOLE_TO);
    // The first sample after the hole has nothing adjacent before it: no rate, not 24,000 over 4 minutes.
    expect(points[i + 1]?.rate).toBeNull();
    expect(points.filter((p) => p.rate !== null).every((p) => p.rate === 100)).toBe(true);
  });

  it("downsampling into 1-minute buckets keeps the hole and the exact rate", () => {
    const merged = mergeRuns(withHole, 60_000, GAP_MS, mergeCluster);
    // 2 buckets before the hole, 2 after (the first bucket after it starts at 6:00).
    expect(merged.map((r) => [r.ts0, r.ts, r.n])).toEqual([
      [0, 58_000, 30],
      [60_000, 118_000, 30],
      [360_000, 418_000, 30],
      [420_000, 478_000, 30],
    ]);
    const points = pointsOf(merged, 0);
    expect(points.filter((p) => p.lag === null).map((p) => p.ts)).toEqual([HOLE_FROM]);
    // Every bucket: 100/s, the same as the raw samples, whether read within it or from the one before.
    expect(points.filter((p) => p.lag !== null).map((p) => p.rate)).toEqual([100, 100, 100, 100, 100, 100, 100, 100]);
  });

  it("a bucket never joins runs across a gap inside it", () => {
    // Inside one 10-minute bucket: 0:00–1:00, a hole, then 5:00–6:00.
    const runs = [...samples(0, 60_000), ...samples(300_000, 360_000)];
    const merged = mergeRuns(runs, 600_000, GAP_MS, mergeCluster);
    expect(merged.map((r) => [r.ts0, r.ts])).toEqual([
      [0, 58_000],
      [300_000, 358_000],
    ]);
    expect(pointsOf(merged, 0).filter((p) => p.lag === null)).toHaveLength(1);
  });

  it("a bucket keeps the largest lag and the counter's first and last values", () => {
    const lags = [5, 90, 12];
    const runs = lags.map((lag, i) => sample(i * SAMPLE_MS, lag));
    expect(mergeRuns(runs, 60_000, GAP_MS, mergeCluster)).toEqual([
      { ts0: 0, ts: 4000, n: 3, totalLag: 90, logEnd0: 0, logEnd: 400 },
    ]);
  });
});

describe("runs: bounded answers", () => {
  it("a day of 2-second samples with a hole comes back as at most MAX_POINTS points, the hole kept", () => {
    const day = 24 * 3_600_000;
    const hole = [10 * 3_600_000, 10 * 3_600_000 + 40 * 60_000];
    const runs = [...samples(0, hole[0] as number), ...samples(hole[1] as number, day)];
    expect(runs.length).toBeGreaterThan(40_000);
    const out = bounded(runs, 0, day, GAP_MS, mergeCluster);
    const points = pointsOf(out, 0);
    expect(points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(points.length).toBe(pointCount(out, GAP_MS));
    const blanks = points.filter((p) => p.lag === null);
    expect(blanks).toHaveLength(1);
    expect(blanks[0]?.ts).toBeGreaterThanOrEqual((hole[0] as number) - SAMPLE_MS);
    expect(blanks[0]?.ts).toBeLessThanOrEqual(hole[1] as number);
    // Produce rate stays 100/s after merging (a counter read at the buckets' ends, not summed).
    expect(new Set(points.filter((p) => p.rate !== null).map((p) => p.rate))).toEqual(new Set([100]));
  });

  it("samples that come and go all the time are still bounded (short gaps merged over at that scale)", () => {
    // A sample every 6 s with a 2 s interval: every pair is a gap.
    const runs: ClusterRun[] = [];
    for (let ts = 0; ts < 24 * 3_600_000; ts += 6000) runs.push(sample(ts));
    const out = bounded(runs, 0, 24 * 3_600_000, GAP_MS, mergeCluster);
    expect(pointsOf(out, 0).length).toBeLessThanOrEqual(MAX_POINTS);
  });

  it("leaves a short range alone", () => {
    const runs = samples(0, 15 * 60_000);
    expect(bounded(runs, 0, 15 * 60_000, GAP_MS, mergeCluster)).toBe(runs);
  });
});

describe("runs: points", () => {
  it("tolerates a late sample up to GAP_FACTOR intervals", () => {
    const runs = [sample(0), sample(2000), sample(2000 + 2000 * GAP_FACTOR)];
    expect(pointsOf(runs, 0).map((p) => p.ts)).toEqual([0, 2000, 7000]);
    expect(pointsOf([...runs, sample(7001 + 2000 * GAP_FACTOR)], 0).filter((p) => p.lag === null)).toHaveLength(1);
  });

  it("a rate is null next to an unknown counter and 0 when the counter went down", () => {
    const at = (ts: number, c: number | null) => ({ ts0: ts, ts, n: 1, c });
    const points = toPoints([at(0, 10), at(2000, null), at(4000, 20), at(6000, 4)], {
      sampleMs: SAMPLE_MS,
      since: 0,
      counter: (r) => ({ c0: r.c, c: r.c }),
      point: (_r, ts, rate) => ({ ts, rate }),
      blank: (ts) => ({ ts, rate: null }),
    });
    expect(points.map((p) => p.rate)).toEqual([null, null, null, 0]);
  });

  it("a run of unchanged samples is drawn flat from its first to its last sample, clipped to the range", () => {
    const run: ClusterRun = { ts0: 10_000, ts: 70_000, n: 31, totalLag: 4, logEnd0: 500, logEnd: 500 };
    expect(pointsOf([run], 0)).toEqual([
      { ts: 10_000, lag: 4, rate: 0 },
      { ts: 70_000, lag: 4, rate: 0 },
    ]);
    expect(pointsOf([run], 40_000).map((p) => p.ts)).toEqual([40_000, 70_000]);
  });

  it("ends with a blank point at now when nothing was sampled lately", () => {
    expect(pointsOf(samples(0, 4000), 0, 30_000).at(-1)).toEqual({ ts: 30_000, lag: null, rate: null });
    expect(pointsOf(samples(0, 4000), 0, 6000).at(-1)?.lag).toBe(7);
  });

  it("samplesOf spreads a run's samples over it, from a time on", () => {
    expect(samplesOf({ ts0: 0, ts: 8000, n: 5 }, 0)).toEqual([0, 2000, 4000, 6000, 8000]);
    expect(samplesOf({ ts0: 0, ts: 8000, n: 5 }, 3000)).toEqual([4000, 6000, 8000]);
    expect(samplesOf({ ts0: 5000, ts: 5000, n: 1 }, 6000)).toEqual([]);
  });
});
