import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as groupsRoute from "@/app/api/clusters/[cluster]/consumer-groups/route";
import * as topicsRoute from "@/app/api/clusters/[cluster]/topics/route";
import type { ConsumerGroupSummary, ListPage, TopicSummary } from "@/lib/types";
import type { ClusterService } from "@/server/cluster-service";
import { READ_MAX_AGE_MS } from "@/server/clusters/snapshot-cache";
import { loadConfig } from "@/server/config";
import { commitGroupOffsets, findGroupCoordinator } from "@/server/kafka/group-requests";
import { withPool } from "@/server/kafka/pool";
import { eventually, startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { serveThroughRoutes } from "../helpers/routes";

/** A GET of a list route with a query string, as Next.js would call it. */
async function get<T>(
  route: { GET: (req: Request, ctx: { params: Promise<{ cluster: string }> }) => Promise<Response> },
  path: string,
  query: string,
): Promise<{ status: number; body: T }> {
  const res = await route.GET(new Request(`http://127.0.0.1/api/clusters/local/${path}${query}`), {
    params: Promise.resolve({ cluster: "local" }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const topics = (query: string) => get<ListPage<TopicSummary>>(topicsRoute, "topics", query);
const groups = (query: string) => get<ListPage<ConsumerGroupSummary>>(groupsRoute, "consumer-groups", query);

// Server-side paging, search and sort of the topic and group lists on a real cluster, and the
// read-freshness rule: a read within the age is answered from the same snapshot, one after it takes a new one.
describe("topic and group lists", () => {
  let tc: TestCluster;
  let service: ClusterService;
  let kafka: Kafka;
  /** Snapshots taken through the gateway since the test began (the monitor is not running: only reads take them). */
  let takes = 0;
  const prefix = uniqueName("list");
  // Partitions 1…7; names whose order differs by case and by number ("-2" before "-10").
  const names = ["Alpha", "beta", "gamma-2", "gamma-10", "delta", "Epsilon", "zeta"].map((n) => `${prefix}-${n}`);
  const partitionsOf = (i: number) => i + 1;
  const groupIds = ["apple", "Banana", "cherry", "date"].map((g) => `${prefix}-${g}`);

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 1 });
    service = serveThroughRoutes(tc.cluster);
    const gateway = service.read.gateway;
    const take = gateway.takeSnapshot.bind(gateway);
    gateway.takeSnapshot = (...args) => {
      takes++;
      return take(...args);
    };
    kafka = new Kafka({ clientId: "quorum-it-lists", brokers: tc.bootstrap, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: names.map((topic, i) => ({ topic, numPartitions: partitionsOf(i), replicationFactor: 1 })),
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
    // `delta` gets 10 messages in partition 0; the groups commit different offsets on it.
    const delta = names[4] as string;
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: delta,
      messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}`, partition: 0 })),
    });
    await producer.disconnect();
    await withPool({ tls: null, sasl: null }, async (pool) => {
      for (const [i, groupId] of groupIds.entries()) {
        await eventually(`offsets of ${groupId} committed`, async () => {
          const coordinator = await findGroupCoordinator(pool, tc.bootstrap, groupId);
          const offsets = new Map([[delta, [{ partition: 0, offset: BigInt(i * 3) }]]]);
          const results = await commitGroupOffsets(pool, coordinator, groupId, offsets);
          if (results.some((r) => r.errorCode !== 0)) throw new Error(`OffsetCommit: ${JSON.stringify(results)}`);
          return true;
        });
      }
    });
    // Every topic and group in one snapshot before the tests look.
    await eventually("topics and groups in the snapshot", async () => {
      const s = await service.snapshot(0);
      const ok =
        names.every((n) => s?.topics.some((t) => t.name === n)) &&
        groupIds.every((g) => s?.groups.some((x) => x.groupId === g && x.offsets.length === 1));
      return ok ? true : undefined;
    });
  }, 240_000);

  afterAll(async () => {
    await tc?.stop();
  }, 120_000);

  it("searches case-insensitively, with total (the cluster) and matched (the search)", async () => {
    const all = await topics("?internal=true&limit=1000");
    expect(all.status).toBe(200);
    const page = await topics(`?q=${prefix.toUpperCase()}-GAMMA`);
    expect(page.status).toBe(200);
    expect(page.body.items.map((t) => t.name)).toEqual([`${prefix}-gamma-2`, `${prefix}-gamma-10`]);
    expect(page.body.total).toBe(all.body.total);
    expect(page.body.matched).toBe(2);
    // Internal topics only when asked: __consumer_offsets exists (the groups made it).
    expect(all.body.items.some((t) => t.name === "__consumer_offsets")).toBe(true);
    const user = await topics("?limit=1000");
    expect(user.body.items.some((t) => t.internal)).toBe(false);
    expect(user.body.matched).toBe(all.body.matched - all.body.items.filter((t) => t.internal).length);
  });

  it("pages in a stable order that neither overlaps nor skips", async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < names.length + 3; offset += 3) {
      const { body } = await topics(`?q=${prefix}&offset=${offset}&limit=3&sort=partitions&dir=desc`);
      expect(body).toMatchObject({ offset, limit: 3, matched: names.length });
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...body.items.map((t) => t.name));
    }
    // Partitions descending: zeta (7), Epsilon (6), delta (5), gamma-10 (4), gamma-2 (3), beta (2), Alpha (1).
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => names[i]));
    const byPartitions = await topics(`?q=${prefix}&sort=partitions`);
    expect(byPartitions.body.items.map((t) => t.partitions)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("sorts by name as people read it, and by messages", async () => {
    const byName = await topics(`?q=${prefix}`);
    expect(byName.body.items.map((t) => t.name.slice(prefix.length + 1))).toEqual([
      "Alpha",
      "beta",
      "delta",
      "Epsilon",
      "gamma-2",
      "gamma-10",
      "zeta",
    ]);
    const byMessages = await topics(`?q=${prefix}&sort=messages&dir=desc&limit=1`);
    expect(byMessages.body.items).toEqual([
      expect.objectContaining({ name: names[4], messages: 10, partitions: 5, replicationFactor: 1 }),
    ]);
  });

  it("lists groups by search and by lag", async () => {
    const page = await groups(`?q=${prefix}-b`);
    expect(page.status).toBe(200);
    expect(page.body.items.map((g) => g.groupId)).toEqual([`${prefix}-Banana`]);
    expect(page.body.matched).toBe(1);
    expect(page.body.total).toBeGreaterThanOrEqual(groupIds.length);
    // Committed 0, 3, 6, 9 of 10 messages: lags 10, 7, 4, 1.
    const byLag = await groups(`?q=${prefix}&sort=lag&dir=desc`);
    expect(byLag.body.items.map((g) => [g.groupId, g.totalLag])).toEqual(groupIds.map((g, i) => [g, 10 - i * 3]));
    const second = await groups(`?q=${prefix}&sort=lag&offset=1&limit=2`);
    expect(second.body.items.map((g) => g.totalLag)).toEqual([4, 7]);
  });

  it("refuses bad parameters with 400 and the field", async () => {
    for (const [query, field] of [
      ["?limit=1001", "limit"],
      ["?offset=-5", "offset"],
      ["?sort=lag", "sort"],
      ["?dir=sideways", "dir"],
    ] as const) {
      const r = await get<{ error: { code: string; field?: string } }>(topicsRoute, "topics", query);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: "validation_failed", field });
    }
    const r = await get<{ error: { code: string; field?: string } }>(
      groupsRoute,
      "consumer-groups",
      "?sort=partitions",
    );
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: "validation_failed", field: "sort" });
  });

  it("answers reads from the shared snapshot while it is younger than the read age, and takes a new one after", async () => {
    expect(loadConfig({}).readMaxAgeMs).toBe(READ_MAX_AGE_MS);
    expect(service.read.cache.readMaxAgeMs).toBe(5000);
    service.read.cache.readMaxAgeMs = 2000;
    try {
      await service.snapshot(0);
      const before = takes;
      const first = await topics(`?q=${prefix}`);
      const again = await groups(`?q=${prefix}`);
      const third = await topics(`?q=${prefix}&sort=messages`);
      // Within the age: the same snapshot, no Kafka request.
      expect(takes).toBe(before);
      expect(again.body.snapshot.takenAt).toBe(first.body.snapshot.takenAt);
      expect(third.body.snapshot.takenAt).toBe(first.body.snapshot.takenAt);
      expect(third.body.snapshot.ageMs).toBeGreaterThanOrEqual(first.body.snapshot.ageMs);
      expect(first.body.snapshot.complete).toBe(true);
      await new Promise((r) => setTimeout(r, 2100));
      const later = await topics(`?q=${prefix}`);
      expect(takes).toBe(before + 1);
      expect(later.body.snapshot.takenAt).toBeGreaterThan(first.body.snapshot.takenAt);
      expect(later.body.snapshot.ageMs).toBeLessThan(2000);
    } finally {
      service.read.cache.readMaxAgeMs = 5000;
    }
  });
});
