import "server-only";
import type { KafkaGateway } from "../clusters/gateway";
import { KafkaError } from "../kafka/error-codes";
import type { Isolation } from "../kafka/message-requests";
import { decodeBatches, type RawRecord, visibleRecords } from "./batches";

/**
 * Reading one partition from its leader with Fetch, as a consumer outside any group would: no
 * group, no commit, nothing Kafka keeps about the reader. `readRecords` is an async iterator over
 * an offset range, one array per Fetch, that stops at the range's end, when the log has no more,
 * or when `signal` aborts — a page and a long scan (with its own budget) both stand on it.
 */

export interface PartitionSource {
  topic: string;
  partition: number;
  /** The partition leader's "host:port". */
  broker: string;
  isolation: Isolation;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Per Fetch. */
  timeoutMs: number;
  /** The Fetch size limit to start with (doubled, up to 32 MiB, when one batch is larger). */
  maxBytes?: number;
  /** Double the Fetch size after each answer, up to 1 MiB: start small, speed up on long reads. */
  grow?: boolean;
}

const DEFAULT_FETCH_BYTES = 1024 * 1024;
const MAX_FETCH_BYTES = 32 * 1024 * 1024;

/** The visible records of [from, to) in offset order, one array per Fetch answer. */
export async function* readRecords(
  gateway: Pick<KafkaGateway, "fetchPartition">,
  src: PartitionSource,
  from: bigint,
  to: bigint,
  opts: ReadOptions,
): AsyncGenerator<RawRecord[]> {
  let position = from;
  let maxBytes = opts.maxBytes ?? DEFAULT_FETCH_BYTES;
  while (position < to) {
    opts.signal?.throwIfAborted();
    const answer = await gateway.fetchPartition(
      src.broker,
      { topic: src.topic, partition: src.partition, offset: position, isolation: src.isolation, maxBytes },
      opts.timeoutMs,
    );
    if (answer.errorCode !== 0)
      throw new KafkaError(answer.errorCode, null, `${src.topic} partition ${src.partition} at offset ${position}`);
    const batches = decodeBatches(answer.records);
    if (batches.length === 0) {
      // Bytes but no whole batch: one batch is larger than the limit (Kafka 4 sends it whole from
      // the second Fetch of a request on, but an older broker may cut it): ask for more.
      if (answer.records.length > 0 && maxBytes < MAX_FETCH_BYTES) {
        maxBytes *= 2;
        continue;
      }
      return; // the log has nothing more now (e.g. the end moved back after a leader change)
    }
    const visible = visibleRecords(batches, src.isolation === "read_committed", answer.abortedTransactions);
    const out = visible.filter((r) => r.offset >= position && r.offset < to);
    const after = (batches[batches.length - 1] as { lastOffset: bigint }).lastOffset + 1n;
    if (after <= position)
      throw new KafkaError(2, `${src.broker} answered a Fetch at offset ${position} with records below it only`);
    position = after;
    if (opts.grow && maxBytes < DEFAULT_FETCH_BYTES) maxBytes = Math.min(DEFAULT_FETCH_BYTES, maxBytes * 2);
    if (out.length > 0) yield out;
  }
}

/** The first `want` visible records at or after `from` (and before `to`). */
export async function readForward(
  gateway: Pick<KafkaGateway, "fetchPartition">,
  src: PartitionSource,
  from: bigint,
  to: bigint,
  want: number,
  opts: ReadOptions,
): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  if (want <= 0) return out;
  // A page needs about want records: a first Fetch no bigger than that (1 KiB each, at least 64 KiB).
  const sized = { ...opts, maxBytes: opts.maxBytes ?? Math.min(DEFAULT_FETCH_BYTES, Math.max(65_536, want * 1200)) };
  for await (const chunk of readRecords(gateway, src, from, to, sized)) {
    for (const r of chunk) {
      out.push(r);
      if (out.length >= want) return out;
    }
  }
  return out;
}

/**
 * The visible records before `to` (and at or after `logStart`), newest first, one array per window:
 * windows of `window` offsets back from `to`, doubling each time — transaction markers, aborted
 * records and compacted gaps take offsets without being records, so N offsets may hold fewer.
 * Lazy: a reader that has enough stops asking, and no window further back is read.
 */
export async function* readRecordsBackward(
  gateway: Pick<KafkaGateway, "fetchPartition">,
  src: PartitionSource,
  logStart: bigint,
  to: bigint,
  opts: ReadOptions & { window: number },
): AsyncGenerator<RawRecord[]> {
  let hi = to;
  let span = BigInt(Math.max(1, opts.window));
  while (hi > logStart) {
    const lo = hi - span > logStart ? hi - span : logStart;
    const window: RawRecord[] = [];
    for await (const chunk of readRecords(gateway, src, lo, hi, opts)) for (const r of chunk) window.push(r);
    if (window.length > 0) yield window.reverse();
    hi = lo;
    span *= 2n;
  }
}

/** The last `want` visible records before `to` (and at or after `logStart`), in offset order. */
export async function readBackward(
  gateway: Pick<KafkaGateway, "fetchPartition">,
  src: PartitionSource,
  logStart: bigint,
  to: bigint,
  want: number,
  opts: ReadOptions,
): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  if (want <= 0) return out;
  for await (const chunk of readRecordsBackward(gateway, src, logStart, to, { ...opts, window: want })) {
    for (const r of chunk) {
      out.push(r);
      if (out.length >= want) return out.reverse();
    }
  }
  return out.reverse();
}
