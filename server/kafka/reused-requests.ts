import "server-only";
import { Writer } from "@platformatic/kafka";

/** A ListOffsets request's arguments, as every version of the library's encoder takes them. */
export type ListOffsetsArgs = [
  replica: number,
  isolationLevel: number,
  topics: { name: string; partitions: { partitionIndex: number; currentLeaderEpoch: number; timestamp: bigint }[] }[],
];

/** One encoding kept: what was asked, compactly, and the request's bytes. */
interface Kept {
  replica: number;
  isolationLevel: number;
  names: string[];
  /** Per topic its partition count, then per partition its index and leader epoch. */
  ints: Int32Array;
  timestamps: BigInt64Array;
  bytes: Buffer;
}

/** How many encodings are kept per request version: two timestamps for each broker of a lab, and some room. */
export const KEPT_ENCODINGS = 8;

function keep(args: ListOffsetsArgs, bytes: Buffer): Kept {
  const [replica, isolationLevel, topics] = args;
  let partitions = 0;
  for (const t of topics) partitions += t.partitions.length;
  const ints = new Int32Array(topics.length + 2 * partitions);
  const timestamps = new BigInt64Array(partitions);
  let i = 0;
  let j = 0;
  for (const t of topics) {
    ints[i++] = t.partitions.length;
    for (const p of t.partitions) {
      ints[i++] = p.partitionIndex;
      ints[i++] = p.currentLeaderEpoch;
      timestamps[j++] = p.timestamp;
    }
  }
  return { replica, isolationLevel, names: topics.map((t) => t.name), ints, timestamps, bytes };
}

function same(kept: Kept, args: ListOffsetsArgs): boolean {
  const [replica, isolationLevel, topics] = args;
  if (kept.replica !== replica || kept.isolationLevel !== isolationLevel || kept.names.length !== topics.length)
    return false;
  let i = 0;
  let j = 0;
  for (let k = 0; k < topics.length; k++) {
    const t = topics[k] as ListOffsetsArgs[2][number];
    if (kept.names[k] !== t.name || kept.ints[i++] !== t.partitions.length) return false;
    for (const p of t.partitions) {
      if (kept.ints[i++] !== p.partitionIndex || kept.ints[i++] !== p.currentLeaderEpoch) return false;
      if (kept.timestamps[j++] !== p.timestamp) return false;
    }
  }
  return true;
}

/**
 * ListOffsets with its recent encodings reused. Each look asks every broker for the offsets of
 * the same partitions (those it leads) at the same two timestamps, until leadership or topics
 * change; the library encodes one small buffer per field, three per partition, then joins them,
 * which at 40,000 partitions was a tenth of a second per look and much of its garbage. An
 * encoding asked again, the same partitions in the same order, is sent from the bytes kept
 * (copied once more into the framed request by the connection, never changed); comparing costs
 * no allocation. The last `KEPT_ENCODINGS` encodings are kept, the least recently used dropped.
 */
export function reusingEncodings(createRequest: (...args: ListOffsetsArgs) => Writer) {
  const kept: Kept[] = [];
  return (...args: ListOffsetsArgs): Writer => {
    const at = kept.findIndex((k) => same(k, args));
    if (at >= 0) {
      const [hit] = kept.splice(at, 1) as [Kept];
      kept.unshift(hit);
      return Writer.create().append(hit.bytes);
    }
    const bytes = createRequest(...args).buffer;
    kept.unshift(keep(args, bytes));
    if (kept.length > KEPT_ENCODINGS) kept.pop();
    return Writer.create().append(bytes);
  };
}
