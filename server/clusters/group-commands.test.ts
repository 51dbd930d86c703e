import { describe, expect, it } from "vitest";
import { resetOffsetsSchema } from "@/lib/schemas/groups";
import { fakeContext } from "@/test/fakes/cluster";
import { groupsCluster as cluster } from "@/test/fakes/groups";
import { groupActions } from "./group-actions-log";
import { deleteGroup, deleteGroupOffsets, resetOffsets } from "./group-commands";

const parse = (body: unknown) => resetOffsetsSchema.parse(body);

describe("reset offsets", () => {
  it("previews per partition without committing anything", async () => {
    const gateway = cluster();
    const report = await resetOffsets(
      fakeContext(gateway),
      "billing",
      parse({ topics: [{ topic: "orders" }], mode: "earliest" }),
    );
    expect(report.executed).toBe(false);
    expect(report.partitions.map((p) => [p.partition, p.currentOffset, p.newOffset, p.lagAfter])).toEqual([
      [0, 30, 10, 40],
      [1, 5, 0, 20],
      [2, null, 5, 0],
    ]);
    expect(report.command).toContain("--to-earliest --topic orders --dry-run");
    expect(gateway.calls.filter((c) => c.op === "commitGroupOffsets")).toEqual([]);
  });

  it("reads offsets by time: the first message at or after it, else the log end", async () => {
    const report = await resetOffsets(
      fakeContext(cluster()),
      "billing",
      parse({ topics: [{ topic: "orders", partitions: [0, 1] }], mode: "timestamp", timestamp: 1995 }),
    );
    // orders-0: every message is before 1995 → log end 50; orders-1: 2000 is offset 0.
    expect(report.partitions.map((p) => p.newOffset)).toEqual([50, 0]);
    expect(report.partitions[0]?.note).toMatch(/no message at or after/);
  });

  it("commits the previewed offsets on execute and records the action", async () => {
    const gateway = cluster();
    const ctx = fakeContext(gateway);
    const body = { topics: [{ topic: "orders", partitions: [0] }], mode: "shift", shift: -100 };
    const report = await resetOffsets(ctx, "billing", parse({ ...body, execute: true }));
    expect(report).toMatchObject({ executed: true, partitions: [{ newOffset: 10, clamped: "log-start" }] });
    expect(report.command).toMatch(/--execute$/);
    expect(gateway.state.groups?.find((g) => g.groupId === "billing")?.committed).toEqual({
      "orders:0": 10,
      "orders:1": 5,
    });
    const [action] = groupActions(ctx, "billing");
    expect(action).toMatchObject({
      action: "reset-offsets",
      changes: [{ topic: "orders", partition: 0, from: 30, to: 10 }],
    });
  });

  it("copies another group's offsets", async () => {
    const gateway = cluster();
    await resetOffsets(
      fakeContext(gateway),
      "billing",
      parse({ topics: [{ topic: "orders", partitions: [0] }], mode: "group", fromGroup: "mirror", execute: true }),
    );
    expect(gateway.state.groups?.find((g) => g.groupId === "billing")?.committed["orders:0"]).toBe(44);
  });

  it("refuses to execute on a group with members: 409 naming them, nothing committed", async () => {
    const gateway = cluster();
    const ctx = fakeContext(gateway);
    const preview = await resetOffsets(ctx, "busy", parse({ topics: [{ topic: "orders" }], mode: "latest" }));
    expect(preview.activeMembers).toEqual([
      { clientId: "consumer-a", host: "/10.0.0.7" },
      { clientId: "consumer-b", host: "/127.0.0.1" },
    ]);
    const err = await resetOffsets(
      ctx,
      "busy",
      parse({ topics: [{ topic: "orders" }], mode: "latest", execute: true }),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "conflict", status: 409 });
    expect(String((err as Error).message)).toMatch(/consumer-a \(\/10\.0\.0\.7\), consumer-b/);
    expect(gateway.calls.filter((c) => c.op === "commitGroupOffsets")).toEqual([]);
    expect(groupActions(ctx, "busy")).toEqual([]);
  });

  it.each([
    ["an unknown group", "nope", { topics: [{ topic: "orders" }], mode: "earliest" }, "group_not_found"],
    ["an unknown topic", "billing", { topics: [{ topic: "missing" }], mode: "earliest" }, "topic_not_found"],
    [
      "an unknown partition",
      "billing",
      { topics: [{ topic: "orders", partitions: [7] }], mode: "earliest" },
      "validation_failed",
    ],
    [
      "an unknown source group",
      "billing",
      { topics: [{ topic: "orders" }], mode: "group", fromGroup: "nope" },
      "group_not_found",
    ],
    [
      "a shift where nothing is committed",
      "billing",
      { topics: [{ topic: "orders", partitions: [2] }], mode: "shift", shift: 1 },
      "validation_failed",
    ],
  ])("answers 4xx for %s and commits nothing", async (_what, groupId, body, code) => {
    const gateway = cluster();
    const err = await resetOffsets(fakeContext(gateway), groupId, parse({ ...body, execute: true })).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code });
    expect((err as { status: number }).status).toBeGreaterThanOrEqual(400);
    expect((err as { status: number }).status).toBeLessThan(500);
    expect(gateway.calls.filter((c) => c.op === "commitGroupOffsets")).toEqual([]);
  });
});

describe("request schema", () => {
  it.each([
    [{ topics: [{ topic: "orders" }], mode: "offset", offset: -1 }, /below 0/],
    [{ topics: [{ topic: "orders" }], mode: "timestamp", timestamp: "yesterday" }, /ISO 8601/],
    [{ topics: [{ topic: "orders" }], mode: "timestamp", timestamp: "2026-13-45T99:00:00Z" }, /not a real date/],
    [{ topics: [{ topic: "orders" }], mode: "shift", shift: 1.5 }, /whole number/],
    [{ topics: [{ topic: "orders" }], mode: "shift", shift: "3" }, /whole number/],
    [{ topics: [], mode: "earliest" }, /at least one topic/],
    [{ topics: [{ topic: "orders" }], mode: "sideways" }, /mode is/],
  ])("refuses %j", (body, message) => {
    const r = resetOffsetsSchema.safeParse(body);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message).join(" ")).toMatch(message);
  });
});

describe("delete group and offsets", () => {
  it("deletes an empty group, and refuses one with members", async () => {
    const gateway = cluster();
    const ctx = fakeContext(gateway);
    await expect(deleteGroup(ctx, "busy")).rejects.toMatchObject({ code: "conflict", message: /consumer-a/ });
    const report = await deleteGroup(ctx, "billing");
    expect(report.command).toBe("kafka-consumer-groups.sh --bootstrap-server 127.0.0.1:9001 --delete --group billing");
    expect(gateway.calls.map((c) => c.op)).toEqual(["deleteGroup"]);
    expect(gateway.state.groups?.map((g) => g.groupId)).not.toContain("billing");
  });

  it("deletes a group's offsets of one topic", async () => {
    const gateway = cluster();
    const report = await deleteGroupOffsets(fakeContext(gateway), "billing", "orders");
    expect(report.partitions).toEqual([0, 1]);
    expect(report.command).toContain("--group billing --delete-offsets --topic orders");
    expect(gateway.state.groups?.find((g) => g.groupId === "billing")?.committed).toEqual({});
  });
});
