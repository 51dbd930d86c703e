import "server-only";
import { DELETE_GROUPS, DELETE_RECORDS, FETCH, FIND_COORDINATOR, OFFSET_COMMIT, OFFSET_DELETE } from "./apis";
import { KafkaError } from "./error-codes";
import type { KafkaPool } from "./pool";
import { WireError } from "./wire-error";

/**
 * The requests behind a consumer group's actions: FindCoordinator (the broker that owns the group),
 * OffsetCommit (reset), OffsetDelete, DeleteGroups, and DeleteRecords (sent to a partition's
 * leader). Each mutation is sent once (a timeout after the bytes went out is a WireError whose
 * outcome is unknown); per-partition error codes come back as results, for the caller to report.
 */

const SOCKET_TIMEOUT_MS = 5000;
const GROUP_KEY = 0;

const malformed = (from: string, what: string, mutation = false) =>
  new WireError(`${from} sent a malformed response: ${what}`, "protocol", { sent: true, mutation });

/** COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR: a coordinator moving or starting. */
const COORDINATOR_SETTLING = new Set([14, 15, 16]);
const COORDINATOR_TRIES = 5;
const COORDINATOR_BACKOFF_MS = 300;

/**
 * The group's coordinator as "host:port" (FindCoordinator v4+, asked of any live broker). Asked
 * again a few times (about 1.2 s in all) while Kafka answers that it is settling: on a fresh
 * cluster the first request makes __consumer_offsets, and after a failover its partitions load.
 */
export async function findGroupCoordinator(pool: KafkaPool, seeds: string[], groupId: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const { answer, from } = await pool.sendToAny(seeds, FIND_COORDINATOR, [GROUP_KEY, [groupId]], SOCKET_TIMEOUT_MS);
    const [c] = answer.coordinators;
    if (answer.coordinators.length !== 1 || !c || c.key !== groupId)
      throw malformed(
        from,
        `FindCoordinator answered ${answer.coordinators.length} coordinators, not one for "${groupId}"`,
      );
    if (c.errorCode === 0) return `${c.host}:${c.port}`;
    if (!COORDINATOR_SETTLING.has(c.errorCode) || attempt >= COORDINATOR_TRIES)
      throw new KafkaError(c.errorCode, c.errorMessage ?? null, `group ${groupId}`);
    await new Promise((r) => setTimeout(r, COORDINATOR_BACKOFF_MS));
  }
}

export interface PartitionResult {
  topic: string;
  partition: number;
  errorCode: number;
}

/** Offsets to commit or delete, by topic. */
export type OffsetsByTopic = Map<string, { partition: number; offset: bigint }[]>;

/** Every partition asked about, with the error code Kafka answered for it (one it left out is a malformed answer). */
function resultsFor(
  from: string,
  request: string,
  asked: Map<string, number[]>,
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[],
): PartitionResult[] {
  const answered = new Map<string, number>();
  for (const t of topics) for (const p of t.partitions) answered.set(`${t.name}\u0000${p.partitionIndex}`, p.errorCode);
  const out: PartitionResult[] = [];
  for (const [topic, partitions] of asked)
    for (const partition of partitions) {
      const errorCode = answered.get(`${topic}\u0000${partition}`);
      if (errorCode === undefined) throw malformed(from, `${request} did not answer about ${topic}-${partition}`, true);
      out.push({ topic, partition, errorCode });
    }
  return out;
}

/**
 * OffsetCommit for a group with no members, as kafka-consumer-groups --reset-offsets --execute
 * sends it: generation -1, member id "", no instance id, leader epoch unknown (-1).
 */
export async function commitGroupOffsets(
  pool: KafkaPool,
  coordinator: string,
  groupId: string,
  offsets: OffsetsByTopic,
): Promise<PartitionResult[]> {
  const topics = [...offsets].map(([name, ps]) => ({
    name,
    partitions: ps.map((p) => ({
      partitionIndex: p.partition,
      committedOffset: p.offset,
      committedLeaderEpoch: -1,
      committedMetadata: "",
    })),
  }));
  const answer = await pool.send(coordinator, OFFSET_COMMIT, [groupId, -1, "", null, topics], SOCKET_TIMEOUT_MS, {
    mutation: true,
  });
  const asked = new Map([...offsets].map(([t, ps]) => [t, ps.map((p) => p.partition)]));
  return resultsFor(coordinator, "OffsetCommit", asked, answer.topics);
}

/** OffsetDelete: forgets the group's committed offsets of these partitions (refused per partition while the group consumes the topic). */
export async function deleteGroupOffsets(
  pool: KafkaPool,
  coordinator: string,
  groupId: string,
  topic: string,
  partitions: number[],
): Promise<PartitionResult[]> {
  const answer = await pool.send(
    coordinator,
    OFFSET_DELETE,
    [groupId, [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex })) }]],
    SOCKET_TIMEOUT_MS,
    { mutation: true },
  );
  if (answer.errorCode !== 0) throw new KafkaError(answer.errorCode, null, `group ${groupId}`);
  return resultsFor(coordinator, "OffsetDelete", new Map([[topic, partitions]]), answer.topics);
}

/** DeleteGroups for one group; a refusal (NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND, …) is a KafkaError. */
export async function deleteGroup(pool: KafkaPool, coordinator: string, groupId: string): Promise<void> {
  const answer = await pool.send(coordinator, DELETE_GROUPS, [[groupId]], SOCKET_TIMEOUT_MS, { mutation: true });
  const [r] = answer.results;
  if (answer.results.length !== 1 || !r || r.groupId !== groupId)
    throw malformed(
      coordinator,
      `DeleteGroups answered ${answer.results.length} results, not one for "${groupId}"`,
      true,
    );
  if (r.errorCode !== 0) throw new KafkaError(r.errorCode, null, `group ${groupId}`);
}

