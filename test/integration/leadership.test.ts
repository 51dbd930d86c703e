import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as stopRoute from "@/app/api/clusters/[cluster]/brokers/[broker]/stop/route";
import * as leadershipRoute from "@/app/api/clusters/[cluster]/leadership/route";
import * as partitionsRoute from "@/app/api/clusters/[cluster]/partitions/route";
import * as topicsRoute from "@/app/api/clusters/[cluster]/topics/route";
import type { LeadershipPartitionRow, LeadershipSummary } from "@/lib/types";
import { getQuorum } from "@/server/quorum";
import { eventually, startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { hasKcat, kcatMetadata } from "../helpers/kcat";
import { call, type Handler, serveThroughRoutes } from "../helpers/routes";

const local = { cluster: "local" };

async function get<T>(handler: Handler, query: string): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await handler(new Request(`http://127.0.0.1/api/x${query}`), {
    params: Promise.resolve(local) as Promise<never>,
  });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

// The leadership summary on a real cluster above a lowered threshold: the heat map's data, paged on
// the server, equal to what an independent client (kcat) reads, and a failover seen in it.
describe.skipIf(!hasKcat)("leadership summary", () => {
  let tc: TestCluster;
  const prefix = uniqueName("lead");
  const names = Array.from({ length: 6 }, (_, i) => `${prefix}-${String.fromCharCode(97 + i)}`);

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 3 });
    serveThroughRoutes(tc.cluster);
    getQuorum().config.leadershipMapMaxPartitions = 10;
    for (const name of names) {
      const res = await call(topicsRoute.POST, local, { body: { name, partitions: 4, replicationFactor: 2 } });
      expect(res.status).toBe(201);
    }
  });

  afterAll(async () => {
    await tc?.stop();
  });

  const ours = (s: LeadershipSummary) => s.topics.rows.filter((r) => r.topic.startsWith(prefix));

  it("above the threshold: a heat map's summary, no partition rows, leaders per broker as Kafka reports them", async () => {
    const { status, body } = await eventually("all 24 partitions with a leader", async () => {
      const res = await get<LeadershipSummary>(leadershipRoute.GET, "?limit=500");
      return res.body.totals.partitions >= 24 && res.body.totals.offline === 0 ? res : undefined;
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ mode: "heat-map", maxPartitions: 10, partitionRows: null, partial: false });
    const kcat = kcatMetadata(tc.bootstrap).partitions.filter((p) => !p.topic.startsWith("__"));
    expect(body.totals.partitions).toBe(kcat.length);
    for (const b of body.brokers) {
      expect(b.status).toBe("up");
      expect(b.leaders).toBe(kcat.filter((p) => p.leader === b.broker).length);
      expect(b.replicas).toBe(kcat.filter((p) => p.replicas.includes(b.broker)).length);
    }
    const rows = ours(body);
    expect(rows.map((r) => r.topic)).toEqual(names);
    for (const r of rows) {
      expect(r.partitions).toBe(4);
      expect(r.brokers.reduce((n, c) => n + c.leaders, 0)).toBe(4);
      expect(r.brokers.reduce((n, c) => n + c.replicas, 0)).toBe(8);
    }
  });

  it("pages and filters the topic rows on the server", async () => {
    const page = await get<LeadershipSummary>(leadershipRoute.GET, `?q=${prefix.toUpperCase()}&offset=2&limit=3`);
    expect(page.status).toBe(200);
    expect(page.body.topics).toMatchObject({ total: 6, offset: 2, limit: 3 });
    expect(page.body.topics.rows.map((r) => r.topic)).toEqual(names.slice(2, 5));
    const bad = await get<{ error: { code: string; field: string } }>(leadershipRoute.GET, "?limit=0");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "validation_failed", field: "limit" });
  });

  it("at or below the threshold: every partition, for the per-partition map", async () => {
    getQuorum().config.leadershipMapMaxPartitions = 200;
    try {
      const { body } = await get<LeadershipSummary>(leadershipRoute.GET, "");
      expect(body.mode).toBe("partitions");
      expect(body.partitionRows?.filter((p) => p.topic.startsWith(prefix))).toHaveLength(24);
    } finally {
      getQuorum().config.leadershipMapMaxPartitions = 10;
    }
  });

  it("GET /partitions pages one topic's partitions, the total in X-Total-Count", async () => {
    const topic = names[1] ?? "";
    const res = await get<LeadershipPartitionRow[]>(partitionsRoute.GET, `?topic=${topic}&offset=1&limit=2`);
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Total-Count")).toBe("4");
    expect(res.body.map((p) => `${p.topic}-${p.partition}`)).toEqual([`${topic}-1`, `${topic}-2`]);
    const all = await get<LeadershipPartitionRow[]>(partitionsRoute.GET, "");
    expect(all.body.filter((p) => p.topic.startsWith(prefix))).toHaveLength(24);
  });

  it("a graceful stop of the broker leading most: its column empties, the others take its leaders, its replicas go offline", async () => {
    const before = (await get<LeadershipSummary>(leadershipRoute.GET, "")).body;
    const victim = [...before.brokers].sort((a, b) => b.leaders - a.leaders)[0];
    if (!victim) throw new Error("no broker");
    expect(victim.leaders).toBeGreaterThan(0);
    const stop = await call(
      stopRoute.POST,
      { ...local, broker: String(victim.broker) },
      { body: { mode: "graceful" } },
    );
    expect(stop.status).toBe(200);
    const after = await eventually("leaders moved off the stopped broker", async () => {
      const s = (await get<LeadershipSummary>(leadershipRoute.GET, "?limit=500")).body;
      const v = s.brokers.find((b) => b.broker === victim.broker);
      const shrunk = ours(s).every(
        (r) => r.underReplicated === r.brokers.find((c) => c.broker === victim.broker)?.replicas,
      );
      return v && v.leaders === 0 && v.offline === v.replicas && shrunk ? s : undefined;
    });
    const v = after.brokers.find((b) => b.broker === victim.broker);
    expect(v?.status).toBe("down");
    expect(after.totals.offline).toBe(0);
    expect(after.brokers.reduce((n, b) => n + b.leaders, 0)).toBe(after.totals.partitions);
    for (const r of ours(after)) {
      const cell = r.brokers.find((c) => c.broker === victim.broker);
      expect(cell?.leaders).toBe(0);
      expect(r.underReplicated).toBe(cell?.replicas);
    }
    const kcat = kcatMetadata(tc.bootstrap).partitions.filter((p) => !p.topic.startsWith("__"));
    for (const b of after.brokers.filter((x) => x.broker !== victim.broker))
      expect(b.leaders).toBe(kcat.filter((p) => p.leader === b.broker).length);
  });
});
