import { describe, expect, it } from "vitest";
import { type SearchQuery, searchQuerySchema } from "@/lib/schemas/messages";
import type { KafkaMessage } from "@/lib/types";
import { FakeGateway, fakeContext, partition, topic } from "@/test/fakes/cluster";
import {
  acquireSearchSlot,
  MAX_SEARCHES,
  planSearch,
  runSearch,
  type SearchEvents,
  type SearchProgress,
} from "./search";

const T0 = 1_700_000_000_000;

/** "logs": 2 partitions × 60 records, one batch each; every 7th value holds "needle". `pad` bytes of filler per value. */
function setup(pad = 0) {
  const gateway = new FakeGateway({
    brokers: [1, 2],
    controller: 101,
    topics: [topic("logs", [partition(0, 1, [1]), partition(1, 2, [2])])],
  });
  const all: { partition: number; offset: number; value: string }[] = [];
  for (let p = 0; p < 2; p++)
    for (let i = 0; i < 60; i++) {
      const value = `${i % 7 === 0 ? "needle" : "hay"}-${p}-${i}-${"x".repeat(pad)}`;
      gateway.messages.append("logs", p, [{ key: `k${i}`, value, timestamp: T0 + i * 10 + p }]);
      all.push({ partition: p, offset: i, value });
    }
  return { gateway, ctx: fakeContext(gateway), all };
}

const q = (params: Record<string, string>): SearchQuery => searchQuerySchema.parse(params);

function recorder(onMatch?: (m: KafkaMessage) => void) {
  const out = {
    matches: [] as KafkaMessage[],
    progress: [] as SearchProgress[],
    done: null as (SearchProgress & { reason: string }) | null,
    started: false,
  };
  const events: SearchEvents = {
    start: async () => {
      out.started = true;
    },
    match: async (m) => {
      out.matches.push(m);
      onMatch?.(m);
    },
    progress: async (p) => {
      out.progress.push(p);
    },
    done: async (d) => {
      out.done = d;
    },
  };
  return { out, events };
}

const key = (m: { partition: number; offset: number }) => `${m.partition}:${m.offset}`;

