import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as startRoute from "@/app/api/clusters/[cluster]/brokers/[broker]/start/route";
import * as stopRoute from "@/app/api/clusters/[cluster]/brokers/[broker]/stop/route";
import * as eventsRoute from "@/app/api/clusters/[cluster]/events/route";
import * as topicsRoute from "@/app/api/clusters/[cluster]/topics/route";
import type { ClusterEvent } from "@/lib/types";
import type { ClusterService } from "@/server/cluster-service";
import { startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { call, serveThroughRoutes } from "../helpers/routes";
import { eventSeq, readSse } from "../helpers/sse";

const local = { cluster: "local" };

/** Opens the event stream as a browser would, optionally resuming after an id. */
async function connect(lastEventId?: string) {
  const abort = new AbortController();
  const headers: Record<string, string> = lastEventId === undefined ? {} : { "last-event-id": lastEventId };
  const res = await eventsRoute.GET(
    new Request("http://127.0.0.1/api/clusters/local/events", { headers, signal: abort.signal }),
    {
      params: Promise.resolve(local),
    },
  );
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const sse = readSse(res);
  return {
    sse,
    async close() {
      abort.abort();
      await sse.close();
    },
  };
}

const isEvent =
  (type: string, pred: (e: ClusterEvent) => boolean = () => true) =>
  (m: { event: string; data: unknown }) =>
    m.event === type && pred(m.data as ClusterEvent);

describe("cluster events over SSE", () => {
  let tc: TestCluster;
  let service: ClusterService;
  const topic = uniqueName("watched");

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 3 });
    service = serveThroughRoutes(tc.cluster);
    service.monitor.start();
  });

  afterAll(async () => {
    service?.monitor.stop();
    await tc?.stop();
  });

  it("streams topic-created, then broker-down and a leader-changed for every partition the stopped broker led", async () => {
    const client = await connect();
    try {
      await client.sse.next((m) => m.event === "hello");
      await call(topicsRoute.POST, local, { body: { name: topic, partitions: 6, replicationFactor: 3 } });
      const created = await client.sse.next(isEvent("topic-created", (e) => "topic" in e && e.topic === topic));
      expect(created.id).toMatch(/^[0-9a-z]+-\d+$/);
      expect(created.id).toBe((created.data as ClusterEvent).id);
      expect((created.data as ClusterEvent).ts).toBeGreaterThan(Date.now() - 60_000);

      const detail = await service.topic(topic);
      const victim = detail.partitions[0]?.leader ?? 1;
      const led = detail.partitions.filter((p) => p.leader === victim).map((p) => p.partition);
      expect(led.length).toBeGreaterThan(0);

      const stop = await call(stopRoute.POST, { ...local, broker: String(victim) }, { body: { mode: "graceful" } });
      expect(stop.status).toBe(200);
      await client.sse.next(isEvent("broker-down", (e) => "broker" in e && e.broker === victim));
      for (const partition of led) {
        const m = await client.sse.next(
          isEvent(
            "leader-changed",
            (e) => e.type === "leader-changed" && e.topic === topic && e.partition === partition,
          ),
        );
        const e = m.data as Extract<ClusterEvent, { type: "leader-changed" }>;
        expect(e.from).toBe(victim);
        expect(e.to).not.toBe(victim);
      }
      await client.sse.next(
        isEvent("isr-shrunk", (e) => e.type === "isr-shrunk" && e.topic === topic && !e.to.includes(victim)),
      );
      const ids = client.sse.seen.filter((m) => m.id !== null).map((m) => eventSeq(m.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      await client.close();
    }
  });

  it("resumes after Last-Event-ID with the events missed while away", async () => {
    const first = await connect();
    await first.sse.next((m) => m.event === "hello");
    const lastSeen = service.monitor.lastEventId;
    await first.close();

    const down = tc.cluster.nodeStates().find((n) => n.role === "broker" && n.status === "down");
    expect(down).toBeDefined();
    await call(startRoute.POST, { ...local, broker: String(down?.id) });
    await tc.cluster.waitUntil(() => tc.cluster.nodeStates().every((n) => n.status === "up"), 90_000, "broker up");
    await new Promise((r) => setTimeout(r, 1500));

    const again = await connect(lastSeen);
    try {
      const up = await again.sse.next(
        isEvent("broker-up", (e) => "broker" in e && e.broker === down?.id),
        5000,
      );
      expect(eventSeq(up.id)).toBeGreaterThan(eventSeq(lastSeen));
      const replayed = again.sse.seen.filter((m) => m.id !== null).map((m) => eventSeq(m.id));
      expect(replayed[0]).toBe(eventSeq(lastSeen) + 1);
    } finally {
      await again.close();
    }
  });

  it("sends heartbeats", async () => {
    const client = await connect();
    try {
      const beat = await client.sse.next((m) => m.event === "heartbeat", 3000);
      expect((beat.data as { ts: number }).ts).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it("releases each closed stream's listener: no leak over a thousand connects", async () => {
    const before = service.monitor.status().subscribers;
    for (let i = 0; i < 1000; i++) {
      const abort = new AbortController();
      const res = await eventsRoute.GET(new Request("http://127.0.0.1/x", { signal: abort.signal }), {
        params: Promise.resolve(local),
      });
      const reader = res.body?.getReader();
      await reader?.read();
      abort.abort();
      await reader?.cancel().catch(() => {});
    }
    expect(service.monitor.status().subscribers).toBe(before);
  });
});
