import { describe, expect, it } from "vitest";
import { fakeContext } from "@/test/fakes/cluster";
import { groupsCluster as cluster } from "@/test/fakes/groups";
import { resetCommand, resetPartition } from "./group-reset-plan";

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
