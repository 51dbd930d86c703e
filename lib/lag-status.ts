/**
 * A consumer group's health judged over a window of lag samples, after Burrow's rules:
 *
 * - OK: caught up (lag 0), or lag not rising.
 * - WARNING: lag rose in every sample of the window, while the group keeps committing.
 * - STALLED: members are present but the committed offset did not move for the whole window
 *   while there is lag: the consumers are stuck.
 * - STOPPED: no member and no commit for the whole window while there is lag: nobody consumes.
 *
 * Fewer than 3 samples with a commit say nothing yet, and count as OK.
 */
export type LagStatus = "OK" | "WARNING" | "STALLED" | "STOPPED";

export interface LagSample {
  ts: number;
  /** Σ lag over the group's partitions with a commit; null while it has none. */
  lag: number | null;
  /** Σ committed offsets over the same partitions. */
  committed: number | null;
  members: number;
}

/**
 * Why the status is what it is, as a key and its numbers: the console words it in the page's
 * language (the catalog's `groups.lagReason.<key>`); `reason` is the same in English, for the API.
 */
export type LagWhy =
  | { key: "notEnoughSamples" }
  | { key: "caughtUp" }
  | { key: "stopped"; seconds: number; lag: number }
  | { key: "stalled"; members: number; seconds: number; lag: number }
  | { key: "rising"; seconds: number; from: number; to: number }
  | { key: "notRising"; lag: number };

export interface LagVerdict {
  status: LagStatus;
  /** The reason in English words (the API's). */
  reason: string;
  why: LagWhy;
}

/** The reason in English, as the API gives it. */
export function lagReason(why: LagWhy): string {
  switch (why.key) {
    case "notEnoughSamples":
      return "not enough samples yet";
    case "caughtUp":
      return "caught up";
    case "stopped":
      return `no member and no commit for ${why.seconds}s while lag is ${why.lag}`;
    case "stalled":
      return `${why.members} member(s), but the committed offset has not moved for ${why.seconds}s while lag is ${why.lag}`;
    case "rising":
      return `lag rose in every sample of the last ${why.seconds}s: ${why.from} → ${why.to}`;
    case "notRising":
      return `lag ${why.lag}, not rising`;
  }
}

const verdict = (status: LagStatus, why: LagWhy): LagVerdict => ({ status, reason: lagReason(why), why });

export const MIN_SAMPLES = 3;

export function evaluateLag(samples: LagSample[]): LagVerdict {
  const valid = samples
    .filter((s): s is LagSample & { lag: number; committed: number } => s.lag !== null && s.committed !== null)
    .sort((a, b) => a.ts - b.ts);
  const first = valid[0];
  const last = valid[valid.length - 1];
  if (!first || !last || valid.length < MIN_SAMPLES) return verdict("OK", { key: "notEnoughSamples" });
  const seconds = Math.round((last.ts - first.ts) / 1000);
  if (last.lag === 0) return verdict("OK", { key: "caughtUp" });
  if (valid.every((s) => s.committed === first.committed)) {
    return last.members === 0
      ? verdict("STOPPED", { key: "stopped", seconds, lag: last.lag })
      : verdict("STALLED", { key: "stalled", members: last.members, seconds, lag: last.lag });
  }
  const rising = valid.every((s, i) => i === 0 || s.lag >= (valid[i - 1]?.lag ?? 0)) && last.lag > first.lag;
  if (rising) return verdict("WARNING", { key: "rising", seconds, from: first.lag, to: last.lag });
  return verdict("OK", { key: "notRising", lag: last.lag });
}
