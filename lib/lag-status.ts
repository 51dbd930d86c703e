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

export interface LagVerdict {
  status: LagStatus;
  reason: string;
}

export const MIN_SAMPLES = 3;

export function evaluateLag(samples: LagSample[]): LagVerdict {
  const valid = samples
    .filter((s): s is LagSample & { lag: number; committed: number } => s.lag !== null && s.committed !== null)
    .sort((a, b) => a.ts - b.ts);
  const first = valid[0];
  const last = valid[valid.length - 1];
  if (!first || !last || valid.length < MIN_SAMPLES) return { status: "OK", reason: "not enough samples yet" };
  const seconds = Math.round((last.ts - first.ts) / 1000);
  if (last.lag === 0) return { status: "OK", reason: "caught up" };
  if (valid.every((s) => s.committed === first.committed)) {
    return last.members === 0
      ? { status: "STOPPED", reason: `no member and no commit for ${seconds}s while lag is ${last.lag}` }
      : {
          status: "STALLED",
          reason: `${last.members} member(s), but the committed offset has not moved for ${seconds}s while lag is ${last.lag}`,
        };
  }
  const rising = valid.every((s, i) => i === 0 || s.lag >= (valid[i - 1]?.lag ?? 0)) && last.lag > first.lag;
  if (rising)
    return {
      status: "WARNING",
      reason: `lag rose in every sample of the last ${seconds}s: ${first.lag} → ${last.lag}`,
    };
  return { status: "OK", reason: `lag ${last.lag}, not rising` };
}
