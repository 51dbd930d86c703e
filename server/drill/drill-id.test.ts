import { describe, expect, it } from "vitest";
import { drillIdMaker, nextDrillId } from "./drill-id";

describe("drill ids", () => {
  it("differ for two drills started in the same millisecond", () => {
    const now = Date.UTC(2026, 4, 1, 14, 13, 36, 123);
    const a = nextDrillId(now);
    const b = nextDrillId(now);
    expect(a).not.toBe(b);
    expect(a.startsWith("2026-05-01T14-13-36-123Z-")).toBe(true);
    expect(b.startsWith("2026-05-01T14-13-36-123Z-")).toBe(true);
  });

  it("draw again when the random suffix repeats within a millisecond", () => {
    const draws = ["aaaa", "aaaa", "aaaa", "bbbb"];
    const make = drillIdMaker(() => draws.shift() ?? "zzzz");
    expect(make(5)).toBe("1970-01-01T00-00-00-005Z-aaaa");
    expect(make(5)).toBe("1970-01-01T00-00-00-005Z-bbbb");
  });

  it("sort by start time and are safe file names", () => {
    const times = [Date.UTC(2026, 0, 1, 9, 59, 59, 999), Date.UTC(2026, 0, 1, 10), Date.UTC(2026, 0, 1, 10, 0, 0, 1)];
    const ids = times.map((t) => nextDrillId(t));
    expect([...ids].reverse().sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^[0-9TZ-]+-[0-9a-f]{4}$/);
  });

  it("gives 1,000 distinct ids in one millisecond", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => nextDrillId(42)));
    expect(ids.size).toBe(1000);
  });
});
