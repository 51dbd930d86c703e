import { describe, expect, it } from "vitest";
import { resetOffsetsSchema } from "@/lib/schemas/groups";
import type { GroupActionRecord } from "@/lib/types";
import { fakeContext } from "@/test/fakes/cluster";
import { groupsCluster } from "@/test/fakes/groups";
import { groupActions, MAX_GROUP_ACTIONS, MemoryActionLog } from "./group-actions-log";
import { resetOffsets } from "./group-commands";

const action = (groupId: string, ts: number): GroupActionRecord => ({
  ts,
  groupId,
  action: "delete-group",
  by: "console",
  summary: "deleted the group",
  changes: [],
  command: `kafka-consumer-groups.sh --delete --group ${groupId}`,
});

describe("group actions' history", () => {
  it("in memory: per cluster and group, oldest first, the last MAX_GROUP_ACTIONS of a cluster", () => {
    const log = new MemoryActionLog();
    log.record("c2", action("g", 0));
    for (let i = 1; i <= MAX_GROUP_ACTIONS + 1; i++) log.record("c1", action(i % 2 ? "odd" : "even", i));
    const odd = log.list("c1", "odd");
    expect(odd[0]?.ts).toBe(3);
    expect(odd.length + log.list("c1", "even").length).toBe(MAX_GROUP_ACTIONS);
    expect(log.list("c2", "g")).toEqual([action("g", 0)]);
  });

  it("records an executed reset in the context's log under the cluster's id", async () => {
    const ctx = fakeContext(groupsCluster());
    const body = { topics: [{ topic: "orders", partitions: [0] }], mode: "earliest", execute: true };
    await resetOffsets(ctx, "billing", resetOffsetsSchema.parse(body));
    expect(ctx.actions.list("fake", "billing")).toEqual(groupActions(ctx, "billing"));
    expect(groupActions(ctx, "billing")).toMatchObject([{ action: "reset-offsets", groupId: "billing" }]);
  });

  it("answers a done reset even when its history cannot keep it", async () => {
    const gateway = groupsCluster();
    const ctx = {
      ...fakeContext(gateway),
      actions: {
        record: () => {
          throw new Error("disk full");
        },
        list: () => [],
      },
    };
    const body = { topics: [{ topic: "orders", partitions: [0] }], mode: "earliest", execute: true };
    const report = await resetOffsets(ctx, "billing", resetOffsetsSchema.parse(body));
    expect(report.executed).toBe(true);
    expect(gateway.state.groups?.find((g) => g.groupId === "billing")?.committed["orders:0"]).toBe(10);
  });
});
