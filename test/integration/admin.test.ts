import { ConfigResourceTypes, Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as impactRoute from "@/app/api/clusters/[cluster]/brokers/[broker]/impact/route";
import * as startRoute from "@/app/api/clusters/[cluster]/brokers/[broker]/start/route";
import * as stopRoute from "@/app/api/clusters/[cluster]/brokers/[broker]/stop/route";
import * as electRoute from "@/app/api/clusters/[cluster]/elect-leaders/route";
import * as configsRoute from "@/app/api/clusters/[cluster]/topics/[topic]/configs/route";
import * as partitionsRoute from "@/app/api/clusters/[cluster]/topics/[topic]/partitions/route";
import * as topicRoute from "@/app/api/clusters/[cluster]/topics/[topic]/route";
import * as topicsRoute from "@/app/api/clusters/[cluster]/topics/route";
import type { ElectionReport } from "@/lib/types";
import type { ClusterService } from "@/server/cluster-service";
import { eventually, startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { hasKcat, kcatMetadata } from "../helpers/kcat";
import { call, type Handler, serveThroughRoutes } from "../helpers/routes";

const local = { cluster: "local" };

// Every admin action through its route handler, checked by an independent client (kcat).
describe.skipIf(!hasKcat)("admin actions", () => {
  let tc: TestCluster;
  let service: ClusterService;
  const kcat = (topic: string) => kcatMetadata(tc.bootstrap).partitions.filter((p) => p.topic === topic);

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 3 });
    service = serveThroughRoutes(tc.cluster);
  });

  afterAll(async () => {
    await tc?.stop();
  });

  it("creates a topic with the asked partitions, replication factor and configs", async () => {
    const name = uniqueName("created");
    const res = await call(topicsRoute.POST, local, {
      body: {
        name,
        partitions: 3,
        replicationFactor: 3,
        configs: { "retention.ms": 3_600_000, "cleanup.policy": "delete" },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name, internal: false });
    const parts = kcat(name);
    expect(parts).toHaveLength(3);
    for (const p of parts) {
      expect(p.replicas).toHaveLength(3);
      expect(p.isr).toHaveLength(3);
    }
    const configs = (res.body as { configs: { name: string; value: string; isDefault: boolean }[] }).configs;
    expect(configs.find((c) => c.name === "retention.ms")).toMatchObject({ value: "3600000", isDefault: false });
  });

  it("makes one topic of a double-submitted create; the second gets 409", async () => {
    const name = uniqueName("double");
    const body = { name, partitions: 2, replicationFactor: 2 };
    const [a, b] = await Promise.all([
      call(topicsRoute.POST, local, { body }),
      call(topicsRoute.POST, local, { body }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(kcat(name)).toHaveLength(2);
  });

  it("adds partitions up to the new total", async () => {
    const name = uniqueName("grow");
    await call(topicsRoute.POST, local, { body: { name, partitions: 2, replicationFactor: 2 } });
    const res = await call(partitionsRoute.POST, { ...local, topic: name }, { body: { count: 5 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name, partitions: 5 });
    expect(kcat(name).map((p) => p.partition)).toEqual([0, 1, 2, 3, 4]);
  });

  it("changes a config and resets it to the default", async () => {
    const name = uniqueName("configs");
    await call(topicsRoute.POST, local, { body: { name, partitions: 1, replicationFactor: 3 } });
    const set = await call(
      configsRoute.PATCH,
      { ...local, topic: name },
      {
        method: "PATCH",
        body: { configs: { "min.insync.replicas": 2, "retention.bytes": "1048576" } },
      },
    );
    expect(set.status).toBe(200);
    const after = (await service.topicConfigs(name)).filter((c) => !c.isDefault).map((c) => [c.name, c.value]);
    expect(after).toEqual([
      ["min.insync.replicas", "2"],
      ["retention.bytes", "1048576"],
    ]);
    await call(
      configsRoute.PATCH,
      { ...local, topic: name },
      { method: "PATCH", body: { configs: { "retention.bytes": null } } },
    );
    const reset = (await service.topicConfigs(name)).find((c) => c.name === "retention.bytes");
    expect(reset).toMatchObject({ value: "-1", isDefault: true });
  });

  it("stops a broker (leaders move off it), starts it (back in every ISR), and elects preferred leaders", async () => {
    const name = uniqueName("elect");
    await call(topicsRoute.POST, local, { body: { name, partitions: 6, replicationFactor: 3 } });
    const victim = kcat(name)[0]?.leader ?? 1;

    const impact = await call(impactRoute.GET, { ...local, broker: String(victim) }, { method: "GET" });
    expect(impact.body).toMatchObject({ broker: victim, goesOffline: [], lastBrokerUp: false });
    expect((impact.body as { leaderships: number }).leaderships).toBeGreaterThan(0);

    const stop = await call(stopRoute.POST, { ...local, broker: String(victim) }, { body: { mode: "graceful" } });
    expect(stop.status).toBe(200);
    await eventually("leaders off the stopped broker", () => {
      const parts = kcat(name);
      return parts.every((p) => p.leader !== victim && !p.isr.includes(victim)) ? parts : undefined;
    });

    const start = await call(startRoute.POST, { ...local, broker: String(victim) });
    expect(start.status).toBe(202);
    const healed = await eventually(
      "broker back in every ISR",
      () => {
        const parts = kcat(name);
        return parts.every((p) => p.isr.includes(victim)) ? parts : undefined;
      },
      90_000,
    );
    // Leadership does not come back by itself (auto.leader.rebalance.enable=false).
    expect(healed.some((p) => p.replicas[0] === victim && p.leader !== victim)).toBe(true);

    // Over the whole cluster: Kafka is asked about every partition by name, so the report says what moved.
    const moved = healed.filter((p) => p.replicas[0] === victim && p.leader !== victim).map((p) => p.partition);
    const elect = await call(electRoute.POST, local, { body: {} });
    expect(elect.status).toBe(200);
    const report = elect.body as ElectionReport;
    expect(report.failed).toBe(0);
    expect(report.elected).toBeGreaterThanOrEqual(moved.length);
    const ofTopic = report.results.filter((r) => r.topic === name);
    expect(ofTopic).toHaveLength(6);
    expect(ofTopic.filter((r) => r.outcome === "elected").map((r) => r.partition)).toEqual(moved);
    expect(report.elected + report.already).toBe(report.results.length);
    const elected = await eventually("leaders on preferred replicas", () => {
      const parts = kcat(name);
      return parts.every((p) => p.leader === p.replicas[0]) ? parts : undefined;
    });
    expect(elected).toHaveLength(6);

    const again = await call(electRoute.POST, local, { body: { topic: name } });
    expect(again.body).toMatchObject({ elected: 0, already: 6, failed: 0 });
  });

  it("asks for confirmation before a stop that takes partitions offline", async () => {
    const name = uniqueName("single");
    await call(topicsRoute.POST, local, { body: { name, partitions: 1, replicationFactor: 1 } });
    const owner = kcat(name)[0]?.leader ?? 1;
    const refused = await call(stopRoute.POST, { ...local, broker: String(owner) }, { body: { mode: "kill" } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: "confirmation_required" } });
    expect((refused.body as { error: { message: string } }).error.message).toContain(`${name}-0`);
    expect(tc.cluster.nodeStates().find((n) => n.id === owner)?.status).toBe("up");

    const confirmed = await call(
      stopRoute.POST,
      { ...local, broker: String(owner) },
      { body: { mode: "kill", confirm: true } },
    );
    expect(confirmed.status).toBe(200);
    await eventually("the partition offline", async () => {
      service.invalidate();
      const t = (await service.topics()).find((x) => x.name === name);
      return t?.offline === 1 ? t : undefined;
    });
    await call(startRoute.POST, { ...local, broker: String(owner) });
    await tc.cluster.waitUntil(() => tc.cluster.nodeStates().every((n) => n.status === "up"), 90_000, "all up");
  });

  it("deletes a topic", async () => {
    const name = uniqueName("doomed");
    await call(topicsRoute.POST, local, { body: { name, partitions: 1, replicationFactor: 1 } });
    const res = await call(topicRoute.DELETE, { ...local, topic: name }, { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(kcat(name)).toEqual([]);
  });

  describe("bad input answers 4xx with a message and changes nothing", () => {
    const existing = uniqueName("existing");
    const dotted = `${uniqueName("dot")}.x`;

    beforeAll(async () => {
      await call(topicsRoute.POST, local, { body: { name: existing, partitions: 2, replicationFactor: 2 } });
      await call(topicsRoute.POST, local, { body: { name: dotted, partitions: 1, replicationFactor: 1 } });
      // A first group commit makes Kafka create its internal __consumer_offsets topic.
      const kafka = new Kafka({ clientId: "quorum-it", brokers: tc.bootstrap, logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      await admin.setOffsets({
        groupId: uniqueName("g"),
        topic: existing,
        partitions: [{ partition: 0, offset: "0" }],
      });
      await admin.disconnect();
    });

    const create = (body: unknown) => ({ handler: topicsRoute.POST as Handler, params: local, init: { body } });
    const ok = { partitions: 1, replicationFactor: 1 };
    type Case = () => { handler: Handler; params: Record<string, string>; init: { method?: string; body?: unknown } };
    const cases: [string, Case, number, string][] = [
      ["create: body not JSON", () => create("{name:"), 400, "invalid_json"],
      ["create: body an array", () => create([]), 400, "validation_failed"],
      ["create: no name", () => create({ ...ok }), 400, "validation_failed"],
      ["create: empty name", () => create({ ...ok, name: "" }), 400, "validation_failed"],
      ["create: name '.'", () => create({ ...ok, name: "." }), 400, "validation_failed"],
      ["create: name '..'", () => create({ ...ok, name: ".." }), 400, "validation_failed"],
      ["create: name with a space", () => create({ ...ok, name: "a b" }), 400, "validation_failed"],
      ["create: name with ü", () => create({ ...ok, name: "grüße" }), 400, "validation_failed"],
      ["create: name of 250 characters", () => create({ ...ok, name: "x".repeat(250) }), 400, "validation_failed"],
      ["create: zero partitions", () => create({ ...ok, name: "p0", partitions: 0 }), 400, "validation_failed"],
      ["create: negative partitions", () => create({ ...ok, name: "p0", partitions: -3 }), 400, "validation_failed"],
      ["create: huge partitions", () => create({ ...ok, name: "p0", partitions: 10_001 }), 400, "validation_failed"],
      [
        "create: partitions not a number",
        () => create({ ...ok, name: "p0", partitions: "3" }),
        400,
        "validation_failed",
      ],
      ["create: fractional partitions", () => create({ ...ok, name: "p0", partitions: 1.5 }), 400, "validation_failed"],
      ["create: RF zero", () => create({ ...ok, name: "p0", replicationFactor: 0 }), 400, "validation_failed"],
      [
        "create: RF above live brokers",
        () => create({ ...ok, name: "p0", replicationFactor: 4 }),
        400,
        "validation_failed",
      ],
      [
        "create: unknown config",
        () => create({ ...ok, name: "p0", configs: { "no.such": "1" } }),
        400,
        "validation_failed",
      ],
      [
        "create: config of the wrong type",
        () => create({ ...ok, name: "p0", configs: { "retention.ms": "soon" } }),
        400,
        "validation_failed",
      ],
      [
        "create: bad cleanup.policy",
        () => create({ ...ok, name: "p0", configs: { "cleanup.policy": "never" } }),
        400,
        "validation_failed",
      ],
      ["create: unknown field", () => create({ ...ok, name: "p0", colour: "red" }), 400, "validation_failed"],
      ["create: existing topic", () => create({ ...ok, name: existing }), 409, "topic_already_exists"],
      [
        "create: name colliding on . and _",
        () => create({ ...ok, name: dotted.replace(".", "_") }),
        400,
        "invalid_topic_exception",
      ],
      [
        "partitions: same count",
        () => ({ handler: partitionsRoute.POST, params: { ...local, topic: existing }, init: { body: { count: 2 } } }),
        400,
        "validation_failed",
      ],
      [
        "partitions: shrink",
        () => ({ handler: partitionsRoute.POST, params: { ...local, topic: existing }, init: { body: { count: 1 } } }),
        400,
        "validation_failed",
      ],
      [
        "partitions: zero",
        () => ({ handler: partitionsRoute.POST, params: { ...local, topic: existing }, init: { body: { count: 0 } } }),
        400,
        "validation_failed",
      ],
      [
        "partitions: not a number",
        () => ({
          handler: partitionsRoute.POST,
          params: { ...local, topic: existing },
          init: { body: { count: "many" } },
        }),
        400,
        "validation_failed",
      ],
      [
        "partitions: huge",
        () => ({
          handler: partitionsRoute.POST,
          params: { ...local, topic: existing },
          init: { body: { count: 1e9 } },
        }),
        400,
        "validation_failed",
      ],
      [
        "partitions: unknown topic",
        () => ({ handler: partitionsRoute.POST, params: { ...local, topic: "nope" }, init: { body: { count: 9 } } }),
        404,
        "topic_not_found",
      ],
      [
        "delete: unknown topic",
        () => ({ handler: topicRoute.DELETE, params: { ...local, topic: "nope" }, init: { method: "DELETE" } }),
        404,
        "topic_not_found",
      ],
      [
        "delete: internal topic",
        () => ({
          handler: topicRoute.DELETE,
          params: { ...local, topic: "__consumer_offsets" },
          init: { method: "DELETE" },
        }),
        409,
        "internal_topic",
      ],
      [
        "partitions: internal topic",
        () => ({
          handler: partitionsRoute.POST,
          params: { ...local, topic: "__consumer_offsets" },
          init: { body: { count: 1000 } },
        }),
        409,
        "internal_topic",
      ],
      [
        "configs: internal topic cleanup.policy=delete",
        () => ({
          handler: configsRoute.PATCH,
          params: { ...local, topic: "__consumer_offsets" },
          init: { method: "PATCH", body: { configs: { "cleanup.policy": "delete" } } },
        }),
        409,
        "internal_topic",
      ],
      [
        "configs: none named",
        () => ({
          handler: configsRoute.PATCH,
          params: { ...local, topic: existing },
          init: { method: "PATCH", body: { configs: {} } },
        }),
        400,
        "validation_failed",
      ],
      [
        "configs: min.insync.replicas 0",
        () => ({
          handler: configsRoute.PATCH,
          params: { ...local, topic: existing },
          init: { method: "PATCH", body: { configs: { "min.insync.replicas": 0 } } },
        }),
        400,
        "validation_failed",
      ],
      [
        "configs: unknown topic",
        () => ({
          handler: configsRoute.PATCH,
          params: { ...local, topic: "nope" },
          init: { method: "PATCH", body: { configs: { "retention.ms": 1 } } },
        }),
        404,
        "topic_not_found",
      ],
      [
        "stop: unknown broker",
        () => ({ handler: stopRoute.POST, params: { ...local, broker: "99" }, init: { body: { mode: "graceful" } } }),
        404,
        "broker_not_found",
      ],
      [
        "stop: broker id not a number",
        () => ({ handler: stopRoute.POST, params: { ...local, broker: "abc" }, init: {} }),
        400,
        "validation_failed",
      ],
      [
        "stop: unknown mode",
        () => ({ handler: stopRoute.POST, params: { ...local, broker: "1" }, init: { body: { mode: "nicely" } } }),
        400,
        "validation_failed",
      ],
      [
        "start: broker already up",
        () => ({ handler: startRoute.POST, params: { ...local, broker: "1" }, init: {} }),
        409,
        "conflict",
      ],
      [
        "start: unknown broker",
        () => ({ handler: startRoute.POST, params: { ...local, broker: "7" }, init: {} }),
        404,
        "broker_not_found",
      ],
      [
        "elect: unknown topic",
        () => ({ handler: electRoute.POST, params: local, init: { body: { topic: "nope" } } }),
        404,
        "topic_not_found",
      ],
      [
        "elect: invalid topic name",
        () => ({ handler: electRoute.POST, params: local, init: { body: { topic: "a b" } } }),
        400,
        "validation_failed",
      ],
      [
        "any: unknown cluster",
        () => ({ handler: topicsRoute.POST, params: { cluster: "nope" }, init: { body: { name: "x", ...ok } } }),
        404,
        "cluster_not_found",
      ],
    ];

    it("leaves __consumer_offsets as it was, as kcat and kafkajs see it", async () => {
      const offsets = "__consumer_offsets";
      const cleanupPolicy = async () => {
        const kafka = new Kafka({ clientId: "quorum-it", brokers: tc.bootstrap, logLevel: logLevel.NOTHING });
        const admin = kafka.admin();
        await admin.connect();
        try {
          const { resources } = await admin.describeConfigs({
            resources: [{ type: ConfigResourceTypes.TOPIC, name: offsets, configNames: ["cleanup.policy"] }],
            includeSynonyms: false,
          });
          return resources[0]?.configEntries.find((c) => c.configName === "cleanup.policy")?.configValue;
        } finally {
          await admin.disconnect();
        }
      };
      const partitions = kcat(offsets).length;
      expect(partitions).toBeGreaterThan(0);
      expect(await cleanupPolicy()).toBe("compact");
      const grow = await call(partitionsRoute.POST, { ...local, topic: offsets }, { body: { count: partitions + 1 } });
      const patch = await call(
        configsRoute.PATCH,
        { ...local, topic: offsets },
        { method: "PATCH", body: { configs: { "cleanup.policy": "delete" } } },
      );
      for (const res of [grow, patch]) {
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ error: { code: "internal_topic" } });
      }
      expect((grow.body as { error: { message: string } }).error.message).toMatch(/coordinator/);
      expect(kcat(offsets)).toHaveLength(partitions);
      expect(await cleanupPolicy()).toBe("compact");
    });

    it.each(cases)("%s", async (_label, make, status, code) => {
      const before = (await service.topics()).map((t) => `${t.name}:${t.partitions}`).sort();
      const { handler, params, init } = make();
      const res = await call(handler, params, init);
      expect(res.status).toBe(status);
      const error = (res.body as { error: { code: string; message: string } }).error;
      expect(error.code).toBe(code);
      expect(error.message.length).toBeGreaterThan(5);
      service.invalidate();
      const after = (await service.topics()).map((t) => `${t.name}:${t.partitions}`).sort();
      expect(after).toEqual(before);
    });
  });
});
