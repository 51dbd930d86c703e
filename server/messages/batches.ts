import "server-only";
import { compressionsAlgorithmsByBitmask, Reader } from "@platformatic/kafka";
import { decompress as zstdDecompress } from "fzstd";

/**
 * Kafka record batches (message format v2, KIP-98) as a Fetch answer carries them, their headers
 * read with the library's Reader, their records by a small cursor below, decompressed with the
 * library's codec table — except zstd: the library's calls
 * zlib.zstdDecompressSync, which Node 20 lacks, so zstd batches go through fzstd (pure JS).
 */

export type Codec = "none" | "gzip" | "snappy" | "lz4" | "zstd";
const CODECS: Codec[] = ["none", "gzip", "snappy", "lz4", "zstd"];

export type TimestampType = "CreateTime" | "LogAppendTime";

export interface RawRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: [key: Buffer, value: Buffer | null][];
  /** The record's encoded size in its batch (before compression), length prefix included. */
  size: number;
  /** Its batch's compression codec and timestamp type. */
  codec: Codec;
  timestampType: TimestampType;
}

export interface RecordBatch {
  baseOffset: bigint;
  lastOffset: bigint;
  codec: Codec;
  timestampType: TimestampType;
  transactional: boolean;
  /** A control batch holds a transaction marker (commit or abort), never a message. */
  control: boolean;
  producerId: bigint;
  /** Control batches: whether the marker is an abort (true) or a commit (false). */
  abortMarker: boolean;
  records: RawRecord[];
}

/** Size of the batch header from the base offset to the record count, inclusive. */
const HEADER_BYTES = 61;
const LOG_OVERHEAD = 12; // base offset (8) + batch length (4)

function decompress(codec: Codec, bitmask: number, bytes: Buffer): Buffer {
  if (codec === "zstd") {
    const out = zstdDecompress(bytes);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  }
  const algorithm = compressionsAlgorithmsByBitmask[bitmask];
  if (!algorithm) throw new Error(`unknown compression codec ${bitmask}`);
  return algorithm.decompressSync(bytes) as Buffer;
}

/**
 * The records inside a batch are read straight off the Buffer: the library's Reader returns a
 * fresh [value, length] array for every varint (eight or more per record), which a scan of a
 * million records pays for in garbage and time. Varints here are zigzag-decoded as doubles, exact
 * up to 2^53 (timestamp deltas and lengths are far below that).
 */
class RecordCursor {
  at = 0;
  constructor(readonly b: Buffer) {}

  varint(): number {
    const b = this.b;
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.at >= b.length) throw new Error("a record ends before its fields do");
      const byte = b[this.at++] as number;
      raw += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
      scale *= 128;
    }
    throw new Error("a varint runs over 10 bytes");
  }

  bytes(): Buffer | null {
    const length = this.varint();
    if (length === -1) return null;
    if (length < 0 || length > this.b.length - this.at) throw new Error(`a record field claims ${length} bytes`);
    const out = this.b.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }
}

function readRecord(
  r: RecordCursor,
  baseOffset: bigint,
  firstTimestamp: bigint,
  logAppendTime: bigint | null,
  codec: Codec,
): RawRecord {
  const start = r.at;
  const length = r.varint();
  const bodyStart = r.at;
  if (length < 0 || length > r.b.length - r.at) throw new Error(`a record claims ${length} bytes`);
  r.at++; // attributes (unused)
  const timestampDelta = r.varint();
  const offsetDelta = r.varint();
  const key = r.bytes();
  const value = r.bytes();
  const headerCount = r.varint();
  if (headerCount < 0 || headerCount > r.b.length - r.at) throw new Error(`a record claims ${headerCount} headers`);
  const headers: [Buffer, Buffer | null][] = [];
  for (let i = 0; i < headerCount; i++) {
    const hk = r.bytes();
    headers.push([hk ?? Buffer.alloc(0), r.bytes()]);
  }
  if (r.at !== bodyStart + length) throw new Error("a record's fields do not fill its declared length");
  return {
    offset: baseOffset + BigInt(offsetDelta),
    timestamp: logAppendTime ?? firstTimestamp + BigInt(timestampDelta),
    key,
    value,
    headers,
    size: r.at - start,
    codec,
    timestampType: logAppendTime === null ? "CreateTime" : "LogAppendTime",
  };
}

