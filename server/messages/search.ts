import "server-only";
import type { SearchQuery } from "@/lib/schemas/messages";
import type { KafkaMessage, SearchEnd, SearchProgress } from "@/lib/types";
import type { ClusterContext } from "../clusters/context";
import { AppError } from "../errors";
import { KafkaError } from "../kafka/error-codes";
import type { LayoutPartition } from "../kafka/message-requests";
import { logger } from "../logger";
import type { RawRecord } from "./batches";
import { requireLayout, requirePartition } from "./browse";
import { toMessage } from "./decode";
import { buildFilter, type RecordFilter } from "./filter";
import { readRecords } from "./reader";

/**
 * A server-side search over a topic (GET …/messages/search): each partition is read forward from
 * where the search starts to its end as it was when the search began, outside any consumer group,
 * one Fetch answer at a time; each record is tested by the filter and dropped. Only matches are
 * decoded and sent. A budget ends it — records read, seconds spent, matches sent — as does the
 * client closing the request. Memory is one Fetch answer (≤ 1 MiB) per partition being read.
 */

const TIMEOUT_MS = 5000;
/** Partitions read at once. */
const CONCURRENCY = 4;
/** A progress event at most this often. */
const PROGRESS_MS = 250;
/** Searches running at once in this process: each holds Fetch answers and a core's time. */
export const MAX_SEARCHES = 4;

export interface SearchPartition {
  partition: number;
  broker: string;
  from: bigint;
  to: bigint;
}

export interface SearchPlan {
  /** The cluster's id, for the line logged when the search ends. */
  cluster: string;
  topic: string;
  query: SearchQuery;
  filter: RecordFilter;
  partitions: SearchPartition[];
  notices: string[];
}

export type { SearchEnd, SearchProgress } from "@/lib/types";

export interface SearchEvents {
  start(s: {
    topic: string;
    partitions: { partition: number; from: number; to: number }[];
    notices: string[];
  }): Promise<void>;
  match(m: KafkaMessage): Promise<void>;
  progress(p: SearchProgress): Promise<void>;
  done(d: SearchProgress & { reason: SearchEnd }): Promise<void>;
}

/**
 * Everything a search checks before it streams: the filter (400 for an invalid regex), the topic
 * (404), the partitions (400) and where each one starts and ends. Errors here are plain HTTP
 * answers; once the stream is open they become `error` events.
 */
export async function planSearch(
  ctx: Pick<ClusterContext, "id" | "gateway" | "read">,
  topic: string,
  q: SearchQuery,
): Promise<SearchPlan> {
  const filter = buildFilter(q);
  const layout = await requireLayout(ctx, topic);
  const chosen: LayoutPartition[] = q.partition
    ? q.partition.map((p) => requirePartition(layout, p))
    : layout.partitions;
  const notices: string[] = [];
  const live = chosen.filter((p) => {
    if (p.leaderAddress !== null) return true;
    notices.push(`Partition ${p.partition} has no leader now: it is not searched.`);
    return false;
  });
  if (live.length === 0)
    throw new AppError(
      "cluster_unavailable",
      `${topic}: no partition asked for has a leader now, so nothing can be read`,
    );
  const byLeader = new Map<string, number[]>();
  for (const p of live)
    byLeader.set(p.leaderAddress as string, [...(byLeader.get(p.leaderAddress as string) ?? []), p.partition]);
  const at = async (ts: bigint) => {
    const out = new Map<number, bigint>();
    await Promise.all(
      [...byLeader].map(async ([broker, ps]) => {
        for (const o of await ctx.gateway.offsetsAt(broker, topic, ps, ts, q.isolation, TIMEOUT_MS)) {
          if (o.errorCode !== 0) throw new KafkaError(o.errorCode, null, `${topic} partition ${o.partition}`);
          out.set(o.partition, o.offset);
        }
      }),
    );
    return out;
  };
  const [starts, ends, byTime] = await Promise.all([
    at(-2n),
    at(-1n),
    q.seek === "timestamp" ? at(BigInt(q.timestamp as number)) : Promise.resolve(null),
  ]);
  const partitions = live.map((p): SearchPartition => {
    const logStart = starts.get(p.partition) ?? 0n;
    const end = ends.get(p.partition) ?? 0n;
    let from = logStart;
    if (q.seek === "offset") {
      const asked = q.offset as bigint;
      if (asked < logStart)
        notices.push(
          `Partition ${p.partition}: offset ${asked} is before the log start ${logStart}; searching from ${logStart}.`,
        );
      else if (asked > end)
        notices.push(`Partition ${p.partition}: offset ${asked} is past the end ${end}: nothing to search.`);
      from = asked < logStart ? logStart : asked > end ? end : asked;
    } else if (byTime) {
      const found = byTime.get(p.partition);
      if (found === undefined || found < 0n) {
        notices.push(
          `Partition ${p.partition}: no message at or after ${new Date(q.timestamp as number).toISOString()}.`,
        );
        from = end;
      } else from = found < logStart ? logStart : found;
    }
    return { partition: p.partition, broker: p.leaderAddress as string, from, to: end };
  });
  return { cluster: ctx.id, topic, query: q, filter, partitions, notices };
}

