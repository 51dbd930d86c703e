import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Admin, type Consumer, Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as actionsRoute from "@/app/api/clusters/[cluster]/consumer-groups/[group]/actions/route";
import * as offsetsRoute from "@/app/api/clusters/[cluster]/consumer-groups/[group]/offsets/[topic]/route";
import * as resetRoute from "@/app/api/clusters/[cluster]/consumer-groups/[group]/reset-offsets/route";
import * as groupRoute from "@/app/api/clusters/[cluster]/consumer-groups/[group]/route";
import * as deleteRecordsRoute from "@/app/api/clusters/[cluster]/topics/[topic]/delete-records/route";
import type { GroupActionRecord, OffsetResetReport } from "@/lib/types";
import type { ClusterService } from "@/server/cluster-service";
import { HistoryStore } from "@/server/history/history-store";
import { commitGroupOffsets, findGroupCoordinator } from "@/server/kafka/group-requests";
import { withPool } from "@/server/kafka/pool";
import { eventually, startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { kafkaTool } from "../helpers/kafka-configs";
import { call, serveThroughRoutes } from "../helpers/routes";

// Every reset mode, applied by Quorum's route to one copy of a group and by Kafka's own
// kafka-consumer-groups (ConsumerGroupCommand from .cache/kafka/libs, with the arguments of the
// command Quorum shows) to an identical copy: the committed offsets must be equal, and a kafkajs
// consumer in Quorum's copy must resume exactly there.

const local = { cluster: "local" };
const PER_PARTITION = 30;

/** Kafka's ConsumerGroupCommand with these arguments; its stdout. */
const consumerGroups = (args: string[]) =>
  kafkaTool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", args);

/** The words of a command line Quorum shows (bare words and single-quoted ones, as lib/shell-quote writes them). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : (m[2] as string));
  return out;
}

/** Quorum's command for its group, made to run for `group` with --execute: the arguments after the program's name. */
function cliArgs(command: string, from: string, to: string): string[] {
  const [program, ...args] = words(command);
  expect(program).toBe("kafka-consumer-groups.sh");
  return args.map((a, i) => (args[i - 1] === "--group" && a === from ? to : a === "--dry-run" ? "--execute" : a));
}

describe("consumer-group actions against Kafka's own tool", () => {
  let tc: TestCluster;
  let kafka: Kafka;
  let admin: Admin;
  let service: ClusterService;
  let history: HistoryStore;
  const consumers: Consumer[] = [];
  const topic = uniqueName("reset");
  const other = uniqueName("reset-b");
  const base = Date.now() - 3_600_000;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-groups-"));
  const historyFile = path.join(tmp, "history.sqlite");
  /** Each partition's first offset after the records deleted before the resets. */
  const logStart: Record<number, number> = { 0: 5, 1: 0, 2: 0 };

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 1 });
    service = serveThroughRoutes(tc.cluster);
    // The group actions' history in SQLite, as startQuorum keeps it.
    history = new HistoryStore(historyFile, 500);
    service.actions = history.actions;
    kafka = new Kafka({ clientId: "group-actions-test", brokers: tc.bootstrap, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: 3, replicationFactor: 1 },
        { topic: other, numPartitions: 1, replicationFactor: 1 },
      ],
      waitForLeaders: true,
    });
    const producer = kafka.producer();
    await producer.connect();
    // Message i of each partition is stamped base + i s.
    for (const t of [topic, other])
      for (const partition of t === topic ? [0, 1, 2] : [0])
        await producer.send({
          topic: t,
          messages: Array.from({ length: PER_PARTITION }, (_, i) => ({
            partition,
            value: `${partition}-${i}`,
            timestamp: String(base + i * 1000),
          })),
        });
    await producer.disconnect();
    // The log of partition 0 starts at 5: offsets before it are clamped.
    const del = await call(
      deleteRecordsRoute.POST,
      { ...local, topic },
      {
        body: { partitions: [{ partition: 0, offset: 5 }], execute: true },
      },
    );
    expect(del.status).toBe(200);
  }, 240_000);

  afterAll(async () => {
    for (const c of consumers) await c.disconnect().catch(() => {});
    await admin?.disconnect().catch(() => {});
    history?.close();
    await tc?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  /**
   * Commits the same offsets for each group, with no members: one OffsetCommit (generation -1) to
   * its coordinator, as kafka-consumer-groups does (kafkajs's setOffsets joins the group first,
   * which takes 5 s a call). Read back with kafkajs.
   */
  async function makeGroups(groups: string[], offsets: Record<string, number[]>) {
    const byTopic = new Map(
      Object.entries(offsets).map(([t, os]) => [t, os.map((o, partition) => ({ partition, offset: BigInt(o) }))]),
    );
    await withPool({ tls: null, sasl: null }, async (pool) => {
      // The first group of a fresh cluster waits for __consumer_offsets to be made and loaded.
      for (const groupId of groups)
        await eventually(`offsets of ${groupId} committed`, async () => {
          const coordinator = await findGroupCoordinator(pool, tc.bootstrap, groupId);
          const results = await commitGroupOffsets(pool, coordinator, groupId, byTopic);
          const failed = results.filter((r) => r.errorCode !== 0);
          if (failed.length > 0) throw new Error(`OffsetCommit: ${JSON.stringify(failed)}`);
          return true;
        });
    });
  }

  async function committed(groupId: string, topics: string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of await admin.fetchOffsets({ groupId, topics }))
      for (const p of t.partitions) out[`${t.topic}:${p.partition}`] = Number(p.offset);
    return out;
  }

  /** A kafkajs consumer of `groupId` on `topics`: the offset of the first message it receives per partition. */
  async function resumesAt(groupId: string, topics: string[], expected: Map<string, number>) {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 500 });
    consumers.push(consumer);
    const first = new Map<string, number>();
    await consumer.connect();
    await consumer.subscribe({ topics });
    await consumer.run({
      eachMessage: async ({ topic: t, partition, message }) => {
        const k = `${t}:${partition}`;
        if (!first.has(k)) first.set(k, Number(message.offset));
      },
    });
    try {
      await eventually(`${groupId} to receive from ${[...expected.keys()].join(", ")}`, () =>
        [...expected.keys()].every((k) => first.has(k)) ? true : undefined,
      );
      expect(Object.fromEntries(first)).toEqual(Object.fromEntries(expected));
    } finally {
      await consumer.disconnect();
    }
  }

  const initial = { [topic]: [10, 3, 20], [other]: [12] };

  const modes: { name: string; body: Record<string, unknown>; topics?: { topic: string; partitions?: number[] }[] }[] =
    [
      { name: "earliest", body: { mode: "earliest" } },
      { name: "latest", body: { mode: "latest" } },
      {
        name: "a time between messages",
        body: { mode: "timestamp", timestamp: new Date(base + 10_500).toISOString() },
      },
      { name: "a time after the last message", body: { mode: "timestamp", timestamp: base + 3_600_000 } },
      {
        name: "an absolute offset (below the log start on 0)",
        body: { mode: "offset", offset: 2 },
        topics: [{ topic, partitions: [0, 1] }],
      },
      { name: "a shift back past the log start", body: { mode: "shift", shift: -7 } },
      { name: "a shift forward past the log end", body: { mode: "shift", shift: 25 } },
      { name: "another group's offsets", body: { mode: "group" } },
    ];

  for (const m of modes) {
    it(`resets to ${m.name} exactly as kafka-consumer-groups --execute does`, async () => {
      const quorumGroup = uniqueName("q");
      const cliGroup = uniqueName("cli");
      const source = uniqueName("src");
      const scope = m.topics ?? [{ topic }, { topic: other }];
      await makeGroups([quorumGroup, cliGroup], initial);
      const body = { ...m.body, ...(m.body.mode === "group" ? { fromGroup: source } : {}), topics: scope };
      if (m.body.mode === "group") await makeGroups([source], { [topic]: [7, 19, 25], [other]: [1] });
      await eventually("the groups in Quorum's snapshot", async () => {
        const r = await call(groupRoute.GET, { ...local, group: quorumGroup }, { method: "GET" });
        return r.status === 200 ? true : undefined;
      });

      const preview = await call(resetRoute.POST, { ...local, group: quorumGroup }, { body });
      expect(preview.status).toBe(200);
      const previewed = preview.body as OffsetResetReport;
      expect(previewed.executed).toBe(false);
      expect(await committed(quorumGroup, [topic, other])).toEqual(await committed(cliGroup, [topic, other]));

      const applied = await call(
        resetRoute.POST,
        { ...local, group: quorumGroup },
        {
          body: { ...body, execute: true },
        },
      );
      expect(applied.status).toBe(200);
      const report = applied.body as OffsetResetReport;
      expect(report.executed).toBe(true);
      expect(report.partitions.map((p) => p.newOffset)).toEqual(previewed.partitions.map((p) => p.newOffset));

      // Kafka's tool, with the arguments of the command Quorum showed for the preview.
      if (m.body.mode === "group") {
        const [exportPart, importPart] = previewed.command.split(" && ") as [string, string];
        const [exportLine, file] = exportPart.split(" > ") as [string, string];
        const csv = await consumerGroups(words(exportLine).slice(1));
        const csvPath = path.join(tmp, file);
        fs.writeFileSync(csvPath, csv);
        const args = cliArgs(importPart, quorumGroup, cliGroup).map((a) => (a === file ? csvPath : a));
        await consumerGroups(args);
      } else {
        await consumerGroups(cliArgs(previewed.command, quorumGroup, cliGroup));
      }

      const ours = await committed(quorumGroup, [topic, other]);
      const theirs = await committed(cliGroup, [topic, other]);
      expect(ours).toEqual(theirs);
      for (const p of report.partitions) expect(ours[`${p.topic}:${p.partition}`]).toBe(p.newOffset);
      // Something moved, unless the mode leaves these offsets where they were.
      expect(ours).not.toEqual(
        Object.fromEntries(Object.entries(initial).flatMap(([t, os]) => os.map((o, i) => [`${t}:${i}`, o]))),
      );

      // A consumer of Quorum's copy starts exactly at its committed offsets (the new ones where reset),
      // on every partition where a message is left to read.
      const expected = new Map(
        [0, 1, 2]
          .map((p) => [`${topic}:${p}`, ours[`${topic}:${p}`] as number] as const)
          .filter(([, o]) => o < PER_PARTITION),
      );
      if (expected.size > 0) await resumesAt(quorumGroup, [topic], expected);
    }, 180_000);
  }

  it("resets a consumer-protocol (KIP-848) group once its consumer left", async () => {
    const groupId = uniqueName("kip848");
    // Kafka's console consumer with group.protocol=consumer reads 7 messages of partition 1, commits and leaves.
    await kafkaTool("org.apache.kafka.tools.consumer.ConsoleConsumer", [
      "--bootstrap-server",
      tc.bootstrap.join(","),
      "--topic",
      other,
      "--group",
      groupId,
      "--from-beginning",
      "--max-messages",
      "7",
      "--timeout-ms",
      "60000",
      "--consumer-property",
      "group.protocol=consumer",
    ]);
    const detail = await eventually("the group in Quorum's snapshot", async () => {
      const r = await call(groupRoute.GET, { ...local, group: groupId }, { method: "GET" });
      const g = r.body as { type?: string; members?: unknown[]; offsets?: { committedOffset: number | null }[] };
      return r.status === 200 && g.members?.length === 0 && g.offsets?.[0]?.committedOffset !== null ? g : undefined;
    });
    expect(detail.type).toBe("consumer");
    const r = await call(
      resetRoute.POST,
      { ...local, group: groupId },
      {
        body: { topics: [{ topic: other }], mode: "shift", shift: -3, execute: true },
      },
    );
    expect(r.status).toBe(200);
    const before = (detail.offsets?.[0]?.committedOffset ?? 0) as number;
    expect(before).toBeGreaterThanOrEqual(7);
    expect(await committed(groupId, [other])).toEqual({ [`${other}:0`]: before - 3 });
  }, 120_000);

  it("clamps and says so in the preview", async () => {
    const groupId = uniqueName("clamp");
    await makeGroups([groupId], initial);
    await eventually("the group in Quorum's snapshot", async () =>
      (await call(groupRoute.GET, { ...local, group: groupId }, { method: "GET" })).status === 200 ? true : undefined,
    );
    const r = await call(
      resetRoute.POST,
      { ...local, group: groupId },
      {
        body: { topics: [{ topic, partitions: [0] }], mode: "offset", offset: 1 },
      },
    );
    expect(r.body).toMatchObject({
      partitions: [{ partition: 0, requestedOffset: 1, newOffset: logStart[0], clamped: "log-start" }],
    });
  }, 60_000);

  describe("a group with an active member", () => {
    it("refuses reset and delete with 409 naming the member, and changes nothing", async () => {
      const groupId = uniqueName("active");
      await makeGroups([groupId], initial);
      const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 500 });
      consumers.push(consumer);
      let joined = false;
      consumer.on(consumer.events.GROUP_JOIN, () => {
        joined = true;
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [other] });
      await consumer.run({ eachMessage: async () => {} });
      await eventually("the consumer to join", () => (joined ? true : undefined));
      await eventually("the member in Quorum's snapshot", async () => {
        const r = await call(groupRoute.GET, { ...local, group: groupId }, { method: "GET" });
        return (r.body as { members?: unknown[] }).members?.length ? true : undefined;
      });
      const before = await committed(groupId, [topic]);

      const reset = await call(
        resetRoute.POST,
        { ...local, group: groupId },
        {
          body: { topics: [{ topic }], mode: "earliest", execute: true },
        },
      );
      expect(reset.status).toBe(409);
      expect(reset.body).toMatchObject({
        error: { code: "conflict", message: expect.stringContaining("group-actions-test") },
      });
      const del = await call(groupRoute.DELETE, { ...local, group: groupId }, { method: "DELETE" });
      expect(del.status).toBe(409);
      expect(JSON.stringify(del.body)).toContain("group-actions-test");
      expect(await committed(groupId, [topic])).toEqual(before);

      // Once it is empty, delete works; Kafka no longer lists it.
      await consumer.disconnect();
      await eventually(
        "the group to be empty",
        async () => {
          const r = await call(groupRoute.DELETE, { ...local, group: groupId }, { method: "DELETE" });
          return r.status === 200 ? r : undefined;
        },
        30_000,
      );
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
      expect(groups).not.toContain(groupId);
    }, 120_000);
  });

  it("deletes a group's offsets of one topic (OffsetDelete)", async () => {
    const groupId = uniqueName("offdel");
    await makeGroups([groupId], initial);
    await eventually("the group in Quorum's snapshot", async () =>
      (await call(groupRoute.GET, { ...local, group: groupId }, { method: "GET" })).status === 200 ? true : undefined,
    );
    const r = await call(offsetsRoute.DELETE, { ...local, group: groupId, topic: other }, { method: "DELETE" });
    expect(r).toMatchObject({ status: 200, body: { topic: other, partitions: [0] } });
    const left = await committed(groupId, [topic, other]);
    expect(left[`${other}:0`]).toBe(-1);
    expect(left[`${topic}:0`]).toBe(10);
  }, 60_000);

  it("reads the lag in time of a group stopped for 30 s while a producer writes steadily as 30 s ± 3 s", async () => {
    const t = uniqueName("lag-time");
    const groupId = uniqueName("lag-time-group");
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    let n = 0;
    const writing = setInterval(() => {
      void producer.send({ topic: t, messages: [{ value: `m${n++}` }] }).catch(() => {});
    }, 100);
    try {
      const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, sessionTimeout: 6000, heartbeatInterval: 500 });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topics: [t] });
      await consumer.run({ autoCommitInterval: 100, eachMessage: async () => {} });
      // Keeping up: its lag in messages stays small.
      await eventually("the consumer to keep up", async () => {
        const r = await call(groupRoute.GET, { ...local, group: groupId }, { method: "GET" });
        const g = r.body as { offsets?: { lag: number | null }[]; members?: unknown[] };
        const lags = g.offsets?.map((o) => o.lag) ?? [];
        return g.members?.length && lags.length === 2 && lags.every((l) => l !== null && l <= 3) ? true : undefined;
      });
      await consumer.disconnect();
      const stoppedAt = Date.now();
      await new Promise((r) => setTimeout(r, 30_000 - (Date.now() - stoppedAt)));
      const r = await call(groupRoute.GET, { ...local, group: groupId }, { method: "GET" });
      const g = r.body as { maxLagMs: number | null; offsets: { lag: number; lagMs: number | null }[] };
      console.info(`lag in time 30 s after the stop: ${g.offsets.map((o) => o.lagMs).join(", ")} ms`);
      expect(g.offsets.every((o) => o.lag > 100)).toBe(true);
      expect(g.maxLagMs).toBeGreaterThanOrEqual(27_000);
      expect(g.maxLagMs).toBeLessThanOrEqual(33_000);
      for (const o of g.offsets) expect(Math.abs((o.lagMs ?? 0) - 30_000)).toBeLessThanOrEqual(3_000);
    } finally {
      clearInterval(writing);
      await producer.disconnect();
    }
  }, 120_000);

  it("deleted records before offset 5 of partition 0: the log starts there", async () => {
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.find((o) => o.partition === 0)?.low).toBe("5");
    expect(offsets.find((o) => o.partition === 1)?.low).toBe("0");
  });

  it.each([
    ["an unknown group", "nope-group", { topics: [{ topic: "T" }], mode: "earliest" }, 404, "group_not_found"],
    ["an unknown topic", "G", { topics: [{ topic: "no-such-topic" }], mode: "earliest" }, 404, "topic_not_found"],
    [
      "an unknown partition",
      "G",
      { topics: [{ topic: "T", partitions: [9] }], mode: "earliest" },
      400,
      "validation_failed",
    ],
    ["an offset below 0", "G", { topics: [{ topic: "T" }], mode: "offset", offset: -1 }, 400, "validation_failed"],
    [
      "an unparseable timestamp",
      "G",
      { topics: [{ topic: "T" }], mode: "timestamp", timestamp: "last tuesday" },
      400,
      "validation_failed",
    ],
    [
      "a shift that is not an integer",
      "G",
      { topics: [{ topic: "T" }], mode: "shift", shift: 2.5 },
      400,
      "validation_failed",
    ],
  ])(
    "answers %s with 4xx and a message, changing nothing",
    async (_what, g, body, status, code) => {
      const groupId = uniqueName("bad");
      await makeGroups([groupId], initial);
      await eventually("the group in Quorum's snapshot", async () =>
        (await call(groupRoute.GET, { ...local, group: groupId }, { method: "GET" })).status === 200 ? true : undefined,
      );
      const json = JSON.parse(JSON.stringify(body).replaceAll('"T"', JSON.stringify(topic)));
      const before = await committed(groupId, [topic]);
      const r = await call(
        resetRoute.POST,
        { ...local, group: g === "G" ? groupId : g },
        {
          body: { ...json, execute: true },
        },
      );
      expect(r.status).toBe(status);
      expect(r.body).toMatchObject({ error: { code, message: expect.any(String) } });
      expect(await committed(groupId, [topic])).toEqual(before);
    },
    60_000,
  );

  it("keeps the group's actions in the history database across a restart", async () => {
    const groupId = uniqueName("kept");
    await makeGroups([groupId], initial);
    await eventually("the group in Quorum's snapshot", async () =>
      (await call(groupRoute.GET, { ...local, group: groupId }, { method: "GET" })).status === 200 ? true : undefined,
    );
    const reset = await call(
      resetRoute.POST,
      { ...local, group: groupId },
      { body: { topics: [{ topic, partitions: [1] }], mode: "latest", execute: true } },
    );
    expect(reset.status).toBe(200);
    const before = await call(actionsRoute.GET, { ...local, group: groupId }, { method: "GET" });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject([
      { groupId, action: "reset-offsets", changes: [{ topic, partition: 1, from: 3, to: PER_PARTITION }] },
    ]);
    // Quorum restarts: the database is closed and opened again.
    history.close();
    history = new HistoryStore(historyFile, 500);
    service.actions = history.actions;
    const after = await call(actionsRoute.GET, { ...local, group: groupId }, { method: "GET" });
    expect(after.status).toBe(200);
    expect(after.body as GroupActionRecord[]).toEqual(before.body);
  }, 60_000);
});
