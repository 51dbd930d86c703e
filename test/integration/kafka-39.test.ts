import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as brokersRoute from "@/app/api/clusters/[cluster]/brokers/route";
import * as groupRoute from "@/app/api/clusters/[cluster]/consumer-groups/[group]/route";
import * as groupsRoute from "@/app/api/clusters/[cluster]/consumer-groups/route";
import * as electRoute from "@/app/api/clusters/[cluster]/elect-leaders/route";
import * as overviewRoute from "@/app/api/clusters/[cluster]/overview/route";
import * as configsRoute from "@/app/api/clusters/[cluster]/topics/[topic]/configs/route";
import * as partitionsRoute from "@/app/api/clusters/[cluster]/topics/[topic]/partitions/route";
import * as topicRoute from "@/app/api/clusters/[cluster]/topics/[topic]/route";
import * as topicsRoute from "@/app/api/clusters/[cluster]/topics/route";
import type {
  Broker,
  ClusterOverview,
  ConsumerGroupDetail,
  ConsumerGroupSummary,
  ElectionReport,
  ListPage,
  TopicDetail,
  TopicSummary,
} from "@/lib/types";
import { ClusterService } from "@/server/cluster-service";
import { loadConfig } from "@/server/config";
import type { Quorum } from "@/server/quorum";
import { eventually } from "../helpers/cluster";
import { apiVersionsOf, type Kafka39, startKafka39 } from "../helpers/kafka-39";
import { call } from "../helpers/routes";

/**
 * Quorum's route handlers against a real Kafka 3.9 KRaft cluster (test/helpers/kafka-39.ts: node 1
 * controller + broker, node 2 broker), as an external cluster known by its bootstrap servers only.
 * The tests run in order on one cluster (the group and election tests use the topic made before).
 * What Quorum shows is checked against Kafka 3.9's own tools; every request Quorum sends passes a
 * relay that records its API key and version, checked against what the brokers serve.
 */
const ID = { cluster: "k39" };
const TOPIC_CMD = "org.apache.kafka.tools.TopicCommand";
const GROUP_CMD = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
const REASSIGN_CMD = "org.apache.kafka.tools.reassign.ReassignPartitionsCommand";
const CONFIG_CMD = "kafka.admin.ConfigCommand";

/** The rows of a Kafka tool's table, keyed by its header. */
function rows(text: string): Record<string, string>[] {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const headAt = lines.findIndex((l) => /^GROUP\s/.test(l.trim()));
  const [head = "", ...rest] = lines.slice(headAt);
  const columns = head.trim().split(/\s+/);
  return rest.map((row) =>
    Object.fromEntries(
      row
        .trim()
        .split(/\s+/)
        .map((v, i) => [columns[i] ?? `#${i}`, v]),
    ),
  );
}

/** kafka-topics --describe: per partition, its leader and replicas. */
function describedPartitions(text: string): { partition: number; leader: number; replicas: number[] }[] {
  return [...text.matchAll(/Partition: (\d+)\s+Leader: (-?\d+)\s+Replicas: ([\d,]+)/g)].map((m) => ({
    partition: Number(m[1]),
    leader: Number(m[2]),
    replicas: (m[3] as string).split(",").map(Number),
  }));
}

