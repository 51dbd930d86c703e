import { describe, expect, it } from "vitest";
import { GAP_FACTOR, rates, withGaps } from "./series";

type P = { ts: number; v: number | null };
const blank = (ts: number): P => ({ ts, v: null });
const at = (times: number[], v: (ts: number) => number = () => 1): P[] => times.map((ts) => ({ ts, v: v(ts) }));

describe("withGaps", () => {
  it("leaves evenly spaced samples alone", () => {
    const points = at([0, 2000, 4000, 6100]);
    expect(withGaps(points, 2000, blank)).toEqual(points);
  });

  it("tolerates a late sample up to 2.5 intervals", () => {
    const points = at([0, 2000, 2000 + 2000 * GAP_FACTOR]);
    expect(withGaps(points, 2000, blank)).toEqual(points);
  });

  it("puts a blank point where the first missing sample was due when samples are further apart", () => {
    const points = at([0, 2000, 60_000, 62_000], (ts) => ts);
    expect(withGaps(points, 2000, blank)).toEqual([
      { ts: 0, v: 0 },
      { ts: 2000, v: 2000 },
      { ts: 4000, v: null },
      { ts: 60_000, v: 60_000 },
      { ts: 62_000, v: 62_000 },
    ]);
  });

  it("marks each of several gaps once", () => {
    const points = at([0, 10_000, 12_000, 30_000]);
    const out = withGaps(points, 2000, blank);
    expect(out.filter((p) => p.v === null).map((p) => p.ts)).toEqual([2000, 14_000]);
    expect(out).toHaveLength(6);
  });

  it("ends with a blank point at now when nothing was sampled lately", () => {
    const points = at([0, 2000]);
    expect(withGaps(points, 2000, blank, 30_000).at(-1)).toEqual({ ts: 30_000, v: null });
    expect(withGaps(points, 2000, blank, 4000)).toEqual(points);
  });

  it("adds nothing to an empty series", () => {
    expect(withGaps([], 2000, blank, 30_000)).toEqual([]);
  });
});

describe("rates", () => {
  const rows = (pairs: [number, number | null][]) => pairs.map(([ts, n]) => ({ ts, n }));

  it("is the per second change between adjacent samples", () => {
    expect(
      rates(
        rows([
          [0, 0],
          [2000, 100],
          [4000, 300],
        ]),
        (r) => r.n,
        2000,
      ),
    ).toEqual([null, 50, 100]);
  });

  it("is null across a gap, not an average over time nobody saw nor a spike", () => {
    expect(
      rates(
        rows([
          [0, 0],
          [2000, 100],
          [60_000, 5000],
          [62_000, 5100],
        ]),
        (r) => r.n,
        2000,
      ),
    ).toEqual([null, 50, null, 50]);
  });

  it("is null next to an unknown value and 0 when the counter went down", () => {
    expect(
      rates(
        rows([
          [0, 10],
          [2000, null],
          [4000, 20],
          [6000, 4],
        ]),
        (r) => r.n,
        2000,
      ),
    ).toEqual([null, null, null, 0]);
  });
});
