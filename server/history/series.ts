import "server-only";

/** Consecutive samples further apart than this many sample intervals have a gap between them. */
export const GAP_FACTOR = 2.5;
