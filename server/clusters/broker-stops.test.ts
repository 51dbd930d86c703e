import { describe, expect, it } from "vitest";
import { partition, topic } from "@/test/fakes/cluster";
import type { ClusterSnapshot } from "../kafka/snapshot";
import { BrokerStops, leadershipsOf, stopProgress } from "./broker-stops";

/** A snapshot holding only topics (what the progress reads), taken at `takenAt`. */
function snapshot(topics: ClusterSnapshot["topics"], takenAt = 1_000): ClusterSnapshot {
  return { takenAt, topics } as ClusterSnapshot;
}

// Broker 1 leads a-0, a-1, b-0 and b-1 at the start; broker 2 leads a-2.
const atStart = snapshot([
  topic("a", [partition(0, 1, [1, 2]), partition(1, 1, [1, 3]), partition(2, 2, [2, 1])]),
  topic("b", [partition(0, 1, [1]), partition(1, 1, [1, 2])]),
]);

describe("stopProgress", () => {
  it("counts the leaderships the broker held at the start: left, moved, left without a leader", () => {
    const start = { startedAt: 500, led: leadershipsOf(atStart, 1) };
    expect(stopProgress(start, atStart, 1)).toEqual({
      startedAt: 500,
      leadersAtStart: 4,
      leadersLeft: 4,
      leadersMoved: 0,
      leaderless: 0,
      asOf: 1_000,
    });
    // Midway: a-0 went to 2, b-0 (its only replica) has no leader, a-1 and b-1 are still on 1.
    const midway = snapshot(
      [
        topic("a", [partition(0, 2, [1, 2], [2]), partition(1, 1, [1, 3]), partition(2, 2, [2, 1])]),
        topic("b", [partition(0, -1, [1]), partition(1, 1, [1, 2])]),
      ],
      2_000,
    );
    expect(stopProgress(start, midway, 1)).toMatchObject({
      leadersAtStart: 4,
      leadersLeft: 2,
      leadersMoved: 1,
      leaderless: 1,
      asOf: 2_000,
    });
    const done = snapshot(
      [
        topic("a", [partition(0, 2, [1, 2], [2]), partition(1, 3, [1, 3], [3]), partition(2, 2, [2, 1], [2])]),
        topic("b", [partition(0, -1, [1]), partition(1, 2, [1, 2], [2])]),
      ],
      3_000,
    );
    expect(stopProgress(start, done, 1)).toMatchObject({ leadersLeft: 0, leadersMoved: 3, leaderless: 1 });
  });

  it("does not count a partition the broker came to lead after the stop began, and counts a deleted one as leaderless", () => {
    const start = { startedAt: 0, led: leadershipsOf(atStart, 1) };
    const later = snapshot([
      topic("a", [partition(0, 1, [1, 2]), partition(1, 1, [1, 3]), partition(2, 1, [2, 1])]),
      topic("c", [partition(0, 1, [1])]),
    ]);
    // a-2 and c-0 are led by 1 now but were not at the start; b is gone.
    expect(stopProgress(start, later, 1)).toMatchObject({
      leadersAtStart: 4,
      leadersLeft: 2,
      leadersMoved: 0,
      leaderless: 2,
    });
  });

  it("knows nothing moved when there is no snapshot", () => {
    const start = { startedAt: 7, led: leadershipsOf(atStart, 1) };
    expect(stopProgress(start, null, 1)).toEqual({
      startedAt: 7,
      leadersAtStart: 4,
      leadersLeft: 4,
      leadersMoved: 0,
      leaderless: 0,
      asOf: null,
    });
    expect(leadershipsOf(null, 1).size).toBe(0);
  });
});

describe("BrokerStops", () => {
  it("keeps a stop until that same stop ends", () => {
    const stops = new BrokerStops();
    const first = stops.begin(1, atStart, 10);
    expect(stops.get(1)?.led.size).toBe(4);
    const second = stops.begin(1, atStart, 20);
    stops.end(1, first);
    expect(stops.get(1)).toBe(second);
    stops.end(1, second);
    expect(stops.get(1)).toBeUndefined();
    expect(stops.size).toBe(0);
  });
});
