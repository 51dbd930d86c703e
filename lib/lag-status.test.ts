import { describe, expect, it } from "vitest";
import { evaluateLag, type LagSample } from "./lag-status";

/** A recorded series: one sample every 2 s with the given lags and committed offsets. */
const series = (lags: (number | null)[], committed: (number | null)[], members = 1): LagSample[] =>
  lags.map((lag, i) => ({ ts: 1_000_000 + i * 2000, lag, committed: committed[i] ?? null, members }));

describe("evaluateLag", () => {
  it.each<[string, LagSample[], string, RegExp]>([
    ["too few samples", series([5, 9], [10, 10]), "OK", /not enough samples/],
    ["no commit at all", series([null, null, null, null], [null, null, null, null]), "OK", /not enough samples/],
    ["caught up", series([4, 2, 0], [10, 12, 14]), "OK", /caught up/],
    ["lag falling", series([9, 7, 5, 6], [10, 14, 18, 20]), "OK", /not rising/],
    ["lag flat while committing", series([5, 5, 5, 5], [10, 12, 14, 16]), "OK", /not rising/],
    ["lag rising while committing", series([3, 5, 5, 8, 12], [10, 11, 13, 14, 15]), "WARNING", /3 → 12/],
    ["one dip breaks the rise", series([3, 5, 4, 8, 12], [10, 11, 13, 14, 15]), "OK", /not rising/],
    ["members stuck on one offset", series([3, 5, 8, 12], [10, 10, 10, 10], 2), "STALLED", /2 member\(s\).*lag is 12/],
    ["no members, no commits", series([3, 5, 8, 12], [10, 10, 10, 10], 0), "STOPPED", /no member.*6s.*lag is 12/],
    ["stopped but caught up", series([0, 0, 0], [10, 10, 10], 0), "OK", /caught up/],
  ])("%s → %s", (_label, samples, status, reason) => {
    const verdict = evaluateLag(samples);
    expect(verdict.status).toBe(status);
    expect(verdict.reason).toMatch(reason);
  });

  it("ignores the order samples come in", () => {
    const s = series([3, 5, 8, 12], [10, 10, 10, 10], 0);
    expect(evaluateLag([...s].reverse()).status).toBe("STOPPED");
  });
});
