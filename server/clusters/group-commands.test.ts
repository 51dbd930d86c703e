import { describe, expect, it } from "vitest";
import { resetOffsetsSchema } from "@/lib/schemas/groups";
import { FakeGateway, fakeContext, group, member, partition, topic } from "@/test/fakes/cluster";
import {
  deleteGroup,
  deleteGroupOffsets,
  deleteRecords,
  groupActions,
  resetCommand,
  resetOffsets,
  resetPartition,
} from "./group-commands";

const withLog = (n: number, start: number, end: number) => ({
  ...partition(n, 1, [1]),
  earliestOffset: start,
  latestOffset: end,
});

/** orders: 3 partitions, logs [10, 50), [0, 20), [5, 5); group "billing" committed 30, 5 (none on 2). */
const cluster = () =>
  new FakeGateway({
    brokers: [1],
    controller: 101,
    topics: [
      topic("orders", [withLog(0, 10, 50), withLog(1, 0, 20), withLog(2, 5, 5)]),
      topic("__consumer_offsets", [withLog(0, 0, 9)], true),
    ],
    groups: [
      group("billing", { "orders:0": 30, "orders:1": 5 }),
      group("busy", { "orders:0": 12 }, [member("consumer-a", "/10.0.0.7"), member("consumer-b")]),
      group("mirror", { "orders:0": 44 }),
    ],
    // orders-0: offsets 10..49 written at 1000, 1010, …; orders-1: 0..19 at 2000, 2010, …
    timestamps: {
      "orders:0": Array.from({ length: 40 }, (_, i) => 1000 + 10 * i),
      "orders:1": Array.from({ length: 20 }, (_, i) => 2000 + 10 * i),
    },
  });

const parse = (body: unknown) => resetOffsetsSchema.parse(body);
const facts = { currentOffset: 30, logStartOffset: 10, logEndOffset: 50 };

describe("reset arithmetic", () => {
  it("shifts from the committed offset and clamps to the log", () => {
    expect(resetPartition("t", 0, facts, { mode: "shift", shift: -5 })).toMatchObject({
      requestedOffset: 25,
      newOffset: 25,
      clamped: null,
      lagBefore: 20,
      lagAfter: 25,
    });
    expect(resetPartition("t", 0, facts, { mode: "shift", shift: -100 })).toMatchObject({
      requestedOffset: -70,
      newOffset: 10,
      clamped: "log-start",
      note: expect.stringContaining("before the log start 10"),
      lagAfter: 40,
    });
    expect(resetPartition("t", 0, facts, { mode: "shift", shift: 100 })).toMatchObject({
      newOffset: 50,
      clamped: "log-end",
      lagAfter: 0,
    });
  });

  it("refuses to shift a partition without a committed offset, as the CLI does", () => {
    expect(() => resetPartition("t", 2, { ...facts, currentOffset: null }, { mode: "shift", shift: 1 })).toThrow(
      /Cannot shift t-2: the group has no committed offset/,
    );
  });

  it("clamps an absolute offset into [log start, log end]", () => {
    expect(resetPartition("t", 0, facts, { mode: "offset", offset: 3 })).toMatchObject({
      newOffset: 10,
      clamped: "log-start",
    });
    expect(resetPartition("t", 0, facts, { mode: "offset", offset: 999 })).toMatchObject({
      newOffset: 50,
      clamped: "log-end",
    });
    expect(resetPartition("t", 0, facts, { mode: "offset", offset: 42 })).toMatchObject({
      newOffset: 42,
      clamped: null,
    });
  });

  it("takes the log end for a time after the last message", () => {
    const r = resetPartition("t", 0, { ...facts, offsetForTime: -1 }, { mode: "timestamp", timestamp: 9e12 });
    expect(r).toMatchObject({ newOffset: 50, clamped: null, lagAfter: 0 });
    expect(r.note).toMatch(/no message at or after that time/);
    expect(resetPartition("t", 0, { ...facts, offsetForTime: 17 }, { mode: "timestamp", timestamp: 1 })).toMatchObject({
      newOffset: 17,
      note: null,
    });
  });

  it("copies another group's offset, or the log end where it has none", () => {
    expect(resetPartition("t", 0, { ...facts, sourceOffset: 12 }, { mode: "group", fromGroup: "g2" })).toMatchObject({
      newOffset: 12,
    });
    expect(resetPartition("t", 0, { ...facts, sourceOffset: null }, { mode: "group", fromGroup: "g2" })).toMatchObject({
      newOffset: 50,
      note: expect.stringContaining("g2 has no committed offset"),
    });
  });
});

describe("the equivalent command", () => {
  const ctx = fakeContext(cluster());
  it("names the group, the mode, the topics and partitions, and --dry-run or --execute", () => {
    expect(
      resetCommand(ctx, "billing", [{ topic: "orders", partitions: [0, 2] }], { mode: "shift", shift: -3 }, false),
    ).toBe(
      "kafka-consumer-groups.sh --bootstrap-server 127.0.0.1:9001 --group billing --reset-offsets --shift-by -3 --topic orders:0,2 --dry-run",
    );
    expect(
      resetCommand(ctx, "my group", [{ topic: "a" }, { topic: "b" }], { mode: "timestamp", timestamp: 0 }, true),
    ).toBe(
      "kafka-consumer-groups.sh --bootstrap-server 127.0.0.1:9001 --group 'my group' --reset-offsets --to-datetime 1970-01-01T00:00:00.000Z --topic a --topic b --execute",
    );
  });
});

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

describe("delete group, offsets and records", () => {
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

  it("previews and deletes records; refuses internal topics and offsets past the end", async () => {
    const gateway = cluster();
    const ctx = fakeContext(gateway);
    const preview = await deleteRecords(ctx, "orders", { partitions: [{ partition: 0, offset: 20 }] });
    expect(preview).toMatchObject({ executed: false, partitions: [{ beforeOffset: 10, logStartOffset: 20 }] });
    expect(gateway.calls.filter((c) => c.op === "deleteRecords")).toEqual([]);
    const done = await deleteRecords(ctx, "orders", { partitions: [{ partition: 0, offset: 20 }], execute: true });
    expect(done.partitions[0]?.logStartOffset).toBe(20);
    await expect(
      deleteRecords(ctx, "__consumer_offsets", { partitions: [{ partition: 0, offset: 1 }], execute: true }),
    ).rejects.toMatchObject({ code: "internal_topic" });
    await expect(
      deleteRecords(ctx, "orders", { partitions: [{ partition: 1, offset: 21 }], execute: true }),
    ).rejects.toMatchObject({ code: "validation_failed", message: /ends at offset 20/ });
  });
});
