import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrokerStopProgress } from "@/lib/types";
import { ClusterService } from "@/server/cluster-service";
import { eventually, startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { hasKcat, kcatMetadata } from "../helpers/kcat";

// A graceful stop of a broker leading many partitions reports, on its row of GET brokers, how many
// of the leaderships it held at the start have moved, as Kafka's metadata shows them; checked
// against kcat (librdkafka), an independent client.
describe.skipIf(!hasKcat)("graceful stop progress", () => {
  let tc: TestCluster;
  let service: ClusterService;
  const topics = [uniqueName("stop-a"), uniqueName("stop-b"), uniqueName("stop-c"), uniqueName("stop-d")];
  const mine = (t: string) => topics.includes(t);

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 3 });
    service = new ClusterService("it", "it", [], tc.cluster);
    const kafka = new Kafka({ clientId: "quorum-it", brokers: tc.bootstrap, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: topics.map((topic) => ({ topic, numPartitions: 50, replicationFactor: 3 })),
        waitForLeaders: true,
        timeout: 60_000,
      });
    } finally {
      await admin.disconnect();
    }
  }, 240_000);

  afterAll(async () => {
    service?.monitor.close();
    await service?.gateway.close();
    await tc?.stop();
  });

  it("counts the leaderships moved so far while the broker stops, up to all of them, as kcat sees them", async () => {
    // Every partition fully in sync first, so the stop needs no confirmation and every leadership can move.
    const before = await eventually(
      "200 partitions, each with 3 replicas in sync",
      () => {
        const parts = kcatMetadata(tc.bootstrap).partitions.filter((p) => mine(p.topic));
        return parts.length === 200 && parts.every((p) => p.isr.length === 3 && p.leader > 0) ? parts : undefined;
      },
      60_000,
    );
    const counts = new Map<number, number>();
    for (const p of before) counts.set(p.leader, (counts.get(p.leader) ?? 0) + 1);
    const [id, led] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
    const ledAtStart = new Set(
      kcatMetadata(tc.bootstrap)
        .partitions.filter((p) => p.leader === id)
        .map((p) => `${p.topic}-${p.partition}`),
    );
    expect(led).toBeGreaterThan(50);

    // The monitor looks while someone listens (as a browser tab does); the test polls GET brokers.
    const unsubscribe = service.monitor.subscribe(() => {});
    const seen: BrokerStopProgress[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const row = (await service.brokers()).find((b) => b.id === id);
        if (row?.stopping) seen.push(row.stopping);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const began = Date.now();
    try {
      await service.stopBroker(id, "graceful");
    } finally {
      polling = false;
      await poll;
      unsubscribe();
    }

    expect(seen.length).toBeGreaterThan(0);
    // Counted against what the broker led when the stop began: all of its leaderships, internal topics' too.
    for (const s of seen) {
      expect(s.leadersAtStart).toBe(ledAtStart.size);
      expect(s.startedAt).toBeGreaterThanOrEqual(began - 1);
      expect(s.leadersLeft + s.leadersMoved + s.leaderless).toBe(s.leadersAtStart);
      expect(s.leaderless).toBe(0);
    }
    // Never going back, and reaching all moved while the process was still shutting down.
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]?.leadersMoved ?? 0).toBeGreaterThanOrEqual(seen[i - 1]?.leadersMoved ?? 0);
    const last = seen.at(-1);
    expect(last).toMatchObject({ leadersLeft: 0, leadersMoved: ledAtStart.size });
    // What the row said at the end is what an independent client sees: every one led by another broker.
    const after = kcatMetadata(tc.bootstrap).partitions;
    const moved = after.filter((p) => ledAtStart.has(`${p.topic}-${p.partition}`));
    expect(moved).toHaveLength(ledAtStart.size);
    expect(moved.every((p) => p.leader > 0 && p.leader !== id)).toBe(true);
    // Down now: the row carries no stop any more.
    const row = (await service.brokers()).find((b) => b.id === id);
    expect(row?.status).toBe("down");
    expect(row?.stopping).toBeUndefined();
    console.log(
      `[stop-progress] broker ${id}: ${ledAtStart.size} leaderships, ${seen.length} progress reads, moved counts seen: ${[
        ...new Set(seen.map((s) => s.leadersMoved)),
      ].join(", ")}; stop took ${Date.now() - began} ms`,
    );
  }, 120_000);
});