/**
 * Runs a planned search, calling `events` as it goes (each awaited: a slow client slows the
 * scan). Returns why it ended. `now` is the clock (a fake in tests).
 */
export async function runSearch(
  gateway: Pick<ClusterContext["gateway"], "fetchPartition">,
  plan: SearchPlan,
  events: SearchEvents,
  signal: AbortSignal,
  now: () => number = Date.now,
): Promise<SearchEnd> {
  const q = plan.query;
  const started = now();
  let scanned = 0;
  let matched = 0;
  let lastProgress = started;
  let rounds = 0;
  const positions = new Map(plan.partitions.map((p) => [p.partition, p.from]));
  const snapshot = (): SearchProgress => {
    const elapsedMs = Math.max(0, now() - started);
    return {
      scanned,
      matched,
      elapsedMs,
      rate: elapsedMs > 0 ? Math.round((scanned * 1000) / elapsedMs) : 0,
      positions: Object.fromEntries([...positions].map(([p, o]) => [String(p), Number(o)])),
    };
  };
  await events.start({
    topic: plan.topic,
    partitions: plan.partitions.map((p) => ({ partition: p.partition, from: Number(p.from), to: Number(p.to) })),
    notices: plan.notices,
  });
  const decode = { keyFormat: q.keyFormat, valueFormat: q.valueFormat, maxValueBytes: q.maxValueBytes };
  const readers = plan.partitions
    .filter((p) => p.from < p.to)
    .map((p) => ({
      partition: p.partition,
      it: readRecords(
        gateway,
        { topic: plan.topic, partition: p.partition, broker: p.broker, isolation: q.isolation },
        p.from,
        p.to,
        { signal, timeoutMs: TIMEOUT_MS, maxBytes: 64 * 1024, grow: true },
      ),
    }));
  let reason: SearchEnd = "end";
  let active = [...readers];
  try {
    outer: while (active.length > 0) {
      if (signal.aborted) {
        reason = "cancelled";
        break;
      }
      const round = active.slice(0, CONCURRENCY);
      const answers = await Promise.all(round.map((r) => r.it.next()));
      for (let i = 0; i < round.length; i++) {
        const r = round[i] as (typeof round)[number];
        const answer = answers[i] as IteratorResult<RawRecord[]>;
        if (answer.done) {
          active.splice(active.indexOf(r), 1);
          positions.set(r.partition, plan.partitions.find((p) => p.partition === r.partition)?.to ?? 0n);
          continue;
        }
        for (const record of answer.value) {
          if (scanned >= q.maxMessages) {
            reason = "max_messages";
            break outer;
          }
          scanned++;
          positions.set(r.partition, record.offset + 1n);
          if (plan.filter(record)) {
            matched++;
            await events.match(toMessage(r.partition, record, decode));
            // A client that went while this match waited for it: stop here, not at the round's end.
            if (signal.aborted) {
              reason = "cancelled";
              break outer;
            }
            if (matched >= q.maxMatches) {
              reason = "max_matches";
              break outer;
            }
          }
        }
      }
      // Round-robin: the partitions just read go to the back, so every partition advances.
      active = [...active.filter((x) => !round.includes(x)), ...round.filter((x) => active.includes(x))];
      const t = now();
      if (t - started >= q.maxSeconds * 1000) {
        reason = "max_seconds";
        break;
      }
      // The first round's count at once (a client sees the scan under way), then every 250 ms.
      if (t - lastProgress >= PROGRESS_MS || rounds++ === 0) {
        lastProgress = t;
        await events.progress(snapshot());
      }
    }
    if (reason === "end" && scanned >= q.maxMessages && active.length > 0) reason = "max_messages";
  } catch (err) {
    if (signal.aborted) reason = "cancelled";
    else throw err;
  } finally {
    await Promise.all(readers.map((r) => r.it.return(undefined).catch(() => undefined)));
  }
  const end = snapshot();
  // One line per search, however it ended: what it cost the cluster (and, for a cancelled one,
  // that it stopped reading when the client went).
  logger.info(
    {
      cluster: plan.cluster,
      topic: plan.topic,
      mode: q.mode,
      reason,
      scanned: end.scanned,
      matched: end.matched,
      ms: end.elapsedMs,
    },
    "message search ended",
  );
  if (reason !== "cancelled") await events.done({ ...end, reason });
  return reason;
}

let running = 0;

/** Holds one of the process's search slots, or throws 503 `too_many_subscribers`. */
export function acquireSearchSlot(): () => void {
  if (running >= MAX_SEARCHES)
    throw new AppError(
      "too_many_subscribers",
      `Quorum already runs ${MAX_SEARCHES} message searches; cancel one (or wait for it to end) and retry`,
    );
  running++;
  let held = true;
  return () => {
    if (held) running--;
    held = false;
  };
}
