import "server-only";
import type { MessagesQuery } from "@/lib/schemas/messages";
import type { MessagePage, MessagePagePartition } from "@/lib/types";
import type { ClusterContext } from "../clusters/context";
import { AppError } from "../errors";
import { KafkaError } from "../kafka/error-codes";
import type { Isolation, LayoutPartition, TopicLayout } from "../kafka/message-requests";
import { toMessage } from "./decode";
import { type PartitionSource, readRecords, readRecordsBackward } from "./reader";
import {
  type Cursor,
  type Direction,
  decodeCursor,
  encodeCursor,
  mergeStreams,
  type PartitionStream,
  pagePositions,
} from "./seek";

/** Per Kafka request while browsing. */
const TIMEOUT_MS = 5000;
/** Partitions read at once for a page over all of them. */
const CONCURRENCY = 8;

/** The topic's layout, or 404 `topic_not_found`. */
export async function requireLayout(ctx: Pick<ClusterContext, "id" | "gateway" | "read">, topic: string) {
  const layout = await ctx.gateway.topicLayout(ctx.read.seeds(), topic, TIMEOUT_MS);
  if (!layout) throw new AppError("topic_not_found", `No topic "${topic}" in cluster "${ctx.id}"`);
  return layout;
}

/** The named partition, or 400 naming the field `partition`. */
export function requirePartition(layout: TopicLayout, partition: number): LayoutPartition {
  const p = layout.partitions.find((x) => x.partition === partition);
  if (!p) {
    const n = layout.partitions.length;
    throw new AppError(
      "validation_failed",
      `partition: ${layout.name} has ${n} partition${n === 1 ? "" : "s"} (0–${n - 1}): there is no partition ${partition}`,
      { field: "partition" },
    );
  }
  return p;
}

interface Bounds {
  logStart: bigint;
  end: bigint;
}

