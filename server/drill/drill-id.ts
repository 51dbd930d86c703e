import "server-only";
import { randomBytes } from "node:crypto";

/**
 * Drill ids: the start time (ISO 8601 with `:` and `.` made `-`, so it is a safe file name and
 * sorts by time) and 4 random hex digits, e.g. `2026-05-01T14-13-36-123Z-3fa9`. Ids made in the same
 * millisecond by this process never repeat: a suffix already given is drawn again.
 */
export function drillIdMaker(random: () => string = () => randomBytes(2).toString("hex")): (now: number) => string {
  let lastMs = Number.NaN;
  const given = new Set<string>();
  return (now) => {
    if (now !== lastMs) {
      lastMs = now;
      given.clear();
    }
    let suffix = random();
    while (given.has(suffix)) suffix = random();
    given.add(suffix);
    return `${new Date(now).toISOString().replace(/[:.]/g, "-")}-${suffix}`;
  };
}

export const nextDrillId = drillIdMaker();
