import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import enGroups from "./i18n/messages/en/groups.json";
import { evaluateLag, type LagSample, type LagWhy, lagReason } from "./lag-status";

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

  it.each<[string, LagSample[], LagWhy]>([
    ["too few samples", series([5, 9], [10, 10]), { key: "notEnoughSamples" }],
    ["caught up", series([4, 2, 0], [10, 12, 14]), { key: "caughtUp" }],
    ["lag falling", series([9, 7, 5, 6], [10, 14, 18, 20]), { key: "notRising", lag: 6 }],
    ["lag rising", series([3, 5, 5, 8, 12], [10, 11, 13, 14, 15]), { key: "rising", seconds: 8, from: 3, to: 12 }],
    ["stuck", series([3, 5, 8, 12], [10, 10, 10, 10], 2), { key: "stalled", members: 2, seconds: 6, lag: 12 }],
    ["stopped", series([3, 5, 8, 12], [10, 10, 10, 10], 0), { key: "stopped", seconds: 6, lag: 12 }],
  ])("%s: the reason's key and numbers, and the same words in English", (_label, samples, why) => {
    const verdict = evaluateLag(samples);
    expect(verdict.why).toEqual(why);
    expect(verdict.reason).toBe(lagReason(why));
  });

  it("words each reason in English as the API always has", () => {
    expect(lagReason({ key: "stalled", members: 2, seconds: 6, lag: 12 })).toBe(
      "2 member(s), but the committed offset has not moved for 6s while lag is 12",
    );
    expect(lagReason({ key: "rising", seconds: 8, from: 3, to: 12 })).toBe(
      "lag rose in every sample of the last 8s: 3 → 12",
    );
    expect(lagReason({ key: "stopped", seconds: 6, lag: 12 })).toBe("no member and no commit for 6s while lag is 12");
    expect(lagReason({ key: "notRising", lag: 6 })).toBe("lag 6, not rising");
  });

  it("the console's English words (the catalog's groups.lagReason) are the API's", () => {
    const t = createTranslator({ locale: "en", messages: { groups: enGroups }, namespace: "groups.lagReason" });
    const whys: LagWhy[] = [
      { key: "notEnoughSamples" },
      { key: "caughtUp" },
      { key: "stopped", seconds: 60, lag: 12345 },
      { key: "stalled", members: 2, seconds: 6, lag: 12 },
      { key: "rising", seconds: 8, from: 3, to: 1200 },
      { key: "notRising", lag: 6 },
    ];
    for (const why of whys) expect(t(why.key, why)).toBe(lagReason(why));
  });

  it("ignores the order samples come in", () => {
    const s = series([3, 5, 8, 12], [10, 10, 10, 10], 0);
    expect(evaluateLag([...s].reverse()).status).toBe("STOPPED");
  });
});
