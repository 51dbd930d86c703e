import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, partitionOf, startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";

// The seeds' experiment on a real 3-broker KRaft cluster: stop the leader, watch the ISR shrink,
// crash another broker, see it fenced, bring both back and see every ISR whole again.
describe("embedded cluster failover", () => {
  let tc: TestCluster;
  let kafka: Kafka;
  const topic = uniqueName("failover");

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 3 });
    kafka = new Kafka({ clientId: "quorum-it", brokers: tc.bootstrap, logLevel: logLevel.NOTHING });
  });

  afterAll(async () => {
    await tc?.stop();
  });

  it("starts 3 brokers and a controller that all answer Kafka requests", async () => {
    const nodes = tc.cluster.nodeStates();
    expect(nodes.map((n) => `${n.role}-${n.id}:${n.status}`)).toEqual([
      "controller-101:up",
      "broker-1:up",
      "broker-2:up",
      "broker-3:up",
    ]);
    for (const n of nodes) expect(n.pid).toBeGreaterThan(0);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const described = await admin.describeCluster();
      expect(described.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      expect(described.clusterId).toBe(tc.cluster.clusterId);
    } finally {
      await admin.disconnect();
    }
  });

  it("moves leadership off a gracefully stopped broker, shrinks the ISR, fences a killed one, and heals", async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: 3, replicationFactor: 3 }],
        waitForLeaders: true,
      });
      expect(created).toBe(true);
      const before = await eventually("partition 0 fully in sync", async () => {
        const p = await partitionOf(tc.bootstrap, topic, 0);
        return p.isr.length === 3 && p.leader > 0 ? p : undefined;
      });
      expect(before.replicas).toHaveLength(3);

      // 1. Graceful stop of partition 0's leader: controlled shutdown hands leadership over.
      const stopped = before.leader;
      await tc.cluster.stopBroker(stopped, "graceful");
      expect(tc.cluster.nodeStates().find((n) => n.id === stopped)?.status).toBe("down");
      const afterStop = await eventually("a new leader for partition 0", async () => {
        const p = await partitionOf(tc.bootstrap, topic, 0);
        return p.leader !== stopped && p.leader > 0 && !p.isr.includes(stopped) ? p : undefined;
      });
      expect(before.isr).toContain(afterStop.leader);
      expect(afterStop.isr).toHaveLength(2);
      expect(afterStop.isr).not.toContain(stopped);
      expect(afterStop.replicas).toEqual(before.replicas);

      // 2. Kill another broker: no controlled shutdown, so the controller must fence it after the
      // session timeout (lab setting), removing it from the live brokers and from every ISR.
      const killed = [1, 2, 3].find((id) => id !== stopped) ?? 0;
      const killedAt = Date.now();
      await tc.cluster.stopBroker(killed, "kill");
      const fenced = await eventually(
        "the killed broker fenced",
        async () => {
          const p = await partitionOf(tc.bootstrap, topic, 0);
          return !p.liveBrokers.includes(killed) && !p.isr.includes(killed) ? p : undefined;
        },
        20_000,
      );
      const fenceMs = Date.now() - killedAt;
      const survivor = [1, 2, 3].find((id) => id !== stopped && id !== killed);
      expect(fenced.liveBrokers).toEqual([survivor]);
      expect(fenced.leader).toBe(survivor);
      expect(fenced.isr).toEqual([survivor]);
      expect(fenceMs).toBeLessThan(tc.cluster.config.sessionTimeoutMs + 6000);

      // 3. Start both again: they catch up and rejoin every ISR; leadership stays where it moved.
      tc.cluster.startBroker(stopped);
      tc.cluster.startBroker(killed);
      await tc.cluster.waitUntil(
        () => tc.cluster.nodeStates().every((n) => n.status === "up"),
        90_000,
        "both brokers up again",
      );
      const healed = await eventually(
        "every ISR back to 3",
        async () => {
          const md = await admin.fetchTopicMetadata({ topics: [topic] });
          const parts = md.topics[0]?.partitions ?? [];
          return parts.length === 3 && parts.every((p) => p.isr.length === 3) ? parts : undefined;
        },
        60_000,
      );
      for (const p of healed) expect([...p.isr].sort()).toEqual([1, 2, 3]);
      const p0 = healed.find((p) => p.partitionId === 0);
      expect(p0?.leader).toBe(survivor);
    } finally {
      await admin.disconnect();
    }
  });
});
