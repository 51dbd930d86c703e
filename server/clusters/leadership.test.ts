import { describe, expect, it } from "vitest";
import { type LeadershipQuery, leadershipQuerySchema } from "@/lib/schemas/leadership";
import type { ClusterSnapshot, SnapshotPartition } from "@/server/kafka/snapshot";
import { FakeGateway, FakeSupervisor, fakeContext, partition, topic } from "@/test/fakes/cluster";
import { leadershipSummary, readLeadership, readPartitions } from "./leadership";

const query = (q: Record<string, string> = {}): LeadershipQuery => leadershipQuerySchema.parse(q);

const offline = (p: SnapshotPartition, replicas: number[]): SnapshotPartition => ({ ...p, offlineReplicas: replicas });

/**
 * Broker 1 is down (its replicas offline), 2 and 3 up; broker 4 is named by a replica only.
 * orders-0: leader 2, preferred 1; 1 out of sync (offline in the first test).
 * orders-1: leader 2 (preferred), 1 out of sync.
 * orders-2: leader 3, preferred 1 (offline): leads off its preferred broker.
 * payments-0: no leader, its only replica (1) offline.
 * audit-0: leader 4 (preferred), replica 2 out of sync.
 * __consumer_offsets-0: leader 2, preferred 3, in sync.
 */
function snapshot(orders0Offline = false): Promise<ClusterSnapshot> {
  const orders0 = partition(0, 2, [1, 2, 3], [2, 3]);
  return new FakeGateway({
    brokers: [2, 3],
    controller: 101,
    topics: [
      topic("orders", [
        orders0Offline ? offline(orders0, [1]) : orders0,
        partition(1, 2, [2, 3, 1], [2, 3]),
        offline(partition(2, 3, [1, 3, 2], [3, 2]), [1]),
      ]),
      topic("payments", [offline(partition(0, -1, [1], [1]), [1])]),
      topic("audit", [partition(0, 4, [4, 2], [4])]),
      topic("__consumer_offsets", [partition(0, 2, [3, 2], [3, 2])], true),
    ],
  }).takeSnapshot();
}

const brokers = [
  { id: 1, status: "down" as const },
  { id: 2, status: "up" as const },
  { id: 3, status: "up" as const },
];

