import "server-only";
import { FETCH, type FetchedPartition, LIST_OFFSETS, PRODUCE } from "./apis";
import { KafkaCode, KafkaError } from "./error-codes";
import { fetchMetadata } from "./metadata";
import type { KafkaPool } from "./pool";
import { WireError } from "./wire-error";

/**
 * The Kafka requests behind messages, over a cluster's pool: Metadata for one topic's leaders,
 * Fetch and ListOffsets to each partition's leader, Produce to a partition's leader. The gateway
 * (server/clusters/gateway.ts) exposes them; unit tests replace them with a fake log.
 */

export type Isolation = "read_committed" | "read_uncommitted";
const isolationLevel = (i: Isolation) => (i === "read_committed" ? 1 : 0);

export interface LayoutPartition {
  partition: number;
  /** -1 when the partition has no leader now. */
  leader: number;
  /** The leader's "host:port", null without a leader. */
  leaderAddress: string | null;
}

export interface TopicLayout {
  name: string;
  internal: boolean;
  partitions: LayoutPartition[];
}

/** The topic's partitions and their leaders from a fresh Metadata answer; null when Kafka knows no such topic. */
export async function topicLayout(
  pool: KafkaPool,
  seeds: string[],
  topic: string,
  timeoutMs: number,
): Promise<TopicLayout | null> {
  const md = await fetchMetadata(pool, seeds, timeoutMs, [topic]);
  const t = md.topics.find((x) => x.name === topic);
  if (!t || t.errorCode === KafkaCode.UNKNOWN_TOPIC_OR_PARTITION) return null;
  if (t.errorCode !== 0) throw new KafkaError(t.errorCode, null, topic);
  const address = new Map(
    md.brokers.map((b) => [b.nodeId, `${b.host.includes(":") ? `[${b.host}]` : b.host}:${b.port}`]),
  );
  return {
    name: t.name,
    internal: t.internal,
    partitions: t.partitions.map((p) => ({
      partition: p.partition,
      leader: p.leader,
      leaderAddress: p.leader >= 0 ? (address.get(p.leader) ?? null) : null,
    })),
  };
}

export interface FetchAsk {
  topic: string;
  partition: number;
  offset: bigint;
  isolation: Isolation;
  maxBytes: number;
}

/** One Fetch of one partition from its leader, answering at once with what there is (max wait 0). */
export async function fetchPartition(
  pool: KafkaPool,
  broker: string,
  ask: FetchAsk,
  timeoutMs: number,
): Promise<FetchedPartition> {
  const answer = await pool.send(
    broker,
    FETCH,
    [
      0,
      1,
      ask.maxBytes,
      isolationLevel(ask.isolation),
      [[ask.topic, [{ partition: ask.partition, fetchOffset: ask.offset, partitionMaxBytes: ask.maxBytes }]]],
    ],
    timeoutMs,
  );
  if (answer.errorCode !== 0) throw new KafkaError(answer.errorCode, null, `Fetch ${ask.topic}`);
  const p = answer.topics.find((t) => t.topic === ask.topic)?.partitions.find((x) => x.partition === ask.partition);
  if (!p)
    throw new WireError(
      `${broker} sent a malformed response: Fetch did not name ${ask.topic}-${ask.partition}`,
      "protocol",
      {
        sent: true,
      },
    );
  return p;
}

export interface OffsetAt {
  partition: number;
  errorCode: number;
  /** -1 when no record has a timestamp at or after the one asked about. */
  offset: bigint;
  /** The timestamp of the record found (ListOffsets by time), -1 otherwise. */
  timestamp: bigint;
}

/**
 * ListOffsets for partitions of `topic` led by `broker`, at one timestamp: -2 the log start, -1 the
 * end (the last stable offset under read_committed, else the high watermark), or a time in ms (the
 * first offset whose timestamp is at or after it).
 */
export async function offsetsAt(
  pool: KafkaPool,
  broker: string,
  topic: string,
  partitions: number[],
  timestamp: bigint,
  isolation: Isolation,
  timeoutMs: number,
): Promise<OffsetAt[]> {
  const topics = [
    {
      name: topic,
      partitions: partitions.map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp })),
    },
  ];
  const answer = await pool.send(broker, LIST_OFFSETS, [-1, isolationLevel(isolation), topics], timeoutMs);
  const out = (answer.topics.find((t) => t.name === topic)?.partitions ?? []).map((p) => ({
    partition: p.partitionIndex,
    errorCode: p.errorCode,
    offset: p.offset,
    timestamp: p.timestamp,
  }));
  for (const asked of partitions)
    if (!out.some((o) => o.partition === asked))
      throw new WireError(
        `${broker} sent a malformed response: ListOffsets did not name ${topic}-${asked}`,
        "protocol",
        {
          sent: true,
        },
      );
  return out;
}

export interface ProduceRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, Buffer | null][];
}

export interface ProduceAnswer {
  errorCode: number;
  errorMessage: string | null;
  /** The offset Kafka gave the record; -1 with acks=0 (no answer). */
  offset: bigint;
  /** LogAppendTime topics: the time the broker stamped; -1 otherwise. */
  logAppendTime: bigint;
}

/** Produce one record (one uncompressed batch) to `partition`'s leader; acks 0 gets no answer, so no offset. */
export async function produceRecord(
  pool: KafkaPool,
  broker: string,
  topic: string,
  partition: number,
  record: ProduceRecord,
  acks: -1 | 0 | 1,
  timeoutMs: number,
): Promise<ProduceAnswer> {
  const headers = new Map<Buffer, Buffer | null>(record.headers.map(([k, v]) => [Buffer.from(k, "utf8"), v]));
  // The library's types want a value and header values; its encoder writes null as Kafka's null
  // (length -1) all the same: a tombstone, a header without a value.
  const message = {
    topic,
    partition,
    key: record.key ?? undefined,
    value: record.value as Buffer,
    headers: headers as Map<Buffer, Buffer>,
  };
  const answer: unknown = await pool.send(
    broker,
    PRODUCE,
    [acks, Math.max(1000, timeoutMs - 500), [message]],
    timeoutMs,
    {
      mutation: true,
    },
  );
  if (acks === 0) return { errorCode: 0, errorMessage: null, offset: -1n, logAppendTime: -1n };
  const parsed = answer as Awaited<ReturnType<(typeof PRODUCE.versions)[number]["async"]>>;
  const p = parsed.responses.find((t) => t.name === topic)?.partitionResponses.find((x) => x.index === partition);
  if (!p)
    throw new WireError(`${broker} sent a malformed response: Produce did not name ${topic}-${partition}`, "protocol", {
      sent: true,
      mutation: true,
    });
  return {
    errorCode: p.errorCode,
    errorMessage: p.errorMessage ?? null,
    offset: p.baseOffset,
    logAppendTime: p.logAppendTimeMs,
  };
}
