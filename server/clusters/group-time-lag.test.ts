import { describe, expect, it } from "vitest";
import { FakeGateway, fakeContext, group, partition, topic } from "@/test/fakes/cluster";
import { groupTimeLags, withTimeLag } from "./group-time-lag";

const withLog = (n: number, start: number, end: number) => ({
  ...partition(n, 1, [1]),
  earliestOffset: start,
  latestOffset: end,
});

describe("lag in time", () => {
  const cluster = () =>
    new FakeGateway({
      brokers: [1],
      controller: 101,
      topics: [topic("orders", [withLog(0, 0, 10), withLog(1, 0, 4)])],
      // orders-0: offset i written at 1000 + 1000 i; orders-1 likewise from 50,000.
      timestamps: {
        "orders:0": Array.from({ length: 10 }, (_, i) => 1000 + 1000 * i),
        "orders:1": Array.from({ length: 4 }, (_, i) => 50_000 + 1000 * i),
      },
      groups: [group("billing", { "orders:0": 3, "orders:1": 4 })],
    });

  it("is now − the timestamp of the record at the committed offset; 0 without lag, with no fetch for it", async () => {
    const gateway = cluster();
    const ctx = fakeContext(gateway);
    const detail = await ctx.read.consumerGroup("billing");
    const out = await withTimeLag(ctx, detail, 60_000);
    expect(out.offsets.map((o) => [o.partition, o.lag, o.lagMs])).toEqual([
      [0, 7, 56_000],
      [1, 0, 0],
    ]);
    expect(out.maxLagMs).toBe(56_000);
    const fetched = gateway.calls.filter((c) => c.op === "recordTimes").map((c) => c.args[0]);
    expect(fetched).toEqual([[{ topic: "orders", partition: 0, offset: 3n }]]);
  });

  it("reuses a measurement for a second, and measures again when the committed offset moves", async () => {
    const gateway = cluster();
    const ctx = fakeContext(gateway);
    const detail = await ctx.read.consumerGroup("billing");
    await withTimeLag(ctx, detail, 60_000);
    const again = await withTimeLag(ctx, detail, 60_500);
    expect(again.offsets[0]?.lagMs).toBe(56_500);
    expect(gateway.calls.filter((c) => c.op === "recordTimes")).toHaveLength(1);
    const moved = {
      ...detail,
      offsets: detail.offsets.map((o) => (o.partition === 0 ? { ...o, committedOffset: 8, lag: 2 } : o)),
    };
    const later = await withTimeLag(ctx, moved, 60_600);
    expect(later.offsets[0]?.lagMs).toBe(60_600 - 9000);
    expect(gateway.calls.filter((c) => c.op === "recordTimes")).toHaveLength(2);
  });
});

describe("lag in time for the history", () => {
  it("asks one Fetch for all groups' lagging partitions, each (partition, offset) once", async () => {
    const gateway = new FakeGateway({
      brokers: [1],
      controller: 101,
      topics: [topic("orders", [withLog(0, 0, 10)])],
      timestamps: { "orders:0": Array.from({ length: 10 }, (_, i) => 1000 * (i + 1)) },
      groups: [
        group("a", { "orders:0": 2 }),
        group("b", { "orders:0": 2 }),
        group("done", { "orders:0": 10 }),
        group("none", {}),
      ],
    });
    const ctx = fakeContext(gateway);
    const snap = await ctx.read.requireSnapshot();
    const lags = await groupTimeLags(ctx, snap, new Set(["a", "b", "done", "none"]), 20_000);
    expect(Object.fromEntries(lags)).toEqual({ a: 17_000, b: 17_000, done: 0, none: null });
    const asked = gateway.calls.filter((c) => c.op === "recordTimes").map((c) => c.args[0]);
    expect(asked).toEqual([[{ topic: "orders", partition: 0, offset: 2n }]]);
  });
});