export interface DeleteRecordsResult extends PartitionResult {
  /** The partition's log-start offset after the deletion (-1 on error). */
  lowWatermark: number;
}

/** DeleteRecords: every record before `offset` in each partition (all led by `leader`) is deleted. */
export async function deleteRecords(
  pool: KafkaPool,
  leader: string,
  topic: string,
  partitions: { partition: number; offset: bigint }[],
  timeoutMs: number,
): Promise<DeleteRecordsResult[]> {
  const answer = await pool.send(
    leader,
    DELETE_RECORDS,
    [
      [{ name: topic, partitions: partitions.map((p) => ({ partitionIndex: p.partition, offset: p.offset })) }],
      timeoutMs,
    ],
    timeoutMs + SOCKET_TIMEOUT_MS,
    { mutation: true },
  );
  const low = new Map<number, number>();
  for (const t of answer.topics)
    for (const p of t.partitions) if (t.name === topic) low.set(p.partitionIndex, Number(p.lowWatermark));
  const results = resultsFor(
    leader,
    "DeleteRecords",
    new Map([[topic, partitions.map((p) => p.partition)]]),
    answer.topics,
  );
  return results.map((r) => ({ ...r, lowWatermark: low.get(r.partition) ?? -1 }));
}

/** A record's timestamp, and whether it is the record's own (false: its batch's first, for a compressed or cut batch). */
export interface RecordTime {
  timestamp: number;
  exact: boolean;
}

const BATCH_HEADER = 61;

/** A zigzag varint (Kafka's record fields) at `at`: its value and the position after it. */
function varlong(buf: Buffer, at: number): [value: number, next: number] {
  let raw = 0n;
  let shift = 0n;
  let i = at;
  for (;;) {
    if (i >= buf.length) throw new Error("a varint runs past the records");
    const b = buf[i++] as number;
    raw |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7n;
    if (shift > 63n) throw new Error("a varint is too long");
  }
  return [Number((raw >> 1n) ^ -(raw & 1n)), i];
}

/**
 * The timestamp of the record at `offset` in Fetch's record bytes (batches of format v2, the first
 * one holding the offset). A batch stamped at log-append time gives its max timestamp (every record
 * has it); an uncompressed batch, the record's own; a compressed one or one cut short by the size
 * limit, the batch's first timestamp (never later than the record's). Null when no batch holds it.
 */
export function recordTimestampAt(records: Buffer, offset: bigint): RecordTime | null {
  let at = 0;
  while (records.length - at >= BATCH_HEADER) {
    const baseOffset = records.readBigInt64BE(at);
    const length = records.readInt32BE(at + 8);
    const end = at + 12 + length;
    const magic = records.readInt8(at + 16);
    const attributes = records.readInt16BE(at + 21);
    const lastOffsetDelta = records.readInt32BE(at + 23);
    const baseTimestamp = Number(records.readBigInt64BE(at + 27));
    const maxTimestamp = Number(records.readBigInt64BE(at + 35));
    const count = records.readInt32BE(at + 57);
    if (magic !== 2) return null;
    if (baseOffset + BigInt(lastOffsetDelta) < offset) {
      at = end;
      continue;
    }
    if (attributes & 0x08) return { timestamp: maxTimestamp, exact: true }; // LogAppendTime
    if ((attributes & 0x07) !== 0 || end > records.length) return { timestamp: baseTimestamp, exact: false };
    let p = at + BATCH_HEADER;
    for (let i = 0; i < count && p < end; i++) {
      const [size, body] = varlong(records, p);
      const [timestampDelta, afterTs] = varlong(records, body + 1); // after the attributes byte
      const [offsetDelta] = varlong(records, afterTs);
      if (baseOffset + BigInt(offsetDelta) >= offset) return { timestamp: baseTimestamp + timestampDelta, exact: true };
      p = body + size;
    }
    return { timestamp: baseTimestamp, exact: false };
  }
  return null;
}

/** How much Fetch may answer: per partition, and in all (the first partition gets at least one whole batch). */
const HEAD_PARTITION_BYTES = 16 * 1024;
const HEAD_TOTAL_BYTES = 1024 * 1024;

/**
 * One Fetch to `leader` for the record at each given offset: its timestamp per "topic\0partition"
 * (absent when the partition answered an error or no batch holds the offset).
 */
export async function fetchRecordTimes(
  pool: KafkaPool,
  leader: string,
  partitions: { topic: string; partition: number; offset: bigint }[],
  timeoutMs: number,
): Promise<Map<string, RecordTime>> {
  const byTopic = new Map<string, { partition: number; fetchOffset: bigint; partitionMaxBytes: number }[]>();
  for (const p of partitions) {
    const ask = { partition: p.partition, fetchOffset: p.offset, partitionMaxBytes: HEAD_PARTITION_BYTES };
    byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), ask]);
  }
  // No wait, no minimum, read_uncommitted: lag counts to the high watermark.
  const answer = await pool.send(leader, FETCH, [0, 0, HEAD_TOTAL_BYTES, 0, [...byTopic]], timeoutMs);
  if (answer.errorCode !== 0) throw new KafkaError(answer.errorCode, null, "Fetch");
  const asked = new Map(partitions.map((p) => [`${p.topic}\u0000${p.partition}`, p.offset]));
  const out = new Map<string, RecordTime>();
  for (const t of answer.topics)
    for (const p of t.partitions) {
      const k = `${t.topic}\u0000${p.partition}`;
      const offset = asked.get(k);
      if (offset === undefined || p.errorCode !== 0 || p.records.length === 0) continue;
      const time = recordTimestampAt(p.records, offset);
      if (time) out.set(k, time);
    }
  return out;
}
