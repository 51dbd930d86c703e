import { compressionsAlgorithms, crc32c, Writer } from "@platformatic/kafka";
import type { FetchedPartition } from "@/server/kafka/apis";
import type { FetchAsk, OffsetAt, ProduceAnswer, ProduceRecord } from "@/server/kafka/message-requests";
import type { Codec } from "@/server/messages/batches";

/**
 * A fake partition log behind the FakeGateway: record batches encoded byte for byte as Kafka's
 * message format v2 (so the code under test decodes real batches), offsets assigned as a leader
 * does, transactions with commit and abort markers, a log start that retention moved, and the
 * high watermark / last stable offset a Fetch and a ListOffsets answer with.
 */

export interface FakeRecord {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: [string, Buffer | string | null][];
  timestamp: number;
}

const buf = (v: Buffer | string | null | undefined): Buffer | null =>
  v === null || v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v, "utf8");

/**
 * A zstd frame holding `data` in raw (stored) blocks: valid zstd that any decoder must read,
 * made without a zstd compressor (Node 20 has none). RFC 8878: magic, a frame header with a
 * single segment and the content size, then blocks of at most 128 KiB.
 */
export function zstdStoredFrame(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd])];
  // Frame_Header_Descriptor: Single_Segment_flag (bit 5), Frame_Content_Size_flag 3 (8 bytes).
  const fhd = Buffer.from([0b1110_0000]);
  const fcs = Buffer.alloc(8);
  fcs.writeBigUInt64LE(BigInt(data.length));
  parts.push(fhd, fcs);
  const MAX = 128 * 1024;
  let at = 0;
  do {
    const chunk = data.subarray(at, at + MAX);
    at += chunk.length;
    const last = at >= data.length ? 1 : 0;
    const header = (chunk.length << 3) | (0 << 1) | last; // Block_Type 0: Raw_Block
    parts.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]), chunk);
  } while (at < data.length);
  return Buffer.concat(parts);
}

const CODEC_BITS: Record<Codec, number> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

export interface BatchSpec {
  baseOffset: bigint;
  records: FakeRecord[];
  codec?: Codec;
  logAppendTime?: number;
  producerId?: bigint;
  transactional?: boolean;
  /** A control batch with one marker record: commit or abort. */
  marker?: "commit" | "abort";
}

/** One record batch in message format v2, as a Kafka broker stores and serves it. */
export function encodeBatch(spec: BatchSpec): Buffer {
  const records = spec.marker
    ? [
        {
          key: Buffer.from([0, 0, 0, spec.marker === "commit" ? 1 : 0]),
          value: Buffer.from([0, 0, 0, 0, 0, 0]),
          headers: [] as [string, Buffer | string | null][],
          timestamp: spec.records[0]?.timestamp ?? 0,
        },
      ]
    : spec.records;
  const first = BigInt(records[0]?.timestamp ?? 0);
  let max = first;
  const body = Writer.create();
  records.forEach((r, i) => {
    const ts = BigInt(r.timestamp);
    if (ts > max) max = ts;
    const w = Writer.create()
      .appendInt8(0)
      .appendVarInt64(ts - first)
      .appendVarInt(i)
      .appendVarIntBytes(buf(r.key))
      .appendVarIntBytes(buf(r.value))
      .appendVarInt((r.headers ?? []).length);
    for (const [k, v] of r.headers ?? []) w.appendVarIntBytes(Buffer.from(k, "utf8")).appendVarIntBytes(buf(v));
    body.appendFrom(w.prependVarIntLength());
  });
  const codec = spec.codec ?? "none";
  let payload = body.buffer;
  if (codec === "zstd") payload = zstdStoredFrame(payload);
  else if (codec !== "none") payload = compressionsAlgorithms[codec].compressSync(payload) as Buffer;
  let attributes = CODEC_BITS[codec];
  if (spec.logAppendTime !== undefined) attributes |= 0b1000;
  if (spec.transactional || spec.marker) attributes |= 0b1_0000;
  if (spec.marker) attributes |= 0b10_0000;
  const hdr = Buffer.alloc(40);
  hdr.writeInt16BE(attributes, 0);
  hdr.writeInt32BE(records.length - 1, 2);
  hdr.writeBigInt64BE(first, 6);
  hdr.writeBigInt64BE(spec.logAppendTime !== undefined ? BigInt(spec.logAppendTime) : max, 14);
  hdr.writeBigInt64BE(spec.producerId ?? -1n, 22);
  hdr.writeInt16BE(spec.producerId !== undefined ? 0 : -1, 30);
  hdr.writeInt32BE(spec.producerId !== undefined ? 0 : -1, 32);
  hdr.writeInt32BE(records.length, 36);
  const afterCrc = Buffer.concat([hdr, payload]);
  const out = Buffer.alloc(12 + 9 + afterCrc.length);
  out.writeBigInt64BE(spec.baseOffset, 0);
  out.writeInt32BE(9 + afterCrc.length, 8);
  out.writeInt32BE(0, 12); // partition leader epoch
  out.writeInt8(2, 16); // magic
  out.writeUInt32BE(crc32c(afterCrc) >>> 0, 17);
  afterCrc.copy(out, 21);
  return out;
}

interface StoredBatch {
  baseOffset: bigint;
  lastOffset: bigint;
  bytes: Buffer;
  /** Each record's offset and timestamp, for ListOffsets by time. */
  times: [offset: bigint, timestamp: bigint][];
}