describe("leadershipSummary", () => {
  it("counts per broker each replica once: offline, in sync (leader included) or out of sync; and leaders off their preferred broker", async () => {
    // orders-0's replica on 1 is offline too.
    const snap = await snapshot(true);
    const s = leadershipSummary(snap, brokers, query());
    expect(s.brokers).toEqual([
      // orders-0, orders-2, payments-0 offline; orders-1 out of sync.
      { broker: 1, status: "down", leaders: 0, replicas: 4, inSync: 0, outOfSync: 1, offline: 3, notPreferred: 0 },
      // Leads orders-0 (preferred 1) and orders-1 (preferred); in sync on orders-0/1/2; out of sync on audit-0.
      { broker: 2, status: "up", leaders: 2, replicas: 4, inSync: 3, outOfSync: 1, offline: 0, notPreferred: 1 },
      // Leads orders-2 (preferred 1); in sync on orders-0/1/2.
      { broker: 3, status: "up", leaders: 1, replicas: 3, inSync: 3, outOfSync: 0, offline: 0, notPreferred: 1 },
      { broker: 4, status: "unknown", leaders: 1, replicas: 1, inSync: 1, outOfSync: 0, offline: 0, notPreferred: 0 },
    ]);
    for (const b of s.brokers) expect(b.inSync + b.outOfSync + b.offline).toBe(b.replicas);
    expect(s.totals).toEqual({ topics: 3, partitions: 5, offline: 1, underReplicated: 4, notPreferred: 2 });
  });

  it("gives per topic × broker the same counts, one column per broker, zeros where the topic has no replica", async () => {
    const s = leadershipSummary(await snapshot(), brokers, query());
    expect(s.topics.rows.map((r) => r.topic)).toEqual(["audit", "orders", "payments"]);
    const orders = s.topics.rows.find((r) => r.topic === "orders");
    expect(orders).toMatchObject({ partitions: 3, offline: 0, underReplicated: 3, internal: false });
    expect(orders?.brokers.map((b) => b.broker)).toEqual([1, 2, 3, 4]);
    expect(orders?.brokers[0]).toEqual({
      broker: 1,
      leaders: 0,
      replicas: 3,
      inSync: 0,
      outOfSync: 2,
      offline: 1,
      notPreferred: 0,
    });
    expect(orders?.brokers[1]).toMatchObject({ leaders: 2, inSync: 3, notPreferred: 1 });
    expect(orders?.brokers[2]).toMatchObject({ leaders: 1, inSync: 3, notPreferred: 1 });
    expect(orders?.brokers[3]).toMatchObject({ leaders: 0, replicas: 0 });
    const payments = s.topics.rows.find((r) => r.topic === "payments");
    expect(payments).toMatchObject({ partitions: 1, offline: 1, underReplicated: 0 });
    expect(payments?.brokers[0]).toMatchObject({ leaders: 0, replicas: 1, offline: 1 });
    // The per-broker totals are the sums of the topic rows.
    for (const [i, b] of s.brokers.entries()) {
      const leaders = s.topics.rows.reduce((n, r) => n + (r.brokers[i]?.leaders ?? 0), 0);
      expect(leaders).toBe(b.leaders);
    }
  });

  it("leaves internal topics out unless asked", async () => {
    const snap = await snapshot();
    expect(leadershipSummary(snap, brokers, query()).totals.topics).toBe(3);
    const all = leadershipSummary(snap, brokers, query({ internal: "true" }));
    expect(all.totals).toMatchObject({ topics: 4, partitions: 6, notPreferred: 3 });
    expect(all.topics.rows[0]).toMatchObject({ topic: "__consumer_offsets", internal: true });
    expect(all.brokers.find((b) => b.broker === 2)?.leaders).toBe(3);
  });

  it("filters topic rows by a case-insensitive substring and pages them, counting all that match", async () => {
    const snap = await new FakeGateway({
      brokers: [1, 2],
      controller: 101,
      topics: Array.from({ length: 30 }, (_, i) =>
        topic(`${i % 2 ? "Orders" : "clicks"}-${String(i).padStart(2, "0")}`, [partition(0, 1 + (i % 2), [1, 2])]),
      ),
    }).takeSnapshot();
    const all = leadershipSummary(snap, [], query({ limit: "4" }));
    expect(all.topics).toMatchObject({ total: 30, offset: 0, limit: 4 });
    expect(all.topics.rows.map((r) => r.topic)).toEqual(["Orders-01", "Orders-03", "Orders-05", "Orders-07"]);
    const page = leadershipSummary(snap, [], query({ q: "ORDERS", offset: "12", limit: "5" }));
    expect(page.topics.total).toBe(15);
    expect(page.topics.rows.map((r) => r.topic)).toEqual(["Orders-25", "Orders-27", "Orders-29"]);
    // The per-broker summary and totals cover the whole cluster, whatever the filter.
    expect(page.totals.partitions).toBe(30);
    expect(page.brokers.map((b) => [b.broker, b.leaders])).toEqual([
      [1, 15],
      [2, 15],
    ]);
    expect(leadershipSummary(snap, [], query({ q: "nothing" })).topics).toMatchObject({ total: 0, rows: [] });
  });

  it("sorts by problems: offline partitions, then under-replicated ones, then replicas out of sync", async () => {
    const s = leadershipSummary(await snapshot(), brokers, query({ sort: "problems" }));
    expect(s.topics.rows.map((r) => r.topic)).toEqual(["payments", "orders", "audit"]);
  });

  it("answers each query of one snapshot alike, whatever was asked of it before (the tallies are kept per snapshot)", async () => {
    const snap = await snapshot();
    const fresh = (q: Record<string, string>) => leadershipSummary(structuredClone(snap), brokers, query(q));
    const asks: Record<string, string>[] = [
      {},
      { sort: "problems" },
      { internal: "true" },
      { q: "ORD", sort: "problems" },
      { offset: "1" },
      {},
    ];
    for (const q of asks) expect(leadershipSummary(snap, brokers, query(q))).toEqual(fresh(q));
  });

  it("sends every partition up to the threshold, and none above it", async () => {
    const snap = await snapshot();
    const small = leadershipSummary(snap, brokers, query(), 5);
    expect(small.mode).toBe("partitions");
    expect(small.maxPartitions).toBe(5);
    expect(small.partitionRows?.map((p) => `${p.topic}-${p.partition}`)).toEqual([
      "audit-0",
      "orders-0",
      "orders-1",
      "orders-2",
      "payments-0",
    ]);
    expect(small.partitionRows?.[3]).toMatchObject({ leader: 3, preferredLeader: 1, offlineReplicas: [1] });
    const large = leadershipSummary(snap, brokers, query(), 4);
    expect(large.mode).toBe("heat-map");
    expect(large.partitionRows).toBeNull();
  });

  it("says when the snapshot's metadata is partial", async () => {
    const snap = await snapshot();
    expect(leadershipSummary(snap, brokers, query()).partial).toBe(false);
    snap.partial.metadata = true;
    expect(leadershipSummary(snap, brokers, query()).partial).toBe(true);
  });
});

