import "server-only";
import type { TailQuery } from "@/lib/schemas/messages";
import type { KafkaMessage, TailStats } from "@/lib/types";
import type { ClusterContext } from "../clusters/context";
import { AppError } from "../errors";
import { KafkaError } from "../kafka/error-codes";
import { decodeBatches, visibleRecords } from "./batches";
import { requireLayout, requirePartition } from "./browse";
import { toMessage } from "./decode";

/**
 * A live tail of a topic (GET …/messages/tail): each partition asked for is read from its log end
 * as it was when the tail began, by Fetch from its leader outside any consumer group, polled while
 * nothing new comes. What reaches the browser is capped (`maxRate` messages per second); records
 * over the cap are counted, not sent, and the count goes along in a `stats` event each second.
 */

const TIMEOUT_MS = 5000;
/** How long a tail waits when no partition had anything new. */
export const POLL_MS = 400;
/** Live tails at once in this process (each polls Kafka a few times a second). */
export const MAX_TAILS = 8;

/**
 * At most `perSecond` of the records seen in each one-second window pass; the rest are counted
 * as skipped. Windows start at the first record after the previous one ended.
 */
export class RateCap {
  private windowStart = Number.NEGATIVE_INFINITY;
  private inWindow = 0;
  skipped = 0;
  sent = 0;

  constructor(readonly perSecond: number) {}

  allow(now: number): boolean {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow < this.perSecond) {
      this.inWindow++;
      this.sent++;
      return true;
    }
    this.skipped++;
    return false;
  }
}

export type { TailStats } from "@/lib/types";

export interface TailEvents {
  start(s: { topic: string; partitions: { partition: number; from: number }[]; maxRate: number }): Promise<void>;
  message(m: KafkaMessage): Promise<void>;
  stats(s: TailStats): Promise<void>;
}

interface TailPartition {
  partition: number;
  broker: string;
  position: bigint;
}

export interface TailPlan {
  topic: string;
  query: TailQuery;
  partitions: TailPartition[];
}

type Ctx = Pick<ClusterContext, "id" | "gateway" | "read">;

async function endOffsets(
  ctx: Ctx,
  topic: string,
  ps: { partition: number; broker: string }[],
  ts: bigint,
  isolation: TailQuery["isolation"],
) {
  const byLeader = new Map<string, number[]>();
  for (const p of ps) byLeader.set(p.broker, [...(byLeader.get(p.broker) ?? []), p.partition]);
  const out = new Map<number, bigint>();
  await Promise.all(
    [...byLeader].map(async ([broker, list]) => {
      for (const o of await ctx.gateway.offsetsAt(broker, topic, list, ts, isolation, TIMEOUT_MS)) {
        if (o.errorCode !== 0) throw new KafkaError(o.errorCode, null, `${topic} partition ${o.partition}`);
        out.set(o.partition, o.offset);
      }
    }),
  );
  return out;
}

/** The partitions and their log ends now (404 unknown topic, 400 unknown partition). */
export async function planTail(ctx: Ctx, topic: string, q: TailQuery): Promise<TailPlan> {
  const layout = await requireLayout(ctx, topic);
  const chosen = q.partition ? q.partition.map((p) => requirePartition(layout, p)) : layout.partitions;
  const leaderless = chosen.find((p) => p.leaderAddress === null);
  if (leaderless)
    throw new AppError(
      "cluster_unavailable",
      `${topic} partition ${leaderless.partition} has no leader now: retry when it has one`,
    );
  const ps = chosen.map((p) => ({ partition: p.partition, broker: p.leaderAddress as string }));
  const ends = await endOffsets(ctx, topic, ps, -1n, q.isolation);
  return { topic, query: q, partitions: ps.map((p) => ({ ...p, position: ends.get(p.partition) ?? 0n })) };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

/** Kafka errors after which the partition's leader is looked up again. */
const LEADER_MOVED = new Set([3, 5, 6, 74, 75]);

/** Runs until `signal` aborts. */
export async function runTail(
  ctx: Ctx,
  plan: TailPlan,
  events: TailEvents,
  signal: AbortSignal,
  now: () => number = Date.now,
  pollMs = POLL_MS,
): Promise<void> {
  const q = plan.query;
  const cap = new RateCap(q.maxRate);
  const decode = { keyFormat: q.keyFormat, valueFormat: q.valueFormat, maxValueBytes: q.maxValueBytes };
  const parts = plan.partitions.map((p) => ({ ...p }));
  await events.start({
    topic: plan.topic,
    partitions: parts.map((p) => ({ partition: p.partition, from: Number(p.position) })),
    maxRate: q.maxRate,
  });
  let lastStats = now();
  let reported = { sent: -1, skipped: -1, at: 0 };
  while (!signal.aborted) {
    let news = false;
    for (const p of parts) {
      if (signal.aborted) return;
      const answer = await ctx.gateway.fetchPartition(
        p.broker,
        {
          topic: plan.topic,
          partition: p.partition,
          offset: p.position,
          isolation: q.isolation,
          maxBytes: 1024 * 1024,
        },
        TIMEOUT_MS,
      );
      if (answer.errorCode === 1) {
        // OFFSET_OUT_OF_RANGE: retention deleted past us, or the log was truncated: go on from its end.
        const ends = await endOffsets(ctx, plan.topic, [p], -1n, q.isolation);
        p.position = ends.get(p.partition) ?? p.position;
        continue;
      }
      if (LEADER_MOVED.has(answer.errorCode)) {
        const layout = await requireLayout(ctx, plan.topic);
        const leader = requirePartition(layout, p.partition).leaderAddress;
        if (leader) p.broker = leader;
        continue;
      }
      if (answer.errorCode !== 0)
        throw new KafkaError(answer.errorCode, null, `${plan.topic} partition ${p.partition} at offset ${p.position}`);
      const batches = decodeBatches(answer.records);
      if (batches.length === 0) continue;
      const visible = visibleRecords(batches, q.isolation === "read_committed", answer.abortedTransactions);
      const after = (batches[batches.length - 1] as { lastOffset: bigint }).lastOffset + 1n;
      for (const r of visible) {
        if (r.offset < p.position) continue;
        news = true;
        if (cap.allow(now())) await events.message(toMessage(p.partition, r, decode));
      }
      if (after > p.position) p.position = after;
    }
    const t = now();
    if (t - lastStats >= 1000) {
      lastStats = t;
      // Every second while something changed, and every 15 s regardless (a heartbeat).
      if (cap.sent !== reported.sent || cap.skipped !== reported.skipped || t - reported.at >= 15_000) {
        reported = { sent: cap.sent, skipped: cap.skipped, at: t };
        await events.stats({
          sent: cap.sent,
          skipped: cap.skipped,
          seen: cap.sent + cap.skipped,
          positions: Object.fromEntries(parts.map((p) => [String(p.partition), Number(p.position)])),
          ts: t,
        });
      }
    }
    if (!news) await sleep(pollMs, signal);
  }
}

let running = 0;

/** Holds one of the process's tail slots, or throws 503 `too_many_subscribers`. */
export function acquireTailSlot(): () => void {
  if (running >= MAX_TAILS)
    throw new AppError(
      "too_many_subscribers",
      `Quorum already serves ${MAX_TAILS} live tails; close one (another tab?) and retry`,
    );
  running++;
  let held = true;
  return () => {
    if (held) running--;
    held = false;
  };
}
