// The cluster npm run bench:scale measures: its shapes, and filling one quickly over Kafka's own
// requests (topics created in batches, a few records per partition in one Produce per leader and
// chunk, committed offsets for many groups sent concurrently to their coordinators).
import { CREATE_TOPICS, FIND_COORDINATOR, PRODUCE } from "../server/kafka/apis";
import { commitGroupOffsets } from "../server/kafka/group-requests";
import { fetchMetadata } from "../server/kafka/metadata";
import type { KafkaPool } from "../server/kafka/pool";

export interface Shape {
  name: string;
  topics: number;
  partitionsPerTopic: number;
  replicationFactor: number;
  groups: number;
  brokers: number;
  /** Records produced to each partition; each group commits offset 1 on its topic's partitions. */
  recordsPerPartition: number;
  brokerHeapMb: number;
}

export const SHAPES: Record<string, Shape> = {
  "10k": {
    name: "10k",
    topics: 1000,
    partitionsPerTopic: 10,
    replicationFactor: 2,
    groups: 500,
    brokers: 3,
    recordsPerPartition: 3,
    brokerHeapMb: 768,
  },
  // The cluster Kafka UI's users reported (9k topics, 39k partitions, 2.2k groups); RF 1 because
  // this 2-core machine cannot also replicate 40,000 partitions.
  "40k": {
    name: "40k",
    topics: 4000,
    partitionsPerTopic: 10,
    replicationFactor: 1,
    groups: 2200,
    brokers: 3,
    recordsPerPartition: 3,
    brokerHeapMb: 1024,
  },
  // Six brokers: each broker keeps one open file per partition, and the machine allows 20,000.
  "100k": {
    name: "100k",
    topics: 10_000,
    partitionsPerTopic: 10,
    replicationFactor: 1,
    groups: 5000,
    brokers: 6,
    recordsPerPartition: 1,
    brokerHeapMb: 1024,
  },
};

export const topicName = (i: number) => `scale-${String(i).padStart(5, "0")}`;
export const groupName = (i: number) => `scale-group-${String(i).padStart(5, "0")}`;
/** The topic whose partitions group `g` has committed on. */
export const topicOfGroup = (shape: Shape, g: number) => (g * 7) % shape.topics;

const TIMEOUT_MS = 60_000;

async function inChunks<T>(items: T[], size: number, each: (chunk: T[]) => Promise<void>, parallel = 1): Promise<void> {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++] as T[];
        await each(chunk);
      }
    }),
  );
}

/** Creates the shape's topics (those missing), 200 per CreateTopics request. */
export async function createTopics(pool: KafkaPool, seeds: string[], shape: Shape, log: (s: string) => void) {
  const existing = new Set((await fetchMetadata(pool, seeds, TIMEOUT_MS)).topics.map((t) => t.name));
  const names = Array.from({ length: shape.topics }, (_, i) => topicName(i)).filter((n) => !existing.has(n));
  let done = 0;
  await inChunks(names, 200, async (chunk) => {
    const requests = chunk.map((name) => ({
      name,
      numPartitions: shape.partitionsPerTopic,
      replicationFactor: shape.replicationFactor,
      assignments: [],
      configs: [],
    }));
    const { answer } = await pool.sendToAny(seeds, CREATE_TOPICS, [requests, TIMEOUT_MS, false], TIMEOUT_MS, {
      mutation: true,
    });
    const failed = answer.topics.filter((t) => t.errorCode !== 0 && t.errorCode !== 36); // 36: already exists
    if (failed.length > 0) throw new Error(`CreateTopics refused ${failed[0]?.name}: error ${failed[0]?.errorCode}`);
    done += chunk.length;
    if (done % 1000 < 200) log(`  topics created: ${done} of ${names.length}`);
  });
}

