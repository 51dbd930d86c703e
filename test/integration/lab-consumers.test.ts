import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LabConsumers } from "@/server/labs/consumers";
import { startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { kafkaTool } from "../helpers/kafka-configs";

/** Every group's state and member count, as Kafka's own consumer-groups tool prints them. */
async function groupStates(bootstrap: string[]): Promise<Map<string, { state: string; members: number }>> {
  const out = await kafkaTool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", [
    "--bootstrap-server",
    bootstrap.join(","),
    "--describe",
    "--all-groups",
    "--state",
  ]);
  const states = new Map<string, { state: string; members: number }>();
  for (const line of out.split("\n")) {
    const cols = line.trim().split(/\s+/);
    // GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS; an empty group has no strategy.
    if (cols.length < 5 || cols[0] === "GROUP") continue;
    const members = Number(cols[cols.length - 1]);
    const state = cols[cols.length - 2] ?? "";
    if (Number.isInteger(members)) states.set(cols[0] as string, { state, members });
  }
  return states;
}

// A lab's consumers are stopped right after they started (a reset while a lab runs): they must
// leave their group then, not stay members of it, joined in the background after the stop.
describe("lab consumers stopped while they join", () => {
  let tc: TestCluster;
  const topic = uniqueName("lab-it");

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 1 });
    const admin = new Kafka({ clientId: "quorum-it", brokers: tc.bootstrap, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
  });

  afterAll(async () => {
    await tc?.stop();
  });

  it("leave their groups: each is empty at once, and still empty after a session timeout", async () => {
    const consumers = new LabConsumers("it", () => tc.bootstrap);
    const groups = [1, 2, 3].map((n) => `${topic}-g${n}`);
    try {
      for (const group of groups) {
        const started = await consumers.start(group, topic, 2);
        expect(started.map((c) => c.member)).toEqual([1, 2]);
        await consumers.stopAll();
        expect(consumers.list()).toEqual([]);
      }
      const right = (states: Map<string, { state: string; members: number }>) =>
        groups.map((g) => `${g}: ${states.get(g)?.state ?? "none"} ${states.get(g)?.members ?? 0}`);
      const empty = groups.map((g) => `${g}: Empty 0`);
      expect(right(await groupStates(tc.bootstrap))).toEqual(empty);
      // A consumer left running would have joined again by now (its session is 10 s).
      await new Promise((r) => setTimeout(r, 12_000));
      expect(right(await groupStates(tc.bootstrap))).toEqual(empty);
    } finally {
      await consumers.stopAll();
    }
  });
});
