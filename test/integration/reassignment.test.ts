import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { type Admin, Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as impactRoute from "@/app/api/clusters/[cluster]/brokers/[broker]/impact/route";
import * as brokerRoute from "@/app/api/clusters/[cluster]/brokers/[broker]/route";
import * as stopRoute from "@/app/api/clusters/[cluster]/brokers/[broker]/stop/route";
import * as brokersRoute from "@/app/api/clusters/[cluster]/brokers/route";
import * as runRoute from "@/app/api/clusters/[cluster]/reassignments/[run]/route";
import * as planRoute from "@/app/api/clusters/[cluster]/reassignments/plan/route";
import * as runsRoute from "@/app/api/clusters/[cluster]/reassignments/route";
import type { ClusterEvent, ReassignmentPlanView, ReassignmentRun, ReassignmentsView } from "@/lib/types";
import type { ClusterService } from "@/server/cluster-service";
import { eventually, startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { kafkaTool, kafkaTopicConfigs } from "../helpers/kafka-configs";
import { kafkaTopicsDescribe } from "../helpers/kafka-topics";
import { kcatMetadata } from "../helpers/kcat";
import { call, type Handler, serveThroughRoutes } from "../helpers/routes";

// Partition reassignment on a real three-broker cluster, through the routes, checked by Kafka's own
// tools (kafka-topics, kafka-configs) and by kcat reading every message back.

const local = { cluster: "local" };
const MESSAGES = 3000;
const VALUE = "x".repeat(1000);

/** GET a route, with a query, as Next.js would call it. */
const get = (handler: Handler, params: Record<string, string>, query = "") =>
  call(handler, params, { method: "GET", query });

/** Every message of `topic`, read by kcat from the current leaders. */
function countMessages(bootstrap: string[], topic: string): number {
  const out = execFileSync("kcat", ["-b", bootstrap.join(","), "-C", "-t", topic, "-o", "beginning", "-e", "-q"], {
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 64 << 20,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return out.split("\n").filter((l) => l.length > 0).length;
}

/** `kafka-configs --describe` of one broker's dynamic configs. */
const brokerConfigs = (bootstrap: string[], id: number) =>
  kafkaTool("org.apache.kafka.tools.ConfigCommand", [
    "--bootstrap-server",
    bootstrap.join(","),
    "--entity-type",
    "brokers",
    "--entity-name",
    String(id),
    "--describe",
  ]);

describe("partition reassignment", () => {
  let tc: TestCluster;
  let service: ClusterService;
  let admin: Admin;
  const events: ClusterEvent[] = [];
  const topic = uniqueName("moves");

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 3 });
    service = serveThroughRoutes(tc.cluster);
    service.monitor.subscribe((e) => events.push(e));
    const kafka = new Kafka({ clientId: "reassign-test", brokers: tc.bootstrap, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          replicaAssignment: [
            { partition: 0, replicas: [1, 2] },
            { partition: 1, replicas: [2, 1] },
            { partition: 2, replicas: [1, 2] },
          ],
        },
      ],
    });
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < MESSAGES; i += 500)
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 500 }, (_, j) => ({ key: `k${i + j}`, value: VALUE })),
      });
    await producer.disconnect();
  }, 180_000);

  afterAll(async () => {
    await admin?.disconnect();
    await tc?.stop();
  }, 120_000);

  it("plans a topic onto other brokers, moves it throttled, and ends with the throttle gone and every message there", async () => {
    const planned = await get(planRoute.GET as Handler, local, `?goal=topic&topic=${topic}&brokers=2,3`);
    expect(planned.status).toBe(200);
    const plan = planned.body as ReassignmentPlanView;
    expect(plan.moves.map((m) => [...m.after].sort())).toEqual([
      [2, 3],
      [2, 3],
      [2, 3],
    ]);
    expect(plan.moves.every((m) => m.adding.join() === "3" && m.removing.join() === "1")).toBe(true);
    // About a third of the 3 MB per partition, as DescribeLogDirs counts it (record overhead included).
    expect(plan.bytes).toBeGreaterThan(MESSAGES * 1000);
    expect(plan.sizesMissing).toEqual([]);
    expect(plan.tool.execute).toContain("kafka-reassign-partitions.sh --bootstrap-server");
    expect(JSON.parse(plan.tool.json).partitions).toHaveLength(3);

    const started = await call(runsRoute.POST as Handler, local, {
      body: {
        partitions: plan.moves.map((m) => ({ topic: m.topic, partition: m.partition, replicas: m.after })),
        throttleBytesPerSec: 150_000,
      },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const run = started.body as ReassignmentRun;
    expect(run).toMatchObject({ status: "running", throttle: 150_000, throttled: true, total: 3 });
    const listed = (await get(runsRoute.GET as Handler, local)).body as ReassignmentsView;
    expect(listed.runs[0]?.id).toBe(run.id);

    const done = await eventually(
      "the run's end",
      async () => {
        const r = (await get(runRoute.GET as Handler, { ...local, run: run.id })).body as ReassignmentRun;
        return r.status === "running" ? undefined : r;
      },
      120_000,
    );
    expect(done.status).toBe("done");
    expect(done.settled).toBe(3);
    expect(done.copied).toBe(done.bytes);
    expect(done.throttled).toBe(false);
    console.log(
      `moved ${done.bytes} bytes, throttled at 150,000 B/s, in ${((done.finishedAt as number) - done.startedAt) / 1000} s`,
    );
    if (listed.ongoing.length) expect(listed.ongoing.every((o) => o.run === run.id)).toBe(true);

    const described = await kafkaTopicsDescribe(tc.bootstrap.join(","), topic);
    for (const p of described.partitions) {
      expect(p.Replicas?.split(",").map(Number).sort()).toEqual([2, 3]);
      expect(p.Isr?.split(",").map(Number).sort()).toEqual([2, 3]);
    }
    const after = (await kafkaTopicConfigs(tc.bootstrap, [topic]))[topic] ?? {};
    expect(after["leader.replication.throttled.replicas"] ?? "").toBe("");
    expect(after["follower.replication.throttled.replicas"] ?? "").toBe("");
    for (const id of [1, 2, 3]) expect(await brokerConfigs(tc.bootstrap, id)).not.toContain("throttled.rate");
    expect(countMessages(tc.bootstrap, topic)).toBe(MESSAGES);
    const types = events.filter((e) => e.type.startsWith("reassignment-") || e.type === "replicas-changed");
    expect(types.map((e) => e.type)).toContain("reassignment-started");
    expect(types.filter((e) => e.type === "replicas-changed").length).toBeGreaterThanOrEqual(3);
    expect(types.at(-1)).toMatchObject({ type: "reassignment-finished", run: run.id, status: "done", settled: 3 });
  }, 240_000);

  it("throttles a slow move as kafka-reassign-partitions does, and cancels it: Kafka puts the partition back and the throttle goes", async () => {
    // One partition of 6 MB, throttled at 1 KiB/s: past Kafka's first fetches (1 MB a partition) it crawls.
    const slow = uniqueName("slow");
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: slow, replicaAssignment: [{ partition: 0, replicas: [1] }] }],
    });
    const kafka = new Kafka({ clientId: "reassign-test-slow", brokers: tc.bootstrap, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 6000; i += 500)
      await producer.send({ topic: slow, acks: -1, messages: Array.from({ length: 500 }, () => ({ value: VALUE })) });
    await producer.disconnect();
    const moves = [{ topic: slow, partition: 0, replicas: [2] }];
    const started = await call(runsRoute.POST as Handler, local, {
      body: { partitions: moves, throttleBytesPerSec: 1024 },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const run = started.body as ReassignmentRun;
    // The same partition again while it moves: refused, naming it.
    const again = await call(runsRoute.POST as Handler, local, { body: { partitions: moves } });
    expect(again.status).toBe(409);
    expect((again.body as { error: { message: string } }).error.message).toContain(`Already moving: ${slow}-0`);
    // While it moves, the throttle is where kafka-reassign-partitions puts it, read by kafka-configs.
    const during = (await kafkaTopicConfigs(tc.bootstrap, [slow]))[slow] ?? {};
    expect(during["leader.replication.throttled.replicas"]).toBe("0:1");
    expect(during["follower.replication.throttled.replicas"]).toBe("0:2");
    for (const id of [1, 2])
      expect(await brokerConfigs(tc.bootstrap, id)).toContain("follower.replication.throttled.rate=1024");
    const moving = (await get(runRoute.GET as Handler, { ...local, run: run.id })).body as ReassignmentRun;
    expect(moving.status).toBe("running");
    const cancelled = await call(runRoute.DELETE as Handler, { ...local, run: run.id }, { method: "DELETE" });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const ended = await eventually(
      "the cancel's end",
      async () => {
        const r = (await get(runRoute.GET as Handler, { ...local, run: run.id })).body as ReassignmentRun;
        return r.status === "cancelled" || r.status === "done" || r.status === "failed" ? r : undefined;
      },
      60_000,
    );
    expect(ended.status).toBe("cancelled");
    expect(ended.partitions.map((p) => `${p.partition} ${p.state} ${p.error ?? ""}`.trim())).toEqual(["0 cancelled"]);
    expect(ended.error).toBeNull();
    expect(ended.throttled).toBe(false);
    const described = await kafkaTopicsDescribe(tc.bootstrap.join(","), slow);
    expect(described.partitions.map((p) => p.Replicas)).toEqual(["1"]);
    const left = (await kafkaTopicConfigs(tc.bootstrap, [slow]))[slow] ?? {};
    expect(left["leader.replication.throttled.replicas"] ?? "").toBe("");
    for (const id of [1, 2, 3]) expect(await brokerConfigs(tc.bootstrap, id)).not.toContain("throttled.rate");
    expect(countMessages(tc.bootstrap, slow)).toBe(6000);
    // A second cancel has nothing to cancel.
    const twice = await call(runRoute.DELETE as Handler, { ...local, run: run.id }, { method: "DELETE" });
    expect(twice.status).toBe(409);
  }, 180_000);

  it("refuses what cannot be moved, in words, changing nothing", async () => {
    const shape = () =>
      kcatMetadata(tc.bootstrap)
        .partitions.map((p) => `${p.topic}-${p.partition}:${p.replicas}`)
        .sort();
    const before = shape();
    const post = (body: unknown) => call(runsRoute.POST as Handler, local, { body });
    const down = await post({ partitions: [{ topic, partition: 0, replicas: [2, 9] }] });
    expect(down.status).toBe(400);
    expect((down.body as { error: { message: string } }).error.message).toBe(
      `${topic}-0: broker 9 is not up (up: 1, 2, 3)`,
    );
    const same = await post({ partitions: [{ topic, partition: 0, replicas: [2, 3] }] });
    expect([400, 202]).toContain(same.status);
    const missing = await post({ partitions: [{ topic, partition: 7, replicas: [1] }] });
    expect(missing.status).toBe(400);
    const twice = await post({
      partitions: [
        { topic, partition: 0, replicas: [1, 2] },
        { topic, partition: 0, replicas: [1, 3] },
      ],
    });
    expect(twice.status).toBe(400);
    const noTopic = await post({ partitions: [{ topic: "no-such-topic", partition: 0, replicas: [1] }] });
    expect(noTopic.status).toBe(404);
    const badRf = await get(
      planRoute.GET as Handler,
      local,
      `?goal=replication-factor&topic=${topic}&replicationFactor=4`,
    );
    expect(badRf.status).toBe(400);
    const badGoal = await get(planRoute.GET as Handler, local, "?goal=shuffle");
    expect(badGoal.status).toBe(400);
    const noRun = await get(runRoute.GET as Handler, { ...local, run: "nope" });
    expect(noRun.status).toBe(404);
    if (same.status === 202) {
      // The order differed (the preferred leader): let it settle before comparing.
      await eventually("the reorder", async () =>
        ((await get(runsRoute.GET as Handler, local)).body as ReassignmentsView).ongoing.length === 0
          ? true
          : undefined,
      );
    } else expect(shape()).toEqual(before);
  }, 120_000);

  /** Starts the plan's moves and waits for the run's end. */
  async function apply(plan: ReassignmentPlanView, throttleBytesPerSec?: number): Promise<ReassignmentRun> {
    const started = await call(runsRoute.POST as Handler, local, {
      body: {
        partitions: plan.moves.map((m) => ({ topic: m.topic, partition: m.partition, replicas: m.after })),
        ...(throttleBytesPerSec ? { throttleBytesPerSec } : {}),
      },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const id = (started.body as ReassignmentRun).id;
    return eventually(
      `run ${id}`,
      async () => {
        const r = (await get(runRoute.GET as Handler, { ...local, run: id })).body as ReassignmentRun;
        return r.status === "running" ? undefined : r;
      },
      120_000,
    );
  }

  const planFor = async (query: string) => {
    const res = await get(planRoute.GET as Handler, local, query);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as ReassignmentPlanView;
  };

  it("adds broker 4 to the running lab and moves a topic from brokers {1,2,3} onto {2,3,4}, throttled: in sync, every message there, the throttle gone", async () => {
    const grow = uniqueName("grow");
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: grow,
          replicaAssignment: [
            { partition: 0, replicas: [1, 2, 3] },
            { partition: 1, replicas: [2, 3, 1] },
            { partition: 2, replicas: [3, 1, 2] },
          ],
        },
      ],
    });
    const kafka = new Kafka({ clientId: "reassign-test-grow", brokers: tc.bootstrap, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 1500; i += 500)
      await producer.send({ topic: grow, acks: -1, messages: Array.from({ length: 500 }, () => ({ value: VALUE })) });
    await producer.disconnect();

    const began = Date.now();
    const added = await call(brokersRoute.POST as Handler, local, { body: {} });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toEqual({ broker: 4, status: "up" });
    console.log(`broker 4 added and answering in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    await eventually("broker 4 in the metadata", () =>
      kcatMetadata(tc.bootstrap).brokers.includes(4) ? true : undefined,
    );

    const plan = await planFor(`?goal=topic&topic=${grow}&brokers=2,3,4`);
    expect(plan.moves.map((m) => [m.adding, m.removing])).toEqual([
      [[4], [1]],
      [[4], [1]],
      [[4], [1]],
    ]);
    const done = await apply(plan, 1024 * 1024);
    expect(done).toMatchObject({ status: "done", settled: 3, throttled: false });
    console.log(`{1,2,3} → {2,3,4}: ${done.bytes} bytes in ${((done.finishedAt as number) - done.startedAt) / 1000} s`);
    const described = await kafkaTopicsDescribe(tc.bootstrap.join(","), grow);
    expect(described.partitions).toHaveLength(3);
    for (const p of described.partitions) {
      expect(p.Replicas?.split(",").map(Number).sort()).toEqual([2, 3, 4]);
      expect(p.Isr?.split(",").map(Number).sort()).toEqual([2, 3, 4]);
    }
    expect(countMessages(tc.bootstrap, grow)).toBe(1500);
    const left = (await kafkaTopicConfigs(tc.bootstrap, [grow]))[grow] ?? {};
    expect(left["leader.replication.throttled.replicas"] ?? "").toBe("");
    expect(left["follower.replication.throttled.replicas"] ?? "").toBe("");
    for (const id of [1, 2, 3, 4]) expect(await brokerConfigs(tc.bootstrap, id)).not.toContain("throttled.rate");
  }, 300_000);

  it("changes a replication factor as a reassignment, drains broker 2 so that stopping it takes nothing offline, and removes it", async () => {
    // Four brokers, replication factor 4: broker 2 cannot be drained, and the plan says why.
    expect((await apply(await planFor(`?goal=replication-factor&topic=${topic}&replicationFactor=4`))).status).toBe(
      "done",
    );
    const described = await kafkaTopicsDescribe(tc.bootstrap.join(","), topic);
    expect(described.partitions.every((p) => p.Isr?.split(",").length === 4)).toBe(true);
    const refused = await get(planRoute.GET as Handler, local, "?goal=drain&broker=2");
    expect(refused.status).toBe(400);
    expect((refused.body as { error: { message: string } }).error.message).toContain(
      `broker 2 cannot be drained: ${topic} (replication factor 4) needs more than the 3 other brokers up`,
    );
    expect((await apply(await planFor(`?goal=replication-factor&topic=${topic}&replicationFactor=3`))).status).toBe(
      "done",
    );
    const drain = await planFor("?goal=drain&broker=2");
    expect(drain.brokers.find((b) => b.broker === 2)?.replicas.after).toBe(0);
    expect((await apply(drain)).status).toBe("done");
    expect(kcatMetadata(tc.bootstrap).partitions.filter((p) => p.replicas.includes(2))).toEqual([]);
    // Nothing goes offline with it: the stop needs no confirmation.
    const impact = await get(impactRoute.GET as Handler, { ...local, broker: "2" });
    expect(impact.status).toBe(200);
    expect(impact.body).toMatchObject({ goesOffline: [], leaderships: 0 });
    const stop = await call(stopRoute.POST as Handler, { ...local, broker: "2" }, { body: { mode: "graceful" } });
    expect(stop.status, JSON.stringify(stop.body)).toBe(200);
    expect(stop.body).toMatchObject({ broker: 2, status: "down" });
    expect(countMessages(tc.bootstrap, topic)).toBe(MESSAGES);

    const removed = await call(brokerRoute.DELETE as Handler, { ...local, broker: "2" }, { method: "DELETE" });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(
      tc.cluster
        .nodeStates()
        .filter((n) => n.role === "broker")
        .map((n) => n.id),
    ).toEqual([1, 3, 4]);
    expect(fs.existsSync(path.join(tc.dataDir, "broker-2"))).toBe(false);
    // A broker holding replicas is refused, naming them.
    const busy = await call(brokerRoute.DELETE as Handler, { ...local, broker: "3" }, { method: "DELETE" });
    expect(busy.status).toBe(409);
    expect((busy.body as { error: { message: string } }).error.message).toContain("Broker 3 still holds");
  }, 360_000);

  it("keeps the grown and shrunk lab in its data directory: a restart brings brokers 1, 3 and 4 back with every message", async () => {
    await tc.cluster.stop();
    const again = await startTestCluster({ dataDir: tc.dataDir, brokers: 3 });
    try {
      expect(
        again.cluster
          .nodeStates()
          .filter((n) => n.role === "broker")
          .map((n) => n.id),
      ).toEqual([1, 3, 4]);
      await eventually("brokers 1, 3 and 4 in the metadata", () =>
        kcatMetadata(again.bootstrap).brokers.join() === "1,3,4" ? true : undefined,
      );
      expect(countMessages(again.bootstrap, topic)).toBe(MESSAGES);
    } finally {
      await again.stop();
    }
  }, 240_000);
});
