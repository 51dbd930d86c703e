import { describe, expect, it, vi } from "vitest";
import type { ClusterEventData, PlannedMove } from "@/lib/types";
import { FakeGateway, fakeContext, partition, topic } from "@/test/fakes/cluster";
import { FOLLOWER_RATE, FOLLOWER_REPLICAS, LEADER_RATE, LEADER_REPLICAS, ReassignmentRuns } from "./runs";

const tool = { json: "{}", rollbackJson: "{}", execute: "", verify: "" };
const addressOf = (id: number) => `127.0.0.1:${9000 + id}`;

function setup() {
  const gateway = new FakeGateway({
    brokers: [1, 2, 3],
    controller: 1,
    topics: [
      topic("t", [partition(0, 1, [1, 2]), partition(1, 2, [2, 1]), partition(2, 1, [1, 2])]),
      topic("u", [partition(0, 1, [1])]),
    ],
  });
  const events: ClusterEventData[] = [];
  const ctx = { ...fakeContext(gateway), monitor: { publish: (e: ClusterEventData) => events.push(e) } };
  return { gateway, events, runs: new ReassignmentRuns(ctx, 5) };
}

const move = (t: string, p: number, before: number[], after: number[]): PlannedMove => ({
  topic: t,
  partition: p,
  before,
  after,
  adding: after.filter((b) => !before.includes(b)),
  removing: before.filter((b) => !after.includes(b)),
  bytes: 1000 * after.filter((b) => !before.includes(b)).length,
});

describe("reassignment runs", () => {
  it("throttle the moving replicas as kafka-reassign-partitions does, follow them to the end, and remove the throttle", async () => {
    const { gateway, events, runs } = setup();
    gateway.sizes.set(3, new Map([["t:0", 400]]));
    const run = await runs.start([move("t", 0, [1, 2], [2, 3]), move("t", 1, [2, 1], [2, 3])], 5000, tool, addressOf);
    expect(run).toMatchObject({ status: "running", throttled: true, total: 2, settled: 0, bytes: 2000 });
    expect(gateway.topicConfigs.get("t")).toEqual({
      [LEADER_REPLICAS]: "0:1,0:2,1:2,1:1",
      [FOLLOWER_REPLICAS]: "0:3,1:3",
    });
    for (const b of [1, 2, 3])
      expect(gateway.brokerConfigs.get(b)).toEqual({ [LEADER_RATE]: "5000", [FOLLOWER_RATE]: "5000" });
    // Bytes the receiving broker holds so far.
    await vi.waitFor(() => expect(runs.get(run.id).partitions[0]?.copied).toBe(400));
    gateway.finishReassignments();
    await vi.waitFor(() => expect(runs.get(run.id).status).toBe("done"));
    const done = runs.get(run.id);
    expect(done).toMatchObject({ settled: 2, copied: 2000, throttled: false, error: null });
    expect(gateway.topicConfigs.size).toBe(0);
    expect(gateway.brokerConfigs.size).toBe(0);
    expect(events.map((e) => e.type)).toContain("reassignment-started");
    // Each event names the partitions that changed since the last: moving at the start, the bytes
    // caught up while copying, done at the end.
    const partitionsOf = (e: ClusterEventData | undefined) =>
      e?.type === "reassignment-started" || e?.type === "reassignment-progress" || e?.type === "reassignment-finished"
        ? e.partitions
        : [];
    expect(partitionsOf(events[0]).map((p) => `${p.partition} ${p.state}`)).toEqual(["0 moving", "1 moving"]);
    expect(
      events.some((e) => partitionsOf(e).some((p) => p.partition === 0 && p.state === "moving" && p.copied === 400)),
    ).toBe(true);
    expect(partitionsOf(events.at(-1)).every((p) => p.state === "done")).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "reassignment-finished", run: run.id, status: "done", settled: 2 });
  });

  it("keep the throttle another run still needs, and take it away with the last", async () => {
    const { gateway, runs } = setup();
    const first = await runs.start([move("t", 0, [1, 2], [2, 3])], 5000, tool, addressOf);
    gateway.finishReassignments();
    const second = await runs.start([move("t", 2, [1, 2], [1, 3])], 7000, tool, addressOf);
    await vi.waitFor(() => expect(runs.get(first.id).status).toBe("done"));
    expect(gateway.topicConfigs.get("t")).toEqual({ [LEADER_REPLICAS]: "2:1,2:2", [FOLLOWER_REPLICAS]: "2:3" });
    expect(gateway.brokerConfigs.get(3)).toEqual({ [LEADER_RATE]: "7000", [FOLLOWER_RATE]: "7000" });
    expect(runs.get(second.id).throttled).toBe(true);
    gateway.finishReassignments();
    await vi.waitFor(() => expect(runs.get(second.id).status).toBe("done"));
    expect(gateway.topicConfigs.size).toBe(0);
    expect(gateway.brokerConfigs.size).toBe(0);
  });

  it("cancel: Kafka puts the partitions back, the run says cancelled, and a second cancel is refused", async () => {
    const { gateway, runs } = setup();
    const run = await runs.start([move("u", 0, [1], [2])], 2048, tool, addressOf);
    expect(runs.owner("u", 0)).toBe(run.id);
    const cancelling = await runs.cancel(run.id);
    expect(cancelling.status).toBe("cancelling");
    expect(gateway.calls.filter((c) => c.op === "alterReassignments").at(-1)?.args[0]).toEqual([
      { topic: "u", partition: 0, replicas: null },
    ]);
    await vi.waitFor(() => expect(runs.get(run.id).status).toBe("cancelled"));
    expect(runs.get(run.id).partitions[0]?.state).toBe("cancelled");
    expect(gateway.brokerConfigs.size).toBe(0);
    expect(runs.owner("u", 0)).toBeNull();
    await expect(runs.cancel(run.id)).rejects.toThrow(
      `Reassignment ${run.id} is cancelled: there is nothing to cancel`,
    );
    await expect(runs.cancel("nope")).rejects.toThrow('No reassignment "nope"');
  });

  it("a cancel that comes after the moves ended finds them done: the run is done, not cancelled", async () => {
    const { gateway, runs } = setup();
    const run = await runs.start([move("u", 0, [1], [2])], null, tool, addressOf);
    gateway.finishReassignments();
    await runs.cancel(run.id);
    await vi.waitFor(() => expect(runs.get(run.id).status).toBe("done"));
    expect(runs.get(run.id).partitions[0]?.state).toBe("done");
  });

  it("when Kafka refuses every move, start nothing, leave no throttle, and say Kafka's reason", async () => {
    const { gateway, runs } = setup();
    await expect(runs.start([move("gone", 0, [1], [2])], 4096, tool, addressOf)).rejects.toThrow(
      "UNKNOWN_TOPIC_OR_PARTITION",
    );
    expect(runs.list()).toEqual([]);
    expect(gateway.brokerConfigs.size).toBe(0);
    expect(gateway.topicConfigs.size).toBe(0);
  });

  it("mark a partition that ended neither as planned nor as it was, and fail the run", async () => {
    const { gateway, runs } = setup();
    const run = await runs.start([move("u", 0, [1], [2])], null, tool, addressOf);
    // Something else moved it elsewhere.
    gateway.moving.clear();
    const p = gateway.state.topics.find((t) => t.name === "u")?.partitions[0];
    if (p) p.replicas = [3];
    await vi.waitFor(() => expect(runs.get(run.id).status).toBe("failed"));
    expect(runs.get(run.id).partitions[0]).toMatchObject({ state: "changed", error: "ended with replicas [3]" });
  });
});
