import { describe, expect, it } from "vitest";
import { gapSpans } from "./history-chart";

type P = { ts: number; v: number | null };
const isSample = (p: P) => p.v !== null;

describe("gapSpans", () => {
  it("shades from the last sample before a gap to the first after it", () => {
    const points: P[] = [
      { ts: 0, v: 1 },
      { ts: 2000, v: 2 },
      { ts: 4000, v: null },
      { ts: 240_000, v: 3 },
      { ts: 242_000, v: 4 },
    ];
    expect(gapSpans(points, isSample)).toEqual([[2000, 240_000]]);
  });

  it("reaches the blank point at now when nothing was sampled after it, and is empty without gaps", () => {
    expect(
      gapSpans(
        [
          { ts: 0, v: 1 },
          { ts: 2000, v: 1 },
          { ts: 30_000, v: null },
        ],
        isSample,
      ),
    ).toEqual([[2000, 30_000]]);
    expect(
      gapSpans(
        [
          { ts: 0, v: 1 },
          { ts: 2000, v: 1 },
        ],
        isSample,
      ),
    ).toEqual([]);
  });
});