interface PartitionLog {
  batches: StoredBatch[];
  next: bigint;
  logStart: bigint;
  /** Open transactions: producer id → first offset. */
  open: Map<bigint, bigint>;
  aborted: { producerId: bigint; firstOffset: bigint; lastOffset: bigint }[];
}

export class FakeMessageLog {
  private readonly logs = new Map<string, PartitionLog>();
  readonly fetches: FetchAsk[] = [];
  readonly produced: { topic: string; partition: number; record: ProduceRecord; acks: number }[] = [];

  private log(topic: string, partition: number): PartitionLog {
    const id = `${topic}-${partition}`;
    let l = this.logs.get(id);
    if (!l) {
      l = { batches: [], next: 0n, logStart: 0n, open: new Map(), aborted: [] };
      this.logs.set(id, l);
    }
    return l;
  }

  /** Appends one batch; returns its base offset. */
  append(
    topic: string,
    partition: number,
    records: FakeRecord[],
    opts: Omit<BatchSpec, "baseOffset" | "records" | "marker"> = {},
  ): bigint {
    const l = this.log(topic, partition);
    const baseOffset = l.next;
    if (opts.transactional && opts.producerId !== undefined && !l.open.has(opts.producerId))
      l.open.set(opts.producerId, baseOffset);
    this.store(l, { baseOffset, records, ...opts });
    return baseOffset;
  }

  /** Ends a producer's open transaction with its marker. */
  endTransaction(topic: string, partition: number, producerId: bigint, marker: "commit" | "abort", timestamp: number) {
    const l = this.log(topic, partition);
    const firstOffset = l.open.get(producerId);
    if (firstOffset === undefined) throw new Error("no open transaction");
    l.open.delete(producerId);
    if (marker === "abort") l.aborted.push({ producerId, firstOffset, lastOffset: l.next });
    this.store(l, { baseOffset: l.next, records: [{ value: null, timestamp }], producerId, marker });
  }

  private store(l: PartitionLog, spec: BatchSpec): void {
    const count = spec.marker ? 1 : spec.records.length;
    const bytes = encodeBatch(spec);
    const times: [bigint, bigint][] = spec.marker
      ? []
      : spec.records.map((r, i) => [spec.baseOffset + BigInt(i), BigInt(spec.logAppendTime ?? r.timestamp)]);
    l.batches.push({ baseOffset: spec.baseOffset, lastOffset: spec.baseOffset + BigInt(count - 1), bytes, times });
    l.next += BigInt(count);
  }

  /** Retention: the log now starts at `offset` (whole batches below it are gone). */
  deleteBefore(topic: string, partition: number, offset: bigint): void {
    const l = this.log(topic, partition);
    l.logStart = offset;
    l.batches = l.batches.filter((b) => b.lastOffset >= offset);
  }

  private lso(l: PartitionLog): bigint {
    let lso = l.next;
    for (const first of l.open.values()) if (first < lso) lso = first;
    return lso;
  }

  fetch(ask: FetchAsk): FetchedPartition {
    this.fetches.push(ask);
    const l = this.log(ask.topic, ask.partition);
    const lso = this.lso(l);
    const bound = ask.isolation === "read_committed" ? lso : l.next;
    const out: Buffer[] = [];
    let size = 0;
    for (const b of l.batches) {
      if (b.lastOffset < ask.offset || b.baseOffset >= bound) continue;
      if (size > 0 && size + b.bytes.length > ask.maxBytes) {
        // Kafka cuts the answer at the limit, possibly mid-batch.
        out.push(b.bytes.subarray(0, Math.max(0, ask.maxBytes - size)));
        break;
      }
      out.push(b.bytes);
      size += b.bytes.length;
    }
    const aborted =
      ask.isolation === "read_committed"
        ? l.aborted
            .filter((a) => a.lastOffset >= ask.offset && a.firstOffset < bound)
            .map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset }))
        : [];
    return {
      partition: ask.partition,
      errorCode: ask.offset < l.logStart || ask.offset > l.next ? 1 : 0,
      highWatermark: l.next,
      lastStableOffset: lso,
      logStartOffset: l.logStart,
      abortedTransactions: aborted,
      records: Buffer.concat(out),
    };
  }

  offsetsAt(topic: string, partitions: number[], timestamp: bigint, isolation: string): OffsetAt[] {
    return partitions.map((partition) => {
      const l = this.log(topic, partition);
      if (timestamp === -2n) return { partition, errorCode: 0, offset: l.logStart, timestamp: -1n };
      if (timestamp === -1n)
        return {
          partition,
          errorCode: 0,
          offset: isolation === "read_committed" ? this.lso(l) : l.next,
          timestamp: -1n,
        };
      for (const b of l.batches)
        for (const [offset, ts] of b.times)
          if (offset >= l.logStart && ts >= timestamp) return { partition, errorCode: 0, offset, timestamp: ts };
      return { partition, errorCode: 0, offset: -1n, timestamp: -1n };
    });
  }

  produce(topic: string, partition: number, record: ProduceRecord, acks: number, now: number): ProduceAnswer {
    this.produced.push({ topic, partition, record, acks });
    const offset = this.append(topic, partition, [
      { key: record.key, value: record.value, headers: record.headers, timestamp: now },
    ]);
    return { errorCode: 0, errorMessage: null, offset: acks === 0 ? -1n : offset, logAppendTime: -1n };
  }
}
