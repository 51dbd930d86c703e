import { describe, expect, it } from "vitest";
import { topicListQuerySchema } from "@/lib/schemas/lists";
import { FakeGateway, fakeContext, partition, topic } from "@/test/fakes/cluster";

import { READ_MAX_AGE_MS, SnapshotCache } from "./snapshot-cache";

const state = () => ({ brokers: [1, 2, 3], controller: 101, topics: [topic("orders", [partition(0, 1, [1, 2, 3])])] });

describe("snapshot cache", () => {
  it("offers the snapshot a read would use now, without waiting: none before the first, none once too old", async () => {
    const gateway = new FakeGateway(state());
    const cache = new SnapshotCache("lab", () => ["127.0.0.1:9001"], gateway, null);
    expect(cache.current).toBeNull();
    const snap = await cache.snapshot(0);
    expect(cache.current).toBe(snap);
    cache.readMaxAgeMs = 0; // every snapshot is now too old to answer a read
    expect(cache.current).toBeNull();
    cache.readMaxAgeMs = READ_MAX_AGE_MS;
    expect(cache.current).toBe(snap);
    cache.invalidate();
    expect(cache.current).toBeNull();
    expect(gateway.takes).toBe(1); // it never takes one itself
  });

  it("asks a broker being stopped last: it answers from its own view until it exits", async () => {
    const gateway = new FakeGateway(state());
    const bootstrap = ["127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003"];
    let stopping: number[] = [];
    const cache = new SnapshotCache(
      "lab",
      () => bootstrap,
      gateway,
      null,
      () => stopping,
    );
    expect(cache.seeds()).toEqual(bootstrap);
    await cache.snapshot(0); // learns the brokers' addresses
    stopping = [1];
    expect(cache.seeds()).toEqual(["127.0.0.1:9002", "127.0.0.1:9003", "127.0.0.1:9001"]);
    stopping = [];
    expect(cache.seeds()).toEqual(bootstrap);
  });

  it("makes at most 2 snapshots for 100 concurrent reads of an unknown topic", async () => {
    const gateway = new FakeGateway(state());
    const ctx = fakeContext(gateway);
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => ctx.read.findTopic("nope")));
    expect(gateway.takes).toBeGreaterThanOrEqual(1);
    expect(gateway.takes).toBeLessThanOrEqual(2);
    for (const r of results) {
      expect(r.status).toBe("rejected");
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "topic_not_found" });
    }
  });

  it("still serves every caller a snapshot begun after it asked for a fresh one", async () => {
    const gateway = new FakeGateway(state());
    const ctx = fakeContext(gateway);
    // The topic exists from the second snapshot on: a reader that settled for the first one would miss it.
    gateway.afterTake = (n) => {
      if (n === 1) gateway.state.topics.push(topic("new", [partition(0, 2, [2])]));
    };
    const found = await Promise.all(Array.from({ length: 100 }, () => ctx.read.findTopic("new")));
    expect(found.every((t) => t.name === "new")).toBe(true);
    expect(gateway.takes).toBe(2);
  });

  it("joins fresh requests made while one is in flight to the single one queued behind it", async () => {
    const gateway = new FakeGateway(state());
    // The first snapshot stays in flight until the test lets it end, however slow the machine.
    let release = () => {};
    gateway.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ctx = fakeContext(gateway);
    const first = ctx.read.snapshot(0);
    await new Promise((r) => setTimeout(r, 5)); // the first is in flight now
    // Requests arriving one by one, each after the one in flight began: none may settle for it.
    const later: Promise<{ asked: number; requests: number | undefined }>[] = [];
    for (let i = 0; i < 20; i++) {
      const asked = performance.now();
      later.push(ctx.read.snapshot(0).then((snap) => ({ asked, requests: snap?.requests })));
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(gateway.takes).toBe(1); // the queued one waits for the one in flight
    gateway.gate = null;
    release();
    expect((await first)?.requests).toBe(1);
    for (const { asked, requests } of await Promise.all(later)) {
      expect(requests).toBe(2);
      expect(gateway.takesBegan[1]).toBeGreaterThanOrEqual(asked);
    }
    expect(gateway.takes).toBe(2);
  });

  it("serves a recent snapshot from the cache, and none from before an invalidation", async () => {
    const gateway = new FakeGateway(state());
    const ctx = fakeContext(gateway);
    await ctx.read.snapshot();
    await ctx.read.snapshot();
    expect(gateway.takes).toBe(1);
    ctx.invalidate();
    expect((await ctx.read.snapshot())?.requests).toBe(2);
  });

  it("answers reads from a snapshot younger than the read age, and takes a new one past it", async () => {
    const gateway = new FakeGateway(state());
    const ctx = fakeContext(gateway);
    expect(ctx.read.cache.readMaxAgeMs).toBe(READ_MAX_AGE_MS);
    ctx.read.cache.readMaxAgeMs = 150;
    const first = await ctx.read.snapshot();
    await new Promise((r) => setTimeout(r, 50));
    // Within the age: the same snapshot, no Kafka request.
    expect(await ctx.read.topicPage(topicListQuerySchema.parse({}))).toMatchObject({
      snapshot: { takenAt: first?.takenAt },
    });
    expect(gateway.takes).toBe(1);
    await new Promise((r) => setTimeout(r, 150));
    const page = await ctx.read.topicPage(topicListQuerySchema.parse({}));
    expect(gateway.takes).toBe(2);
    expect(page.snapshot.ageMs).toBeLessThan(150);
    // A command's own read still asks for one begun after it.
    await ctx.read.snapshot(0);
    expect(gateway.takes).toBe(3);
  });

  it("answers null, and remembers why, when Kafka does not answer", async () => {
    const gateway = new FakeGateway(state());
    gateway.takeSnapshot = () => Promise.reject(new Error("connection refused"));
    const ctx = fakeContext(gateway);
    expect(await ctx.read.snapshot(0)).toBeNull();
    await expect(ctx.read.topics()).rejects.toMatchObject({ code: "cluster_unavailable" });
    expect(ctx.read.cache.lastError?.message).toBe("connection refused");
  });
});
