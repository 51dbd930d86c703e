import "server-only";
import { AppError } from "../errors";
import type { RawRecord } from "./batches";

/**
 * The arithmetic of a page: where each partition starts, how partitions merge by timestamp, and
 * the cursors that continue from a page without reading from the start again.
 *
 * A page reads in one direction from a position per partition: "forward" from it (oldest N, from
 * an offset or a time, the next page) or "backward" before it (newest N, the previous page). Each
 * partition gives at most N records; they merge by (timestamp, partition, offset) — a k-way merge
 * of the partitions in offset order — and the page keeps the first N (forward) or last N (backward).
 */

export type Direction = "forward" | "backward";

export interface PartitionRecord {
  partition: number;
  record: RawRecord;
}

const before = (a: PartitionRecord, b: PartitionRecord): boolean =>
  a.record.timestamp !== b.record.timestamp
    ? a.record.timestamp < b.record.timestamp
    : a.partition !== b.partition
      ? a.partition < b.partition
      : a.record.offset < b.record.offset;

/**
 * One partition's records in reading order, a chunk at a time: ascending offsets for a forward
 * page, descending for a backward one.
 */
export interface PartitionStream {
  partition: number;
  chunks: AsyncIterator<RawRecord[]>;
}

/** A stream's buffered chunk and where the merge is in it. */
class Head {
  chunk: RawRecord[] = [];
  at = 0;
  done = false;

  constructor(readonly stream: PartitionStream) {}

  get current(): PartitionRecord | undefined {
    const record = this.chunk[this.at];
    return record && { partition: this.stream.partition, record };
  }

  /** Makes `current` the next record, reading the next chunk when this one is used up. */
  async fill(): Promise<void> {
    while (this.at >= this.chunk.length && !this.done) {
      const next = await this.stream.chunks.next();
      if (next.done) this.done = true;
      else {
        this.chunk = next.value;
        this.at = 0;
      }
    }
  }
}

/**
 * The first `limit` records of the streams' k-way merge: forward, the oldest first by (timestamp,
 * partition, offset); backward, the newest first, returned oldest first. Lazy: a partition is read
 * only as far as the merge takes records from it, one chunk ahead, so a page over many partitions
 * never holds `limit` records of each. The streams are closed afterwards.
 */
export async function mergeStreams(
  streams: PartitionStream[],
  limit: number,
  direction: Direction,
  concurrency = 8,
): Promise<PartitionRecord[]> {
  const heads = streams.map((s) => new Head(s));
  const out: PartitionRecord[] = [];
  try {
    for (let i = 0; i < heads.length; i += concurrency)
      await Promise.all(heads.slice(i, i + concurrency).map((h) => h.fill()));
    while (out.length < limit) {
      let best: Head | null = null;
      let bestRecord: PartitionRecord | undefined;
      for (const h of heads) {
        const c = h.current;
        if (!c) continue;
        if (!bestRecord || (direction === "forward" ? before(c, bestRecord) : before(bestRecord, c))) {
          best = h;
          bestRecord = c;
        }
      }
      if (!best || !bestRecord) break;
      out.push(bestRecord);
      best.at++;
      await best.fill();
    }
  } finally {
    await Promise.all(streams.map((s) => s.chunks.return?.()));
  }
  return direction === "forward" ? out : out.reverse();
}

/** A cursor: a direction and a position per partition, for one topic. */
export interface Cursor {
  topic: string;
  direction: Direction;
  positions: Map<number, bigint>;
}

interface CursorJson {
  v: 1;
  t: string;
  d: "f" | "b";
  p: [number, string][];
}

export function encodeCursor(c: Cursor): string {
  const json: CursorJson = {
    v: 1,
    t: c.topic,
    d: c.direction === "forward" ? "f" : "b",
    p: [...c.positions].sort((a, b) => a[0] - b[0]).map(([p, o]) => [p, o.toString()]),
  };
  return Buffer.from(JSON.stringify(json), "utf8").toString("base64url");
}

const badCursor = (why: string) =>
  new AppError("validation_failed", `cursor: ${why}; use the nextCursor or prevCursor of an earlier answer`, {
    field: "cursor",
  });

/** A cursor from `encodeCursor`, checked: for this topic, with partitions and offsets that can be. */
export function decodeCursor(text: string, topic: string): Cursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw badCursor("not a cursor");
  }
  const c = json as Partial<CursorJson>;
  if (typeof c !== "object" || c === null || c.v !== 1 || (c.d !== "f" && c.d !== "b") || !Array.isArray(c.p))
    throw badCursor("not a cursor");
  if (c.t !== topic) throw badCursor(`made for another topic`);
  const positions = new Map<number, bigint>();
  for (const entry of c.p) {
    if (!Array.isArray(entry) || entry.length !== 2) throw badCursor("not a cursor");
    const [p, o] = entry as unknown[];
    if (typeof p !== "number" || !Number.isInteger(p) || p < 0 || typeof o !== "string" || !/^\d{1,19}$/.test(o))
      throw badCursor("not a cursor");
    positions.set(p, BigInt(o));
  }
  if (positions.size === 0) throw badCursor("names no partition");
  return { topic, direction: c.d === "f" ? "forward" : "backward", positions };
}

export interface PagePositions {
  /** Per partition: where the next (newer) page starts reading forward. */
  next: Map<number, bigint>;
  /** Per partition: where the previous (older) page ends reading backward. */
  prev: Map<number, bigint>;
}

/**
 * The cursors' positions after a page that read `direction` from `start` (per partition) and kept
 * `page` (merged, so each partition's records are in offset order). A partition with records on
 * the page continues after its last and before its first. One without stays where it was: after a
 * forward page its records from there on all sort after the page's last, after a backward page its
 * records before there all sort before the page's first.
 */
export function pagePositions(start: Map<number, bigint>, page: PartitionRecord[]): PagePositions {
  const next = new Map(start);
  const prev = new Map(start);
  const seen = new Set<number>();
  for (const { partition, record } of page) {
    if (!seen.has(partition)) {
      prev.set(partition, record.offset);
      seen.add(partition);
    }
    next.set(partition, record.offset + 1n);
  }
  return { next, prev };
}