describe("message search", () => {
  it("finds exactly the records a scan of every record finds, and counts what it read", async () => {
    const { ctx, all } = setup();
    const plan = await planSearch(ctx, "logs", q({ mode: "substring", pattern: "needle" }));
    const { out, events } = recorder();
    expect(await runSearch(ctx.gateway, plan, events, new AbortController().signal)).toBe("end");
    const expected = all.filter((r) => r.value.includes("needle")).map(key);
    expect(out.matches.map(key).sort()).toEqual(expected.sort());
    expect(out.matches.every((m) => m.value?.data.startsWith("needle"))).toBe(true);
    expect(out.done).toMatchObject({ reason: "end", scanned: 120, matched: expected.length });
    expect(out.done?.positions).toEqual({ "0": 60, "1": 60 });
  });

  it("stops at the message budget, having read exactly that many", async () => {
    const { ctx } = setup();
    const plan = await planSearch(ctx, "logs", q({ mode: "substring", pattern: "needle", maxMessages: "25" }));
    const { out, events } = recorder();
    expect(await runSearch(ctx.gateway, plan, events, new AbortController().signal)).toBe("max_messages");
    expect(out.done?.scanned).toBe(25);
  });

  it("stops at the match budget", async () => {
    const { ctx } = setup();
    const plan = await planSearch(ctx, "logs", q({ mode: "substring", pattern: "needle", maxMatches: "3" }));
    const { out, events } = recorder();
    expect(await runSearch(ctx.gateway, plan, events, new AbortController().signal)).toBe("max_matches");
    expect(out.matches).toHaveLength(3);
    expect(out.done?.matched).toBe(3);
  });

  it("stops at the time budget and sends progress with the rate on the way", async () => {
    const { ctx } = setup(5000); // 5 KB values: many Fetches, so many rounds
    const plan = await planSearch(ctx, "logs", q({ mode: "substring", pattern: "needle", maxSeconds: "2" }));
    let t = 0;
    const clock = () => {
      t += 1000; // each look at the clock is a second later
      return t;
    };
    const { out, events } = recorder();
    expect(await runSearch(ctx.gateway, plan, events, new AbortController().signal, clock)).toBe("max_seconds");
    expect(out.done?.scanned).toBeGreaterThan(0);
    expect(out.done?.scanned).toBeLessThan(120);
    expect(out.progress.length).toBeGreaterThan(0);
    const p = out.progress[0] as SearchProgress;
    expect(p.rate).toBe(Math.round((p.scanned * 1000) / p.elapsedMs));
    // Progress only grows.
    const counts = out.progress.map((x) => x.scanned);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
  });

  it("cancelled while a match waits for its client, it sends no further match, even from the same Fetch", async () => {
    const { ctx } = setup(5000);
    const abort = new AbortController();
    const { out, events } = recorder(() => abort.abort());
    const plan = await planSearch(ctx, "logs", q({ mode: "substring", pattern: "needle" }));
    expect(await runSearch(ctx.gateway, plan, events, abort.signal)).toBe("cancelled");
    expect(out.matches).toHaveLength(1);
    expect(out.done).toBeNull();
  });

  it("cancelled, it stops reading: no Fetch after the abort and no done event", async () => {
    const { gateway, ctx } = setup(5000);
    const abort = new AbortController();
    let fetchesAtAbort = -1;
    const { out, events } = recorder(() => {
      if (fetchesAtAbort < 0) {
        fetchesAtAbort = gateway.messages.fetches.length;
        abort.abort();
      }
    });
    const plan = await planSearch(ctx, "logs", q({ mode: "substring", pattern: "needle" }));
    const before = gateway.messages.fetches.length;
    expect(await runSearch(ctx.gateway, plan, events, abort.signal)).toBe("cancelled");
    expect(fetchesAtAbort).toBeGreaterThan(before);
    expect(gateway.messages.fetches.length).toBe(fetchesAtAbort);
    // Reading all of it would have taken several more Fetches of each partition.
    const full = setup(5000);
    const fullPlan = await planSearch(full.ctx, "logs", q({ mode: "substring", pattern: "needle" }));
    const n0 = full.gateway.messages.fetches.length;
    await runSearch(full.ctx.gateway, fullPlan, recorder().events, new AbortController().signal);
    expect(full.gateway.messages.fetches.length - n0).toBeGreaterThan(fetchesAtAbort - before + 2);
    expect(out.done).toBeNull();
  });

  it("starts from an offset on the partitions asked for, and says when an offset is out of range", async () => {
    const { ctx } = setup();
    const plan = await planSearch(
      ctx,
      "logs",
      q({ mode: "regex", pattern: "^needle-1-", partition: "1", seek: "offset", offset: "30" }),
    );
    const { out, events } = recorder();
    await runSearch(ctx.gateway, plan, events, new AbortController().signal);
    expect(out.matches.map((m) => m.offset)).toEqual([35, 42, 49, 56]);
    expect(out.done?.scanned).toBe(30);
    const past = await planSearch(ctx, "logs", q({ mode: "substring", pattern: "x", seek: "offset", offset: "99" }));
    expect(past.notices[0]).toMatch(/offset 99 is past the end 60/);
  });

  it("refuses an unknown topic (404), partition (400) and invalid regex (400) before streaming", async () => {
    const { ctx } = setup();
    await expect(planSearch(ctx, "nope", q({ mode: "substring", pattern: "x" }))).rejects.toMatchObject({
      code: "topic_not_found",
    });
    await expect(planSearch(ctx, "logs", q({ mode: "substring", pattern: "x", partition: "5" }))).rejects.toMatchObject(
      {
        code: "validation_failed",
        field: "partition",
      },
    );
    await expect(planSearch(ctx, "logs", q({ mode: "regex", pattern: "(" }))).rejects.toMatchObject({
      code: "validation_failed",
      field: "pattern",
    });
  });

  it("holds at most MAX_SEARCHES slots", () => {
    const held = Array.from({ length: MAX_SEARCHES }, () => acquireSearchSlot());
    expect(() => acquireSearchSlot()).toThrow(/already runs/);
    held[0]?.();
    held[0]?.(); // releasing twice frees one slot only
    const again = acquireSearchSlot();
    expect(() => acquireSearchSlot()).toThrow(/already runs/);
    for (const r of [again, ...held]) r();
  });
});
