import { describe, expect, it } from "vitest";
import { tailQuerySchema } from "@/lib/schemas/messages";
import type { KafkaMessage } from "@/lib/types";
import { FakeGateway, fakeContext, partition, topic } from "@/test/fakes/cluster";
import { acquireTailSlot, MAX_TAILS, planTail, RateCap, runTail, type TailStats } from "./tail";

describe("RateCap", () => {
  it("lets perSecond through in each one-second window and counts the rest", () => {
    const cap = new RateCap(3);
    const at = (t: number) => cap.allow(t);
    expect([0, 10, 20, 30, 40].map(at)).toEqual([true, true, true, false, false]);
    expect(at(999)).toBe(false);
    expect([1000, 1001, 1002, 1003].map(at)).toEqual([true, true, true, false]);
    expect(cap.sent).toBe(6);
    expect(cap.skipped).toBe(4);
    // A quiet spell: the next window starts with the next record, not on a grid.
    expect([5000, 5999, 5999, 5999].map(at)).toEqual([true, true, true, false]);
  });
});

describe("live tail", () => {
  function setup() {
    const gateway = new FakeGateway({
      brokers: [1, 2],
      controller: 101,
      topics: [topic("live", [partition(0, 1, [1]), partition(1, 2, [2])])],
    });
    gateway.messages.append("live", 0, [{ value: "old-0", timestamp: 1 }]);
    gateway.messages.append("live", 1, [{ value: "old-1", timestamp: 1 }]);
    return { gateway, ctx: fakeContext(gateway) };
  }

  it("starts at the log end, sends new records, caps the rate and counts what it skipped", async () => {
    const { gateway, ctx } = setup();
    const plan = await planTail(ctx, "live", tailQuerySchema.parse({ maxRate: "2" }));
    expect(plan.partitions.map((p) => [p.partition, p.position])).toEqual([
      [0, 1n],
      [1, 1n],
    ]);
    const abort = new AbortController();
    const got: KafkaMessage[] = [];
    const stats: TailStats[] = [];
    let t = 0;
    let polls = 0;
    const run = runTail(
      ctx,
      plan,
      {
        start: async () => {},
        message: async (m) => {
          got.push(m);
        },
        stats: async (s) => {
          stats.push(s);
          if (stats.length === 2) abort.abort();
        },
      },
      abort.signal,
      () => t,
      1,
    );
    // Five records arrive within one second: two are sent, three counted as skipped.
    for (let i = 0; i < 5; i++) gateway.messages.append("live", i % 2, [{ value: `new-${i}`, timestamp: 2 + i }]);
    // Let the tail poll, then move the clock on so that it reports.
    while (got.length < 2 && polls++ < 200) await new Promise((r) => setTimeout(r, 2));
    t = 1500;
    await new Promise((r) => setTimeout(r, 20));
    gateway.messages.append("live", 1, [{ value: "later", timestamp: 99 }]);
    while (stats.length < 1 && polls++ < 400) await new Promise((r) => setTimeout(r, 2));
    t = 3000;
    await run;
    expect(got.slice(0, 2).map((m) => m.value?.data)).toEqual(["new-0", "new-2"]);
    expect(got.map((m) => m.value?.data)).not.toContain("old-0");
    expect(stats[0]).toMatchObject({ sent: 2, skipped: 3, seen: 5 });
    // In the next second the cap has room again.
    expect(got.map((m) => m.value?.data)).toEqual(["new-0", "new-2", "later"]);
    expect(stats[1]).toMatchObject({ sent: 3, skipped: 3, positions: { "0": 4, "1": 4 } });
  });

  it("stops reading when the client goes", async () => {
    const { gateway, ctx } = setup();
    const plan = await planTail(ctx, "live", tailQuerySchema.parse({ partition: "0" }));
    const abort = new AbortController();
    const events = { start: async () => {}, message: async () => {}, stats: async () => {} };
    const run = runTail(ctx, plan, events, abort.signal, Date.now, 5);
    await new Promise((r) => setTimeout(r, 30));
    abort.abort();
    await run;
    const n = gateway.messages.fetches.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(n).toBeGreaterThan(0);
    expect(gateway.messages.fetches.length).toBe(n);
    expect(gateway.messages.fetches.every((f) => f.partition === 0)).toBe(true);
  });

  it("refuses an unknown topic or partition, and past MAX_TAILS answers too_many_subscribers", async () => {
    const { ctx } = setup();
    await expect(planTail(ctx, "nope", tailQuerySchema.parse({}))).rejects.toMatchObject({ code: "topic_not_found" });
    await expect(planTail(ctx, "live", tailQuerySchema.parse({ partition: "0,7" }))).rejects.toMatchObject({
      field: "partition",
    });
    const held = Array.from({ length: MAX_TAILS }, () => acquireTailSlot());
    expect(() => acquireTailSlot()).toThrow(expect.objectContaining({ code: "too_many_subscribers" }));
    for (const r of held) r();
    acquireTailSlot()();
  });
});
