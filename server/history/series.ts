import "server-only";

/** Consecutive samples further apart than this many sample intervals have a gap between them. */
export const GAP_FACTOR = 2.5;

/**
 * Per second change of a rising counter between each sample and the one before it: null for the
 * first sample, across a gap (the samples are not adjacent: no average over time nobody saw) and
 * when either value is unknown. A counter that went down (a topic deleted and created again) counts
 * as 0.
 */
export function rates<T extends { ts: number }>(
  rows: T[],
  value: (r: T) => number | null,
  sampleMs: number,
): (number | null)[] {
  const gapMs = sampleMs * GAP_FACTOR;
  return rows.map((r, i) => {
    const prev = rows[i - 1];
    if (!prev) return null;
    const v = value(r);
    const p = value(prev);
    const dt = r.ts - prev.ts;
    if (v === null || p === null || dt <= 0 || dt > gapMs) return null;
    return Math.max(0, ((v - p) * 1000) / dt);
  });
}

/**
 * The points with a blank one (every value null, so a chart breaks its line there) wherever two
 * consecutive samples are more than GAP_FACTOR sample intervals apart: at the time the first
 * missing sample was due. When `now` is given and the last sample is that old, a blank point at
 * `now` shows that nothing has been sampled since.
 */
export function withGaps<P extends { ts: number }>(
  points: P[],
  sampleMs: number,
  blank: (ts: number) => P,
  now?: number,
): P[] {
  const gapMs = sampleMs * GAP_FACTOR;
  const out: P[] = [];
  let prev: P | undefined;
  for (const p of points) {
    if (prev && p.ts - prev.ts > gapMs) out.push(blank(prev.ts + sampleMs));
    out.push(p);
    prev = p;
  }
  if (prev && now !== undefined && now - prev.ts > gapMs) out.push(blank(now));
  return out;
}
