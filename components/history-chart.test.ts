import { describe, expect, it } from "vitest";
import { gapSpans, wordedMarkers } from "./history-chart";

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

describe("wordedMarkers", () => {
  const words = (markers: { ts: number; label: string; faint?: boolean }[], span = 100_000) =>
    wordedMarkers(markers, span).map((m) => `${m.ts}:${m.words ?? "-"}`);

  it("gives markers that would print over each other the newest one's words, with how many more", () => {
    // A lab starting: three brokers up within a second, on a 100 s chart; then one stopping later.
    expect(
      words([
        { ts: 10_500, label: "broker 2 up" },
        { ts: 10_000, label: "broker 1 up" },
        { ts: 11_000, label: "broker 3 up" },
        { ts: 60_000, label: "broker 2 down" },
      ]),
    ).toEqual(["10000:-", "10500:-", "11000:broker 3 up +2", "60000:broker 2 down"]);
  });

  it("words markers apart from each other on their own, and never a faint one", () => {
    expect(
      words([
        { ts: 0, label: "a" },
        { ts: 9_000, label: "leaders moved", faint: true },
        { ts: 12_000, label: "b" },
        { ts: 20_000, label: "c" },
      ]),
    ).toEqual(["0:a", "9000:-", "12000:b", "20000:c"]);
  });
});
