import "server-only";
import type { BrokerStopProgress } from "@/lib/types";
import type { ClusterSnapshot } from "../kafka/snapshot";

/**
 * The graceful broker stops under way in one cluster, and how far each has come: Kafka hands a
 * stopping broker's leaderships over (controlled shutdown) before the process exits, which at a
 * few thousand partitions takes seconds. The counts are read from Kafka's metadata as the
 * snapshot shows it: the partitions the broker led when the stop began, and who leads them now.
 */

/** A stop as it began: when, and the partitions ("topic\0partition") the broker led then. */
export interface StopStart {
  startedAt: number;
  led: ReadonlySet<string>;
}

const key = (topic: string, partition: number) => `${topic}\0${partition}`;

/** The partitions broker `id` leads in `snap`. */
export function leadershipsOf(snap: ClusterSnapshot | null, id: number): Set<string> {
  const led = new Set<string>();
  for (const t of snap?.topics ?? [])
    for (const p of t.partitions) if (p.leader === id) led.add(key(t.name, p.partition));
  return led;
}

/**
 * How far the stop of broker `id` has come in `snap`: of the partitions it led at the start, those
 * it still leads, those another broker leads, and those left without a leader (or deleted since).
 * Without a snapshot nothing is known to have moved: every leadership counts as left.
 */
export function stopProgress(start: StopStart, snap: ClusterSnapshot | null, id: number): BrokerStopProgress {
  const total = start.led.size;
  const base = { startedAt: start.startedAt, leadersAtStart: total, asOf: snap?.takenAt ?? null };
  if (!snap) return { ...base, leadersLeft: total, leadersMoved: 0, leaderless: 0 };
  let left = 0;
  let moved = 0;
  for (const t of snap.topics) {
    for (const p of t.partitions) {
      if (!start.led.has(key(t.name, p.partition))) continue;
      if (p.leader === id) left++;
      else if (p.leader >= 0) moved++;
    }
  }
  return { ...base, leadersLeft: left, leadersMoved: moved, leaderless: total - left - moved };
}

/** The stops under way in one cluster, by broker id. */
export class BrokerStops {
  private readonly stops = new Map<number, StopStart>();

  begin(id: number, snap: ClusterSnapshot | null, at = Date.now()): StopStart {
    const start = { startedAt: at, led: leadershipsOf(snap, id) };
    this.stops.set(id, start);
    return start;
  }

  end(id: number, start: StopStart): void {
    if (this.stops.get(id) === start) this.stops.delete(id);
  }

  get(id: number): StopStart | undefined {
    return this.stops.get(id);
  }

  get size(): number {
    return this.stops.size;
  }

  /** The brokers being stopped now. */
  ids(): number[] {
    return [...this.stops.keys()];
  }
}
