import { describe, expect, it } from "vitest";
import type { ClusterEvent } from "@/lib/types";
import { describeEvent } from "./event-timeline";

const meta = { id: "e-1", ts: 0, cluster: "local" };

describe("describeEvent: leader changes", () => {
  it("says the same broker was re-elected when the epoch went up but the leader stayed", () => {
    const e: ClusterEvent = {
      ...meta,
      type: "leader-changed",
      topic: "orders",
      partition: 2,
      from: 3,
      to: 3,
      epoch: { from: 5, to: 7 },
    };
    expect(describeEvent(e)).toBe("orders-2: leader 3 re-elected (epoch 5→7)");
  });

  it("shows a move to another broker with its epochs, and without when the cluster gives none", () => {
    const moved: ClusterEvent = { ...meta, type: "leader-changed", topic: "t", partition: 0, from: 1, to: 2 };
    expect(describeEvent(moved)).toBe("t-0: leader 1 → 2");
    expect(describeEvent({ ...moved, epoch: { from: 3, to: 4 } })).toBe("t-0: leader 1 → 2 (epoch 3→4)");
  });

  it("names a re-created topic's two incarnations with their partition counts", () => {
    expect(describeEvent({ ...meta, type: "topic-deleted", topic: "t", partitions: 3 })).toBe(
      "topic t deleted (3 partitions)",
    );
    expect(describeEvent({ ...meta, type: "topic-created", topic: "t", partitions: 2 })).toBe(
      "topic t created (2 partitions)",
    );
  });
});