describe("Quorum against a real Kafka 3.9 cluster", () => {
  let k: Kafka39;
  let kafka: Kafka;
  let service: ClusterService;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-k39-app-"));
  const began = Date.now();
  const consumer = () => kafka.consumer({ groupId: "billing" });
  let billing: ReturnType<typeof consumer> | null = null;

  beforeAll(async () => {
    // KIP-848 groups are a preview in Kafka 3.9, off by default; ApiVersions is the same either way.
    k = await startKafka39({ serverProps: { "group.coordinator.rebalance.protocols": "classic,consumer" } });
    service = new ClusterService("k39", "Kafka 3.9", k.bootstrap, null);
    const quorum: Quorum = {
      config: loadConfig({ QUORUM_DATA_DIR: dataDir, QUORUM_EMBEDDED: "false" }),
      embedded: null,
      clusters: new Map([["k39", service]]),
      drills: new Map(),
      workloads: new Map(),
      history: null,
    };
    (globalThis as Record<symbol, unknown>)[Symbol.for("quorum.instance")] = quorum;
    kafka = new Kafka({ clientId: "quorum-k39-it", brokers: k.internal, logLevel: logLevel.NOTHING });
  });

  afterAll(async () => {
    await billing?.disconnect();
    await service?.gateway.close();
    await k?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    console.log(`Kafka 3.9 cluster up in ${k?.startMs} ms; whole file ${Date.now() - began} ms`);
  });

  it("overview, brokers and the controller quorum (DescribeQuorum), complete", async () => {
    const overview = (await call(overviewRoute.GET, ID, { method: "GET" })).body as ClusterOverview;
    expect(overview.cluster).toMatchObject({ kind: "external", status: "ok", brokersUp: 2, brokersTotal: 2 });
    expect(overview.snapshot?.errors).toEqual([]);
    // ELR is off on 3.9 (eligible.leader.replicas.version 0): not asked for, so not partial either.
    expect(overview.snapshot?.partial).toEqual({
      metadata: false,
      offsets: false,
      groups: false,
      quorum: false,
      elr: false,
    });
    expect(overview.snapshot?.complete).toBe(true);
    const brokers = (await call(brokersRoute.GET, ID, { method: "GET" })).body as Broker[];
    expect(brokers.map((b) => [b.id, b.status, b.isController])).toEqual([
      [1, "up", true],
      [2, "up", false],
    ]);
    // The addresses Quorum reaches them at are the ones the brokers advertise to it.
    expect(brokers.map((b) => `${b.host}:${b.port}`)).toEqual(k.bootstrap);
  });

  it("creates a topic, adds partitions, changes a config: as Kafka 3.9's own tools see them", async () => {
    const created = await call(topicsRoute.POST, ID, {
      body: { name: "orders", partitions: 3, replicationFactor: 2, configs: { "retention.ms": 3_600_000 } },
    });
    expect(created.status).toBe(201);
    expect(
      describedPartitions(
        await k.tool(TOPIC_CMD, ["--bootstrap-server", k.internal[0] as string, "--describe", "--topic", "orders"]),
      ).map((p) => p.replicas.length),
    ).toEqual([2, 2, 2]);

    const grown = await call(partitionsRoute.POST, { ...ID, topic: "orders" }, { body: { count: 4 } });
    expect(grown.status).toBe(200);
    expect(grown.body).toMatchObject({ name: "orders", partitions: 4 });
    const described = describedPartitions(
      await k.tool(TOPIC_CMD, ["--bootstrap-server", k.internal[0] as string, "--describe", "--topic", "orders"]),
    );
    expect(described.map((p) => p.partition)).toEqual([0, 1, 2, 3]);

    const set = await call(
      configsRoute.PATCH,
      { ...ID, topic: "orders" },
      { method: "PATCH", body: { configs: { "retention.ms": 7_200_000, "cleanup.policy": "compact" } } },
    );
    expect(set.status).toBe(200);
    const cli = await k.tool(CONFIG_CMD, [
      "--bootstrap-server",
      k.internal[0] as string,
      "--describe",
      "--entity-type",
      "topics",
      "--entity-name",
      "orders",
    ]);
    expect(cli).toMatch(/retention\.ms=7200000/);
    expect(cli).toMatch(/cleanup\.policy=compact/);

    const topic = (await call(topicRoute.GET, { ...ID, topic: "orders" }, { method: "GET" })).body as TopicDetail;
    expect(topic.partitions.map((p) => [p.partition, p.leader, p.replicas])).toEqual(
      described.map((p) => [p.partition, p.leader, p.replicas]),
    );
    expect(topic.configs.find((c) => c.name === "retention.ms")).toMatchObject({ value: "7200000", isDefault: false });
  });

  it("a classic group (kafkajs) with its member, and lag equal to kafka-consumer-groups --describe", async () => {
    const producer = kafka.producer();
    await producer.connect();
    const send = (n: number) =>
      producer.send({
        topic: "orders",
        acks: -1,
        messages: [0, 1, 2, 3].flatMap((partition) =>
          Array.from({ length: n }, (_, i) => ({ partition, key: `k${i}`, value: `v${i}` })),
        ),
      });
    await send(10);
    billing = consumer();
    await billing.connect();
    await billing.subscribe({ topic: "orders", fromBeginning: true });
    await billing.run({ eachMessage: async () => {} });
    await eventually(
      "billing to commit all 40 messages",
      async () => {
        service.invalidate();
        const g = (await call(groupRoute.GET, { ...ID, group: "billing" }, { method: "GET" }))
          .body as ConsumerGroupDetail;
        return g.state === "Stable" && g.offsets.reduce((s, o) => s + (o.committedOffset ?? 0), 0) === 40
          ? g
          : undefined;
      },
      60_000,
    );
    billing.pause([{ topic: "orders" }]);
    await send(5);
    await producer.disconnect();

    const detail = await eventually("a lag of 5 on each partition", async () => {
      service.invalidate();
      const g = (await call(groupRoute.GET, { ...ID, group: "billing" }, { method: "GET" }))
        .body as ConsumerGroupDetail;
      return g.totalLag === 20 ? g : undefined;
    });
    const cli = rows(
      await k.tool(GROUP_CMD, ["--bootstrap-server", k.internal[0] as string, "--describe", "--group", "billing"]),
    ).sort((a, b) => Number(a.PARTITION) - Number(b.PARTITION));
    expect(cli).toHaveLength(4);
    expect(detail).toMatchObject({ type: "classic", state: "Stable", protocolType: "consumer" });
    expect(detail.offsets.map((o) => [o.partition, o.committedOffset, o.logEndOffset, o.lag])).toEqual(
      cli.map((r) => [Number(r.PARTITION), Number(r["CURRENT-OFFSET"]), Number(r["LOG-END-OFFSET"]), Number(r.LAG)]),
    );
    expect(detail.members.map((m) => m.memberId)).toEqual([...new Set(cli.map((r) => r["CONSUMER-ID"]))]);

    const groups = ((await call(groupsRoute.GET, ID, { method: "GET" })).body as ListPage<ConsumerGroupSummary>).items;
    expect(groups.find((g) => g.groupId === "billing")).toMatchObject({
      type: "classic",
      state: "Stable",
      members: 1,
      topics: ["orders"],
      totalLag: 20,
    });
  });

  it("a KIP-848 group (3.9's console consumer, group.protocol=consumer) with its member, as kafka-consumer-groups shows it", async () => {
    const cc = k.spawnTool("org.apache.kafka.tools.consumer.ConsoleConsumer", [
      "--bootstrap-server",
      k.internal[0] as string,
      "--topic",
      "orders",
      "--group",
      "shipping",
      "--consumer-property",
      "group.protocol=consumer",
      "--consumer-property",
      "client.id=quorum-shipping",
    ]);
    try {
      const detail = await eventually(
        "shipping Stable with its member assigned every partition",
        async () => {
          service.invalidate();
          const res = await call(groupRoute.GET, { ...ID, group: "shipping" }, { method: "GET" });
          const g = res.body as ConsumerGroupDetail;
          return res.status === 200 &&
            g.state === "Stable" &&
            g.members.length === 1 &&
            g.members[0]?.assignments[0]?.partitions.length === 4
            ? g
            : undefined;
        },
        60_000,
      );
      expect(detail).toMatchObject({ type: "consumer", protocol: "uniform", groupEpoch: expect.any(Number) });
      const cli = rows(
        await k.tool(GROUP_CMD, [
          "--bootstrap-server",
          k.internal[0] as string,
          "--describe",
          "--group",
          "shipping",
          "--members",
          "--verbose",
        ]),
      );
      const [member] = detail.members;
      expect(cli.map((r) => [r["CONSUMER-ID"], r.HOST, r["CLIENT-ID"], Number(r["#PARTITIONS"])])).toEqual([
        [member?.memberId, member?.host, "quorum-shipping", 4],
      ]);
      expect(member).toMatchObject({
        clientId: "quorum-shipping",
        assignments: [{ topic: "orders", partitions: [0, 1, 2, 3] }],
        targetAssignments: [{ topic: "orders", partitions: [0, 1, 2, 3] }],
      });
      const groups = ((await call(groupsRoute.GET, ID, { method: "GET" })).body as ListPage<ConsumerGroupSummary>)
        .items;
      expect(groups.map((g) => [g.groupId, g.type]).sort()).toEqual([
        ["billing", "classic"],
        ["shipping", "consumer"],
      ]);
    } finally {
      await cc.stop();
    }
  });

  it("a preferred leader election moves leadership back where Kafka's tools say", async () => {
    // Partition 0 of `elect` on [1, 2], then reordered to [2, 1] by Kafka's reassignment tool: the
    // leader stays 1 (auto.leader.rebalance.enable=false), the preferred leader is now 2.
    await k.tool(TOPIC_CMD, [
      "--bootstrap-server",
      k.internal[0] as string,
      "--create",
      "--topic",
      "elect",
      "--replica-assignment",
      "1:2",
    ]);
    await eventually("elect-0 led by broker 1 with both replicas in sync", async () => {
      const d = describedPartitions(
        await k.tool(TOPIC_CMD, ["--bootstrap-server", k.internal[0] as string, "--describe", "--topic", "elect"]),
      );
      return d[0]?.leader === 1 ? d : undefined;
    });
    const plan = path.join(dataDir, "reorder.json");
    fs.writeFileSync(
      plan,
      JSON.stringify({ version: 1, partitions: [{ topic: "elect", partition: 0, replicas: [2, 1] }] }),
    );
    await k.tool(REASSIGN_CMD, [
      "--bootstrap-server",
      k.internal[0] as string,
      "--reassignment-json-file",
      plan,
      "--execute",
    ]);
    await eventually("elect-0 reordered to [2, 1], still led by 1", async () => {
      service.invalidate();
      const t = (await call(topicRoute.GET, { ...ID, topic: "elect" }, { method: "GET" })).body as TopicDetail;
      const p = t.partitions[0];
      return p && p.preferredLeader === 2 && p.leader === 1 && p.isr.length === 2 ? p : undefined;
    });

    const res = await call(electRoute.POST, ID, { body: { topic: "elect" } });
    expect(res.status).toBe(200);
    const report = res.body as ElectionReport;
    expect(report).toMatchObject({ elected: 1, failed: 0 });
    expect(report.results).toEqual([{ topic: "elect", partition: 0, outcome: "elected", error: null }]);
    const after = describedPartitions(
      await k.tool(TOPIC_CMD, ["--bootstrap-server", k.internal[0] as string, "--describe", "--topic", "elect"]),
    );
    expect(after).toEqual([{ partition: 0, leader: 2, replicas: [2, 1] }]);
  });

  it("deletes a topic", async () => {
    const res = await call(topicRoute.DELETE, { ...ID, topic: "elect" }, { method: "DELETE" });
    expect(res.status).toBeLessThan(300);
    await eventually("elect gone for Kafka's tools", async () => {
      const list = await k.tool(TOPIC_CMD, ["--bootstrap-server", k.internal[0] as string, "--list"]);
      return list.split("\n").includes("elect") ? undefined : list;
    });
    service.invalidate();
    const topics = ((await call(topicsRoute.GET, ID, { method: "GET" })).body as ListPage<TopicSummary>).items;
    expect(topics.map((t) => t.name)).not.toContain("elect");
  });

  it("sent every request in a version the brokers serve", async () => {
    const served = await apiVersionsOf(k.bootstrap[1] as string);
    // The fixture negotiation.test.ts replays is what this 3.9 broker says.
    const fixture = JSON.parse(
      fs.readFileSync(path.join(process.cwd(), "test/fixtures/kafka/api-versions-3.9.1.json"), "utf8"),
    ) as { apiVersions: { apis: { apiKey: number; minVersion: number; maxVersion: number }[] } };
    expect(served).toEqual(
      fixture.apiVersions.apis.map((a) => ({ apiKey: a.apiKey, minVersion: a.minVersion, maxVersion: a.maxVersion })),
    );
    const range = new Map(served.map((a) => [a.apiKey, [a.minVersion, a.maxVersion]]));
    const sent = new Map<string, number>();
    for (const r of k.requests) {
      const key = `${r.apiKey} v${r.version}`;
      sent.set(key, (sent.get(key) ?? 0) + 1);
      const [min = 1, max = -1] = range.get(r.apiKey) ?? [];
      expect(r.version >= min && r.version <= max, `API ${r.apiKey} v${r.version} to broker ${r.broker}`).toBe(true);
    }
    console.log(
      `requests Quorum sent to the 3.9 brokers (API key, version: count): ${JSON.stringify(Object.fromEntries(sent))}`,
    );
    const keys = new Set(k.requests.map((r) => r.apiKey));
    // ApiVersions, Metadata, ListOffsets, OffsetFetch, DescribeGroups, ListGroups, CreateTopics,
    // DeleteTopics, DescribeConfigs, CreatePartitions, ElectLeaders, IncrementalAlterConfigs,
    // DescribeQuorum, ConsumerGroupDescribe
    for (const key of [18, 3, 2, 9, 15, 16, 19, 20, 32, 37, 43, 44, 55, 69])
      expect(keys, `API ${key} sent`).toContain(key);
    // The versions negotiation.test.ts expects from this broker's captured answer.
    const versionsOf = (key: number) => [...new Set(k.requests.filter((r) => r.apiKey === key).map((r) => r.version))];
    expect([3, 2, 9, 15, 16, 55, 69].map((key) => [key, versionsOf(key)])).toEqual([
      [3, [12]],
      [2, [9]],
      [9, [9]],
      [15, [5]],
      [16, [5]],
      [55, [2]],
      [69, [0]],
    ]);
  });
});