/**
 * The complete batches in `bytes`, in order; a batch cut short at the end (Kafka fills a Fetch up
 * to its size limit and may cut the last batch) is left out. Kafka answers from the start of the
 * batch holding the offset asked for: the caller skips the records below it.
 */
export function decodeBatches(bytes: Buffer): RecordBatch[] {
  const out: RecordBatch[] = [];
  const r = Reader.from(bytes);
  while (r.remaining >= LOG_OVERHEAD) {
    const start = r.position;
    const batchLength = r.peekInt32(start + 8);
    if (batchLength < HEADER_BYTES - LOG_OVERHEAD) throw new Error(`a record batch claims ${batchLength} bytes`);
    if (r.remaining < LOG_OVERHEAD + batchLength) break; // cut short by the size limit
    const end = start + LOG_OVERHEAD + batchLength;
    const baseOffset = r.readInt64();
    r.readInt32(); // batch length
    r.readInt32(); // partition leader epoch
    const magic = r.readInt8();
    if (magic !== 2) throw new Error(`message format v${magic} is not supported (Kafka 0.11 and later write v2)`);
    r.readUnsignedInt32(); // crc (Kafka checked it on write)
    const attributes = r.readInt16();
    const lastOffsetDelta = r.readInt32();
    const firstTimestamp = r.readInt64();
    const maxTimestamp = r.readInt64();
    const producerId = r.readInt64();
    r.readInt16(); // producer epoch
    r.readInt32(); // base sequence
    const count = r.readInt32();
    const bitmask = attributes & 0b111;
    const codec = CODECS[bitmask];
    if (!codec) throw new Error(`unknown compression codec ${bitmask}`);
    const logAppend = (attributes & 0b1000) !== 0;
    const batch: RecordBatch = {
      baseOffset,
      lastOffset: baseOffset + BigInt(lastOffsetDelta),
      codec,
      timestampType: logAppend ? "LogAppendTime" : "CreateTime",
      transactional: (attributes & 0b1_0000) !== 0,
      control: (attributes & 0b10_0000) !== 0,
      producerId,
      abortMarker: false,
      records: [],
    };
    if (count < 0 || count > batchLength) throw new Error(`a record batch claims ${count} records`);
    const body = bytes.subarray(r.position, end);
    const rr = new RecordCursor(codec === "none" ? body : decompress(codec, bitmask, body));
    for (let i = 0; i < count; i++)
      batch.records.push(readRecord(rr, baseOffset, firstTimestamp, logAppend ? maxTimestamp : null, codec));
    if (rr.at !== rr.b.length)
      throw new Error(`${rr.b.length - rr.at} bytes left over after a batch's ${count} records`);
    if (batch.control) {
      // A control record's key: version (int16), type (int16): 0 abort, 1 commit.
      const key = batch.records[0]?.key;
      batch.abortMarker = key !== null && key !== undefined && key.length >= 4 && key.readInt16BE(2) === 0;
    }
    r.position = end;
    out.push(batch);
  }
  return out;
}

/**
 * The records a consumer would be given, in offset order: control batches never; under
 * read_committed also not the batches of aborted transactions, found as Kafka's Java consumer does
 * from the Fetch answer's aborted transactions (a producer's batches are aborted from the first
 * offset listed for it until its abort marker).
 */
export function visibleRecords(
  batches: RecordBatch[],
  readCommitted: boolean,
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[],
): RawRecord[] {
  const pending = [...abortedTransactions].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
  const aborted = new Set<bigint>();
  const out: RawRecord[] = [];
  for (const b of batches) {
    if (readCommitted && b.producerId >= 0n) {
      while (pending.length > 0 && (pending[0] as { firstOffset: bigint }).firstOffset <= b.lastOffset) {
        aborted.add((pending.shift() as { producerId: bigint }).producerId);
      }
      if (b.control && b.abortMarker) aborted.delete(b.producerId);
      else if (b.transactional && aborted.has(b.producerId)) continue;
    }
    if (b.control) continue;
    for (const rec of b.records) out.push(rec);
  }
  return out;
}
