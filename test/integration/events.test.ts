import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as startRoute from "@/app/api/clusters/[cluster]/brokers/[broker]/start/route";
import * as stopRoute from "@/app/api/clusters/[cluster]/brokers/[broker]/stop/route";
import * as eventsRoute from "@/app/api/clusters/[cluster]/events/route";
import * as topicsRoute from "@/app/api/clusters/[cluster]/topics/route";
import type { ClusterEvent } from "@/lib/types";
import type { ClusterService } from "@/server/cluster-service";
import { ClusterMonitor, DEFAULT_MONITOR_OPTIONS } from "@/server/monitor/monitor";
import { eventually, partitionOf, startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { kafkaFinalizedFeatures, kafkaTopicsDescribe } from "../helpers/kafka-topics";
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

/** An event without its id, time and cluster: what changed. */
const what = ({ id: _id, ts: _ts, cluster: _cluster, ...data }: ClusterEvent) => data;

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

  describe("newer views: topic ids, leader epochs, eligible leader replicas", () => {
    /** A monitor of its own, never started: each step() is one look, so what happens between two is exact. */
    const driven = (epoch: string) => new ClusterMonitor(service.read, { ...DEFAULT_MONITOR_OPTIONS, epoch });
    const brokerAddress = (id: number) => {
      const n = tc.cluster.nodeStates().find((x) => x.role === "broker" && x.id === id);
      if (!n) throw new Error(`no broker ${id}`);
      return `${n.host}:${n.port}`;
    };
    const pidOf = (id: number) => {
      const pid = tc.cluster.nodeStates().find((x) => x.role === "broker" && x.id === id)?.pid;
      if (!pid) throw new Error(`broker ${id} has no process`);
      return pid;
    };
    const allUp = () =>
      tc.cluster.waitUntil(() => tc.cluster.nodeStates().every((n) => n.status === "up"), 90_000, "every node up");

    it("sees a topic deleted and re-created under the same name between two looks as topic-deleted, then topic-created", async () => {
      await allUp();
      const name = uniqueName("again");
      const first = await service.createTopic({ name, partitions: 3, replicationFactor: 2, configs: {} });
      const monitor = driven("again");
      await monitor.step(); // the first incarnation is in this look
      await service.deleteTopic(name);
      const second = await service.createTopic({ name, partitions: 3, replicationFactor: 2, configs: {} });
      expect(first.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(second.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(second.topicId).not.toBe(first.topicId);

      const events = (await monitor.step()).filter((e) => "topic" in e && e.topic === name).map(what);
      // Same name, same partition count: without ids this was no event at all, or leader noise.
      expect(events).toEqual([
        { type: "topic-deleted", topic: name, partitions: 3 },
        { type: "topic-created", topic: name, partitions: 3 },
      ]);
      // Kafka's own tool prints the same id for the new incarnation.
      const cli = await kafkaTopicsDescribe(brokerAddress(1), name);
      expect(cli.topic.TopicId).toBe(second.topicId);
    });

    it("sees a leader that lost and regained leadership between two looks as leader-changed from it to itself, its epoch up", async () => {
      await allUp();
      const name = uniqueName("bounce");
      const created = await service.createTopic({ name, partitions: 1, replicationFactor: 1, configs: {} });
      const leader = created.partitions[0]?.leader ?? -1;
      const epochBefore = created.partitions[0]?.leaderEpoch ?? -1;
      expect(leader).toBeGreaterThan(0);
      expect(epochBefore).toBeGreaterThanOrEqual(0);
      const other = brokerAddress(leader === 1 ? 2 : 1);
      const monitor = driven("bounce");
      await monitor.step();

      // The leader's JVM freezes: it stops heartbeating, the controller fences it after
      // broker.session.timeout.ms and the partition (its only replica) has no leader; once it runs
      // again it is unfenced and elected again — the same broker, two elections later.
      const pid = pidOf(leader);
      process.kill(pid, "SIGSTOP");
      try {
        await eventually(
          `${name}-0 without a leader while broker ${leader} is frozen`,
          async () => ((await partitionOf([other], name, 0)).leader === -1 ? true : undefined),
          30_000,
        );
      } finally {
        process.kill(pid, "SIGCONT");
      }
      const back = await eventually(
        `broker ${leader} leading ${name}-0 again`,
        async () => {
          const p = await partitionOf([other], name, 0);
          return p.leader === leader ? p : undefined;
        },
        60_000,
      );
      expect(back.leaderEpoch).toBeGreaterThan(epochBefore);
      // The monitor may ask any broker, and one just resumed may not have replayed the metadata
      // log yet: look once every broker's answer shows the new election.
      await eventually(
        `every broker reporting ${name}-0 at epoch ${back.leaderEpoch}`,
        async () => {
          for (const id of [1, 2, 3]) {
            const p = await partitionOf([brokerAddress(id)], name, 0);
            if (p.leader !== leader || p.leaderEpoch !== back.leaderEpoch) return undefined;
          }
          return true;
        },
        30_000,
      );

      const events = (await monitor.step()).filter((e) => "topic" in e && e.topic === name).map(what);
      expect(events).toEqual([
        {
          type: "leader-changed",
          topic: name,
          partition: 0,
          from: leader,
          to: leader,
          epoch: { from: epochBefore, to: back.leaderEpoch },
        },
      ]);
    });

    it("shows each partition's ELR and LastKnownElr as kafka-topics --describe does, with two of three replicas fenced", async () => {
      await allUp();
      // The lab formats its storage with Kafka 4.4's defaults, which enable ELR (KIP-966).
      expect((await kafkaFinalizedFeatures(brokerAddress(1)))["eligible.leader.replicas.version"]).toBe(1);
      const name = uniqueName("elr");
      await service.createTopic({
        name,
        partitions: 3,
        replicationFactor: 3,
        configs: { "min.insync.replicas": "2" },
      });
      const healthy = await service.topic(name);
      expect(healthy.partitions.map((p) => p.elr)).toEqual([[], [], []]);

      // Brokers 2 and 3 freeze: fenced, they leave every ISR; the ISR falls below min.insync.replicas
      // and, with ELR, the replicas that leave it then stay eligible.
      const frozen = [2, 3];
      for (const id of frozen) process.kill(pidOf(id), "SIGSTOP");
      try {
        const one = brokerAddress(1);
        await eventually(
          `every partition of ${name} down to ISR [1]`,
          async () => {
            for (const p of [0, 1, 2]) if ((await partitionOf([one], name, p)).isr.join(",") !== "1") return undefined;
            return true;
          },
          60_000,
        );
        const quorum = await eventually(`${name} as Quorum reads it, ELR included`, async () => {
          const snap = await service.snapshot(0);
          const t = snap?.topics.find((x) => x.name === name);
          return t?.partitions.every((p) => p.elr !== null && p.isr.join(",") === "1") ? t : undefined;
        });
        const cli = await kafkaTopicsDescribe(one, name);
        console.log(`kafka-topics --describe with brokers 2 and 3 frozen:\n${cli.raw}`);
        const list = (xs: number[] | null) => (xs ?? []).join(",");
        const ours = quorum.partitions.map((p) => ({
          Partition: String(p.partition),
          Leader: String(p.leader),
          Isr: list(p.isr),
          Elr: list(p.elr),
          LastKnownElr: list(p.lastKnownElr),
        }));
        const theirs = cli.partitions.map((p) => ({
          Partition: p.Partition,
          Leader: p.Leader,
          Isr: p.Isr,
          Elr: p.Elr,
          LastKnownElr: p.LastKnownElr,
        }));
        expect(ours).toEqual(theirs);
        // Not a comparison of empty lists: some replica is eligible out of the ISR.
        expect(quorum.partitions.some((p) => (p.elr ?? []).length > 0)).toBe(true);
        // The topic API answer carries them too.
        expect((await service.topic(name)).partitions.map((p) => list(p.elr))).toEqual(theirs.map((p) => p.Elr));
      } finally {
        for (const id of frozen) process.kill(pidOf(id), "SIGCONT");
      }
      await eventually(
        `every partition of ${name} whole again`,
        async () => {
          const t = (await service.snapshot(0))?.topics.find((x) => x.name === name);
          return t?.partitions.every((p) => p.isr.length === 3) ? true : undefined;
        },
        90_000,
      );
    });
  });
});