describe("readLeadership", () => {
  it("reads the shared snapshot with the supervisor's broker statuses, down brokers included", async () => {
    const gateway = new FakeGateway({
      brokers: [1, 2],
      controller: 101,
      topics: [topic("t", [partition(0, 1, [1, 2]), partition(1, 2, [2, 1])])],
    });
    const ctx = fakeContext(gateway, new FakeSupervisor([{ id: 1 }, { id: 2 }, { id: 3, status: "down" }]));
    const s = await readLeadership(ctx.read, query(), 200);
    expect(s.brokers.map((b) => [b.broker, b.status, b.leaders])).toEqual([
      [1, "up", 1],
      [2, "up", 1],
      [3, "down", 0],
    ]);
  });
});

describe("readPartitions", () => {
  const gateway = () =>
    new FakeGateway({
      brokers: [1],
      controller: 1,
      topics: [
        topic("a", [partition(0, 1, [1]), partition(1, 1, [1]), partition(2, 1, [1])]),
        topic("__consumer_offsets", [partition(0, 1, [1])], true),
        topic("b", [partition(0, 1, [1]), partition(1, 1, [1])]),
      ],
    });
  const ids = (rows: { topic: string; partition: number }[]) => rows.map((r) => `${r.topic}-${r.partition}`);

  it("answers every non-internal partition by default, as before", async () => {
    const { rows, total } = await readPartitions(fakeContext(gateway()).read, { internal: false, offset: 0 });
    expect(ids(rows)).toEqual(["a-0", "a-1", "a-2", "b-0", "b-1"]);
    expect(total).toBe(5);
    expect(rows[0]).toMatchObject({ leader: 1, replicas: [1], preferredLeader: 1 });
  });

  it("pages across topics and filters by topic", async () => {
    const read = fakeContext(gateway()).read;
    const page = await readPartitions(read, { internal: false, offset: 2, limit: 2 });
    expect(ids(page.rows)).toEqual(["a-2", "b-0"]);
    expect(page.total).toBe(5);
    const withInternal = await readPartitions(read, { internal: true, offset: 3, limit: 10 });
    expect(ids(withInternal.rows)).toEqual(["__consumer_offsets-0", "b-0", "b-1"]);
    const one = await readPartitions(read, { internal: false, topic: "b", offset: 1 });
    expect(ids(one.rows)).toEqual(["b-1"]);
    expect(one.total).toBe(2);
    const past = await readPartitions(read, { internal: false, offset: 9, limit: 2 });
    expect(past).toEqual({ rows: [], total: 5 });
  });

  it("answers 404 for a topic the cluster does not have", async () => {
    await expect(
      readPartitions(fakeContext(gateway()).read, { internal: false, topic: "nope", offset: 0 }),
    ).rejects.toMatchObject({ code: "topic_not_found" });
  });
});