/** ListOffsets at `timestamp` for each partition, one request per leader. */
async function offsetsByLeader(
  ctx: Pick<ClusterContext, "gateway">,
  topic: string,
  partitions: LayoutPartition[],
  timestamp: bigint,
  isolation: Isolation,
): Promise<Map<number, { offset: bigint; timestamp: bigint }>> {
  const byLeader = new Map<string, number[]>();
  for (const p of partitions) {
    const list = byLeader.get(p.leaderAddress as string) ?? [];
    list.push(p.partition);
    byLeader.set(p.leaderAddress as string, list);
  }
  const out = new Map<number, { offset: bigint; timestamp: bigint }>();
  await Promise.all(
    [...byLeader].map(async ([broker, ps]) => {
      for (const o of await ctx.gateway.offsetsAt(broker, topic, ps, timestamp, isolation, TIMEOUT_MS)) {
        if (o.errorCode !== 0) throw new KafkaError(o.errorCode, null, `${topic} partition ${o.partition}`);
        out.set(o.partition, { offset: o.offset, timestamp: o.timestamp });
      }
    }),
  );
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One page of a topic's messages (GET …/messages): newest N, oldest N, from an offset or a time,
 * or from a cursor, on one partition or all of them merged by timestamp. Reads each partition from
 * its leader with Fetch outside any consumer group; nothing is committed or kept by Kafka.
 */
export async function browseMessages(
  ctx: Pick<ClusterContext, "id" | "gateway" | "read">,
  topic: string,
  q: MessagesQuery,
  signal?: AbortSignal,
): Promise<MessagePage> {
  const layout = await requireLayout(ctx, topic);
  const cursor: Cursor | null = q.cursor !== undefined ? decodeCursor(q.cursor, topic) : null;
  const notices: string[] = [];

  let chosen: LayoutPartition[];
  if (cursor) {
    for (const p of cursor.positions.keys()) requirePartition(layout, p);
    if (q.partition !== undefined && (cursor.positions.size !== 1 || !cursor.positions.has(q.partition)))
      throw new AppError("validation_failed", "cursor: made for other partitions than partition", { field: "cursor" });
    chosen = layout.partitions.filter((p) => cursor.positions.has(p.partition));
  } else if (q.partition !== undefined) chosen = [requirePartition(layout, q.partition)];
  else chosen = layout.partitions;

  const leaderless = chosen.filter((p) => p.leaderAddress === null);
  if (leaderless.length === chosen.length && chosen.length > 0)
    throw new AppError(
      "cluster_unavailable",
      `${topic}: ${chosen.length === 1 ? `partition ${chosen[0]?.partition} has` : "no partition has"} a leader now, so nothing can be read`,
    );
  for (const p of leaderless) notices.push(`Partition ${p.partition} has no leader now: it is left out.`);
  const live = chosen.filter((p) => p.leaderAddress !== null);

  const [starts, ends] = await Promise.all([
    offsetsByLeader(ctx, topic, live, -2n, q.isolation),
    offsetsByLeader(ctx, topic, live, -1n, q.isolation),
  ]);
  const bounds = new Map<number, Bounds>(
    live.map((p) => [
      p.partition,
      { logStart: starts.get(p.partition)?.offset ?? 0n, end: ends.get(p.partition)?.offset ?? 0n },
    ]),
  );
  const endWord = q.isolation === "read_committed" ? "last stable offset" : "end";

  // Where each partition starts, and in which direction the page reads.
  let direction: Direction;
  const start = new Map<number, bigint>();
  if (cursor) {
    direction = cursor.direction;
    for (const p of live) {
      const b = bounds.get(p.partition) as Bounds;
      let at = cursor.positions.get(p.partition) as bigint;
      if (at < b.logStart) {
        notices.push(
          `Partition ${p.partition}: offsets before ${b.logStart} were deleted (retention or compaction) since the page this cursor came from; reading from ${b.logStart}.`,
        );
        at = b.logStart;
      } else if (at > b.end) at = b.end; // the end moved back (a leader change): nothing is lost
      start.set(p.partition, at);
    }
  } else if (q.seek === "newest") {
    direction = "backward";
    for (const p of live) start.set(p.partition, (bounds.get(p.partition) as Bounds).end);
  } else if (q.seek === "oldest") {
    direction = "forward";
    for (const p of live) start.set(p.partition, (bounds.get(p.partition) as Bounds).logStart);
  } else if (q.seek === "offset") {
    direction = "forward";
    const asked = q.offset as bigint;
    for (const p of live) {
      const b = bounds.get(p.partition) as Bounds;
      if (asked < b.logStart) {
        notices.push(
          b.logStart === b.end
            ? `Partition ${p.partition}: offset ${asked} is before the log start ${b.logStart}: its records were deleted (retention or compaction) and the partition holds none now.`
            : `Partition ${p.partition}: offset ${asked} is before the log start ${b.logStart}: records below it were deleted (retention or compaction); reading from ${b.logStart}.`,
        );
        start.set(p.partition, b.logStart);
      } else if (asked > b.end) {
        notices.push(
          `Partition ${p.partition}: offset ${asked} is past the ${endWord} ${b.end}: no message has that offset yet (the next one written gets ${b.end}${q.isolation === "read_committed" && b.end !== asked ? ", once its transaction, if any, commits" : ""}).`,
        );
        start.set(p.partition, b.end);
      } else start.set(p.partition, asked);
    }
  } else {
    direction = "forward";
    const at = await offsetsByLeader(ctx, topic, live, BigInt(q.timestamp as number), q.isolation);
    for (const p of live) {
      const b = bounds.get(p.partition) as Bounds;
      const found = at.get(p.partition);
      if (!found || found.offset < 0n) {
        notices.push(`Partition ${p.partition}: no message has a timestamp at or after ${iso(q.timestamp as number)}.`);
        start.set(p.partition, b.end);
      } else if (found.offset < b.logStart) start.set(p.partition, b.logStart);
      else start.set(p.partition, found.offset);
    }
  }

  // One stream per partition, read lazily by the merge: a page over one partition fetches about
  // `limit` records at once; over many, each starts small (64 KiB, or a window of ~2·limit/P
  // offsets back) and reads on only while the merge takes from it.
  const single = live.length === 1;
  const streams: PartitionStream[] = live.map((p) => {
    const b = bounds.get(p.partition) as Bounds;
    const src: PartitionSource = {
      topic,
      partition: p.partition,
      broker: p.leaderAddress as string,
      isolation: q.isolation,
    };
    const at = start.get(p.partition) as bigint;
    const opts = {
      signal,
      timeoutMs: TIMEOUT_MS,
      maxBytes: single ? Math.min(1024 * 1024, Math.max(65_536, q.limit * 1200)) : 65_536,
      grow: true,
    };
    const chunks =
      direction === "forward"
        ? readRecords(ctx.gateway, src, at, b.end, opts)
        : readRecordsBackward(ctx.gateway, src, b.logStart, at, {
            ...opts,
            window: single ? q.limit : Math.max(16, Math.ceil((2 * q.limit) / live.length)),
          });
    return { partition: p.partition, chunks };
  });
  const page = await mergeStreams(streams, q.limit, direction, CONCURRENCY);
  const { next, prev } = pagePositions(start, page);

  const partitions: MessagePagePartition[] = live.map((p) => {
    const b = bounds.get(p.partition) as Bounds;
    return {
      partition: p.partition,
      leader: p.leader,
      logStartOffset: Number(b.logStart),
      endOffset: Number(b.end),
      from: Number(prev.get(p.partition)),
      to: Number(next.get(p.partition)),
    };
  });
  const newer = live.some((p) => (next.get(p.partition) as bigint) < (bounds.get(p.partition) as Bounds).end);
  const older = live.some((p) => (prev.get(p.partition) as bigint) > (bounds.get(p.partition) as Bounds).logStart);
  if (page.length === 0 && notices.length === 0) {
    if (live.every((p) => (bounds.get(p.partition) as Bounds).logStart === (bounds.get(p.partition) as Bounds).end))
      notices.push(
        `${live.length === 1 ? `Partition ${live[0]?.partition} holds` : `${topic} holds`} no messages now${q.isolation === "read_committed" ? " (below the last stable offset)" : ""}.`,
      );
    else notices.push(`No messages ${direction === "forward" ? "after" : "before"} this position.`);
  }
  const opts = { keyFormat: q.keyFormat, valueFormat: q.valueFormat, maxValueBytes: q.maxValueBytes };
  return {
    topic,
    isolation: q.isolation,
    messages: page.map(({ partition, record }) => toMessage(partition, record, opts)),
    partitions,
    nextCursor: newer ? encodeCursor({ topic, direction: "forward", positions: next }) : null,
    prevCursor: older ? encodeCursor({ topic, direction: "backward", positions: prev }) : null,
    notices,
  };
}
