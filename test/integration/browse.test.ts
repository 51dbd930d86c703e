import { execFileSync } from "node:child_process";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterService } from "@/server/cluster-service";
import { plaintext } from "@/server/clusters/connection";
import { resolveKafkaDist } from "@/server/embedded/kafka-dist";
import { isAlive } from "@/server/embedded/node-process";
import { withPool } from "@/server/kafka/pool";
import { mayHaveElr, takeSnapshot } from "@/server/kafka/snapshot";
import { startConsoleConsumer } from "@/server/workload/console-consumer";
import { eventually, startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { hasKcat, kcatMetadata } from "../helpers/kcat";

// The read API against Kafka's own view of the same cluster, healthy and with a broker stopped.
describe("browse API", () => {
  let tc: TestCluster;
  let kafka: Kafka;
  let service: ClusterService;
  const orders = uniqueName("orders");
  const audit = uniqueName("audit");
  const group = uniqueName("billing");
  const produced = [12, 9, 9]; // messages per partition of `orders`
  const committed = [5, 9]; // committed offsets of `group` for partitions 0 and 1; none for 2

  /** Leaders, replicas and ISR per partition, as Quorum's API reports them. */
  async function quorumView() {
    const topics = await service.topics();
    const out = [];
    for (const t of topics.filter((x) => !x.internal)) {
      const d = await service.topic(t.name);
      for (const p of d.partitions)
        out.push({ topic: t.name, partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr });
    }
    return out;
  }

  /** The same from kcat, for the same topics. */
  function kcatView() {
    return kcatMetadata(tc.bootstrap)
      .partitions.filter((p) => p.topic === orders || p.topic === audit)
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 3 });
    service = new ClusterService("it", "it", [], tc.cluster);
    kafka = new Kafka({ clientId: "quorum-it", brokers: tc.bootstrap, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [
          { topic: orders, numPartitions: 3, replicationFactor: 3 },
          { topic: audit, numPartitions: 2, replicationFactor: 2 },
        ],
        waitForLeaders: true,
      });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: orders,
        acks: -1,
        messages: produced.flatMap((n, partition) =>
          Array.from({ length: n }, (_, i) => ({ partition, key: `k${i}`, value: `v${i}` })),
        ),
      });
      await producer.disconnect();
      // An independent client commits offsets for the group: 5 of 12 on p0, all 9 on p1, nothing on p2.
      await admin.setOffsets({
        groupId: group,
        topic: orders,
        partitions: committed.map((offset, partition) => ({ partition, offset: String(offset) })),
      });
    } finally {
      await admin.disconnect();
    }
  });

  afterAll(async () => {
    await tc?.stop();
  });

  it("lists topics with partitions, replication factor and message counts", async () => {
    const topics = await service.topics();
    expect(topics.find((t) => t.name === orders)).toEqual({
      name: orders,
      internal: false,
      partitions: 3,
      replicationFactor: 3,
      underReplicated: 0,
      offline: 0,
      messages: 30,
    });
    expect(topics.find((t) => t.name === audit)).toMatchObject({ partitions: 2, replicationFactor: 2, messages: 0 });
    expect(topics.find((t) => t.name === "__consumer_offsets")?.internal).toBe(true);
  });

  it("describes a topic's partitions with offsets, preferred leader and configs", async () => {
    const d = await service.topic(orders);
    expect(d.partitions.map((p) => [p.partition, p.earliestOffset, p.latestOffset])).toEqual([
      [0, 0, 12],
      [1, 0, 9],
      [2, 0, 9],
    ]);
    for (const p of d.partitions) expect(p.preferredLeader).toBe(p.replicas[0]);
    const retention = d.configs.find((c) => c.name === "retention.ms");
    expect(retention).toMatchObject({ value: "604800000", isDefault: true, source: "DEFAULT_CONFIG" });
    await expect(service.topic("no-such-topic")).rejects.toMatchObject({ code: "topic_not_found" });
  });

  it("computes lag as log-end minus committed, and none where nothing was committed", async () => {
    const groups = await service.consumerGroups();
    expect(groups.find((g) => g.groupId === group)).toEqual({
      groupId: group,
      type: "classic",
      state: "Empty",
      members: 0,
      topics: [orders],
      totalLag: 12 - 5 + (9 - 9),
    });
    const detail = await service.consumerGroup(group);
    expect(detail.offsets).toEqual([
      { topic: orders, partition: 0, committedOffset: 5, logEndOffset: 12, lag: 7 },
      { topic: orders, partition: 1, committedOffset: 9, logEndOffset: 9, lag: 0 },
    ]);
    await expect(service.consumerGroup("nobody")).rejects.toMatchObject({ code: "group_not_found" });
  });

  it("shows members and their assignments while a consumer runs", async () => {
    const live = uniqueName("live");
    const consumer = kafka.consumer({ groupId: live, sessionTimeout: 10_000 });
    await consumer.connect();
    await consumer.subscribe({ topic: orders, fromBeginning: true });
    let seen = 0;
    await consumer.run({ eachMessage: async () => void seen++ });
    try {
      const detail = await eventually(
        "the live group stable with its commits",
        async () => {
          const d = await service.consumerGroup(live).catch(() => undefined);
          return d?.state === "Stable" && d.offsets.length === 3 && d.offsets.every((o) => o.lag === 0) ? d : undefined;
        },
        60_000,
      );
      expect(seen).toBe(30);
      expect(detail.members).toHaveLength(1);
      expect(detail.members[0]?.clientId).toBe("quorum-it");
      expect(detail.members[0]?.assignments).toEqual([{ topic: orders, partitions: [0, 1, 2] }]);
    } finally {
      await consumer.disconnect();
    }
  });

  it("describes a group.protocol=consumer group (KIP-848) as kafka-consumer-groups does, and classic groups still with members", async () => {
    const shipping = uniqueName("shipping");
    const classicGroup = uniqueName("classic");
    const classic = kafka.consumer({ groupId: classicGroup, sessionTimeout: 10_000 });
    let read = 0;
    const java = startConsoleConsumer({
      bootstrap: tc.bootstrap,
      topic: orders,
      groupId: shipping,
      protocol: "consumer",
      clientId: "quorum-it-kip848",
      onMessage: () => void read++,
    });
    try {
      expect(java.pid).toBeGreaterThan(0);
      await classic.connect();
      await classic.subscribe({ topic: orders, fromBeginning: true });
      await classic.run({ eachMessage: async () => {} });
      const settled = async () => {
        service.invalidate();
        const [s, c] = await Promise.all([service.consumerGroup(shipping), service.consumerGroup(classicGroup)]);
        const owned = (d: typeof s) => d.members.flatMap((m) => m.assignments.flatMap((a) => a.partitions)).length;
        return s.state === "Stable" && owned(s) === 3 && c.state === "Stable" && owned(c) === 3 ? { s, c } : undefined;
      };
      const { s: detail, c: classicDetail } = await eventually(
        "both groups Stable, owning orders' 3 partitions",
        settled,
        90_000,
      );

      expect(detail).toMatchObject({ type: "consumer", protocolType: "consumer", protocol: "uniform" });
      expect(detail.groupEpoch).toBeGreaterThanOrEqual(1);
      expect(detail.members).toHaveLength(1);
      expect(detail.members[0]).toMatchObject({
        clientId: "quorum-it-kip848",
        groupInstanceId: null,
        assignments: [{ topic: orders, partitions: [0, 1, 2] }],
        targetAssignments: [{ topic: orders, partitions: [0, 1, 2] }],
      });

      // Kafka's own tool, on the same group: same member, host, client id, epoch and assignment.
      const cli = execFileSync(
        "java",
        [
          "-Xmx128m",
          "-cp",
          resolveKafkaDist().classpath,
          "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
          "--bootstrap-server",
          tc.bootstrap.join(","),
          "--describe",
          "--group",
          shipping,
          "--members",
          "--verbose",
        ],
        { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
      );
      const [head = "", ...rows] = cli.split("\n").filter((l) => l.trim() !== "");
      const columns = head.trim().split(/\s+/);
      const cliMembers = rows.map((r) =>
        Object.fromEntries(
          r
            .trim()
            .split(/\s+/)
            .map((v, i) => [columns[i], v]),
        ),
      );
      const now = await settled();
      const member = now?.s.members[0];
      expect(cliMembers).toEqual([
        {
          GROUP: shipping,
          "CONSUMER-ID": member?.memberId,
          HOST: member?.host,
          "CLIENT-ID": "quorum-it-kip848",
          "#PARTITIONS": "3",
          "CURRENT-EPOCH": String(member?.memberEpoch),
          "CURRENT-ASSIGNMENT": `${orders}:0,1,2`,
          "TARGET-EPOCH": String(now?.s.assignmentEpoch),
          "TARGET-ASSIGNMENT": `${orders}:0,1,2`,
        },
      ]);

      // The classic group (kafkajs) is still described by DescribeGroups, with its member.
      expect(classicDetail).toMatchObject({ type: "classic", groupEpoch: null });
      expect(classicDetail.members).toHaveLength(1);
      expect(classicDetail.members[0]).toMatchObject({
        clientId: "quorum-it",
        memberEpoch: null,
        assignments: [{ topic: orders, partitions: [0, 1, 2] }],
      });
      const list = await service.consumerGroups();
      expect(list.find((g) => g.groupId === shipping)).toMatchObject({ type: "consumer", members: 1, state: "Stable" });
      expect(list.find((g) => g.groupId === classicGroup)).toMatchObject({ type: "classic", members: 1 });
      expect(list.find((g) => g.groupId === group)).toMatchObject({ type: "classic", members: 0 });
      console.log(`console consumer (pid ${java.pid}) read ${read} messages`);
    } finally {
      await java.stop();
      await classic.disconnect();
    }
    expect(java.pid !== null && isAlive(java.pid)).toBe(false);
  });

  it("counts the snapshot's Kafka requests: per broker, not per topic or group", async () => {
    // The pool asks each broker's versions once per connection (ApiVersions), not counted in the snapshot's requests.
    const snap = await withPool(plaintext(tc.bootstrap), (pool) => takeSnapshot(pool, tc.bootstrap, 4000));
    const leaders = new Set(snap.topics.flatMap((t) => t.partitions.map((p) => p.leader)).filter((l) => l >= 0));
    const coordinators = (type?: string) =>
      new Set(snap.groups.filter((g) => !type || g.type === type).map((g) => g.coordinator)).size;
    expect(snap.errors).toEqual([]);
    expect(coordinators("consumer")).toBeGreaterThan(0); // the KIP-848 group above, now Empty
    // Eligible leader replicas (on in the lab): one ApiVersions for the finalized features, then one
    // DescribeTopicPartitions page per 2000 partitions of the topics with a partition out of sync
    // or leaderless (none here: a partition whose whole ISR is in sync has no ELR), to one broker.
    const unsynced = snap.topics.filter((t) => t.partitions.some(mayHaveElr));
    const elrRequests = 1 + Math.ceil(unsynced.reduce((n, t) => n + t.partitions.length, 0) / 2000);
    expect(unsynced).toEqual([]);
    expect(elrRequests).toBe(1);
    expect(snap.topics.flatMap((t) => t.partitions).every((p) => p.elr !== null && p.lastKnownElr !== null)).toBe(true);
    expect(snap.requests).toBe(
      2 +
        2 * leaders.size +
        snap.brokers.length +
        coordinators("classic") +
        coordinators("consumer") +
        coordinators() +
        elrRequests,
    );
    expect(snap.requests).toBeLessThanOrEqual(3 + 6 * 3);
    expect(snap.quorum?.leaderId).toBe(101);
    expect(snap.quorum?.voters.map((v) => v.id)).toEqual([101]);
  });

  it.skipIf(!hasKcat)("matches kcat for every partition, also while a broker is stopped", async () => {
    const healthy = await quorumView();
    expect(healthy).toEqual(kcatView());

    await tc.cluster.stopBroker(2, "graceful");
    service.invalidate();
    const degraded = await eventually(
      "leaders off broker 2 in both views",
      async () => {
        service.invalidate();
        const ours = await quorumView();
        const theirs = kcatView();
        const settled = ours.every((p) => p.leader !== 2 && !p.isr.includes(2));
        return settled && JSON.stringify(ours) === JSON.stringify(theirs) ? ours : undefined;
      },
      30_000,
    );
    expect(degraded.length).toBe(5);
    const brokers = await service.brokers();
    expect(brokers.find((b) => b.id === 2)).toMatchObject({ status: "down", leaderCount: 0 });
    expect((await service.summary()).status).toBe("degraded");
    const overview = await service.overview();
    expect(overview.underReplicated).toBeGreaterThanOrEqual(5);
    expect(overview.offline).toBe(0);

    tc.cluster.startBroker(2);
    await tc.cluster.waitUntil(() => tc.cluster.nodeStates().every((n) => n.status === "up"), 90_000, "broker 2 up");
  });

  it("answers unreachable, within the timeout, when every broker is down", async () => {
    for (const id of [1, 2, 3]) await tc.cluster.stopBroker(id, "kill");
    service.invalidate();
    const began = Date.now();
    const summary = await service.summary();
    expect(summary.status).toBe("unreachable");
    expect(summary.brokersUp).toBe(0);
    await expect(service.topics()).rejects.toMatchObject({ code: "cluster_unavailable" });
    expect(Date.now() - began).toBeLessThan(5000);

    const external = new ClusterService("gone", "gone", tc.bootstrap, null);
    const t0 = Date.now();
    expect((await external.summary()).status).toBe("unreachable");
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
