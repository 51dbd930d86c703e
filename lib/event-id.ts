/**
 * Event ids are `<epoch>-<n>`: the epoch (base36 of the ms the server's monitor started) names
 * the run, n counts that run's events from 1. A browser that saw ids of an earlier run sends one
 * as Last-Event-ID after a restart, and the server knows it for another run's instead of taking
 * it for a number far ahead of its own.
 */
export interface EventId {
  epoch: string;
  seq: number;
}

export function formatEventId(epoch: string, seq: number): string {
  return `${epoch}-${seq}`;
}

/** The parts of an id, or null when it is not one of this format (e.g. a bare number of an older version). */
export function parseEventId(id: string): EventId | null {
  const m = /^([0-9a-z]{1,13})-(\d{1,15})$/.exec(id.trim());
  if (!m?.[1] || m[2] === undefined) return null;
  return { epoch: m[1], seq: Number(m[2]) };
}