/** Waits until every partition of the shape has a leader; the metadata then. */
export async function awaitLeaders(pool: KafkaPool, seeds: string[], shape: Shape) {
  const want = shape.topics * shape.partitionsPerTopic;
  for (;;) {
    const md = await fetchMetadata(pool, seeds, TIMEOUT_MS);
    const ours = md.topics.filter((t) => t.name.startsWith("scale-"));
    const led = ours.reduce((a, t) => a + t.partitions.filter((p) => p.leader >= 0).length, 0);
    if (led >= want) return md;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Produces `recordsPerPartition` small records to every partition: one Produce per leader and
 * 1,000 partitions. A broker only just named leader may still refuse (NOT_LEADER_OR_FOLLOWER while
 * it loads the new partitions): those partitions are sent again, a second later, to the leader the
 * metadata names then.
 */
export async function produceRecords(pool: KafkaPool, seeds: string[], shape: Shape) {
  const RETRIABLE = new Set([3, 5, 6]); // UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, NOT_LEADER_OR_FOLLOWER
  let todo: { topic: string; partition: number }[] | null = null;
  for (let attempt = 0; ; attempt++) {
    const md = await awaitLeaders(pool, seeds, shape);
    todo ??= md.topics
      .filter((t) => t.name.startsWith("scale-"))
      .flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition })));
    const leaderOf = new Map<string, number>();
    for (const t of md.topics) for (const p of t.partitions) leaderOf.set(`${t.name}-${p.partition}`, p.leader);
    const addr = new Map(md.brokers.map((b) => [b.nodeId, `${b.host}:${b.port}`]));
    const byLeader = new Map<number, { topic: string; partition: number }[]>();
    for (const tp of todo) {
      const leader = leaderOf.get(`${tp.topic}-${tp.partition}`) ?? -1;
      const list = byLeader.get(leader) ?? [];
      list.push(tp);
      byLeader.set(leader, list);
    }
    const again: { topic: string; partition: number }[] = [];
    await Promise.all(
      [...byLeader].map(([leader, parts]) =>
        inChunks(parts, 1000, async (chunk) => {
          const messages = chunk.flatMap(({ topic, partition }) =>
            Array.from({ length: shape.recordsPerPartition }, (_, i) => ({
              topic,
              partition,
              value: Buffer.from(`record ${i} of ${topic}-${partition}`),
              headers: new Map<Buffer, Buffer>(),
            })),
          );
          const answer = await pool.send(addr.get(leader) as string, PRODUCE, [-1, TIMEOUT_MS, messages], TIMEOUT_MS, {
            mutation: true,
          });
          for (const t of answer.responses)
            for (const p of t.partitionResponses) {
              if (p.errorCode === 0) continue;
              if (!RETRIABLE.has(p.errorCode) || attempt >= 60)
                throw new Error(`Produce to ${t.name}-${p.index}: error ${p.errorCode}`);
              again.push({ topic: t.name, partition: p.index });
            }
        }),
      ),
    );
    if (again.length === 0) return;
    todo = again;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Commits offset 1 for every group on every partition of its topic: 16 groups in flight at once. */
export async function commitGroups(pool: KafkaPool, seeds: string[], shape: Shape, log: (s: string) => void) {
  // A commit waits for __consumer_offsets' ISR: let replication of the new partitions catch up first.
  for (;;) {
    const md = await fetchMetadata(pool, seeds, TIMEOUT_MS);
    const behind = md.topics.reduce(
      (n, t) => n + t.partitions.filter((p) => p.leader < 0 || p.isr.length < p.replicas.length).length,
      0,
    );
    if (behind === 0) break;
    log(`  waiting for ${behind} partitions to be in sync`);
    await new Promise((r) => setTimeout(r, 5000));
  }
  const ids = Array.from({ length: shape.groups }, (_, g) => g);
  const coordinator = new Map<number, string>();
  await inChunks(ids, 500, async (chunk) => {
    for (let attempt = 0; ; attempt++) {
      const { answer } = await pool.sendToAny(seeds, FIND_COORDINATOR, [0, chunk.map(groupName)], TIMEOUT_MS);
      const settling = answer.coordinators.filter((c) => c.errorCode !== 0);
      for (const c of answer.coordinators)
        if (c.errorCode === 0) coordinator.set(Number(c.key.slice("scale-group-".length)), `${c.host}:${c.port}`);
      if (settling.length === 0) return;
      if (attempt > 60) throw new Error(`FindCoordinator: error ${settling[0]?.errorCode} for ${settling[0]?.key}`);
      chunk = settling.map((c) => Number(c.key.slice("scale-group-".length)));
      await new Promise((r) => setTimeout(r, 500));
    }
  });
  let done = 0;
  await inChunks(
    ids,
    1,
    async ([g = 0]) => {
      const topic = topicName(topicOfGroup(shape, g));
      const offsets = new Map([
        [topic, Array.from({ length: shape.partitionsPerTopic }, (_, partition) => ({ partition, offset: 1n }))],
      ]);
      // Committing the same offsets again is harmless: a timeout (a busy coordinator) is retried.
      let results: Awaited<ReturnType<typeof commitGroupOffsets>> = [];
      for (let attempt = 1; ; attempt++) {
        try {
          results = await commitGroupOffsets(pool, coordinator.get(g) as string, groupName(g), offsets);
          break;
        } catch (err) {
          if (attempt >= 10) throw err;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
      const bad = results.find((r) => r.errorCode !== 0);
      if (bad)
        throw new Error(`OffsetCommit of ${groupName(g)} on ${bad.topic}-${bad.partition}: error ${bad.errorCode}`);
      if (++done % 500 === 0) log(`  groups committed: ${done} of ${shape.groups}`);
    },
    16,
  );
}
