import "server-only";
import type { ConsumerGroupDetail } from "@/lib/types";
import type { ClusterSnapshot } from "../kafka/snapshot";
import { logger } from "../logger";
import type { ClusterContext } from "./context";
import { COMMAND_MAX_AGE_MS } from "./snapshot-cache";

/**
 * Lag in time: how long ago the oldest message a group has not consumed was written, per partition
 * (now − the timestamp of the record at the committed offset). It costs one Fetch per leader broker
 * of the group's lagging partitions, asking at most 16 KiB per partition (1 MiB in all), for at most
 * MAX_PARTITIONS partitions (the most lagging), and nothing for a partition whose lag is 0 (its lag
 * in time is 0) or unknown. Answers are kept for CACHE_MS per group, so many tabs cost one round.
 */

export const MAX_PARTITIONS = 200;
export const CACHE_MS = 1000;

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

interface Measured {
  at: number;
  /** Timestamps by partition, with the committed offset they were read at. */
  times: Map<string, { offset: number; timestamp: number }>;
}

const offsetKey = (topic: string, partition: number, offset: number) => `${topic}\u0000${partition}\u0000${offset}`;

/** The timestamp of the record at each (topic, partition, offset): one Fetch per leader, in parallel. */
async function recordTimes(
  ctx: ClusterContext,
  snap: ClusterSnapshot,
  wanted: { topic: string; partition: number; offset: number }[],
): Promise<Map<string, number>> {
  const byLeader = new Map<string, { topic: string; partition: number; offset: bigint }[]>();
  for (const w of wanted) {
    const leaderId = snap.topics
      .find((t) => t.name === w.topic)
      ?.partitions.find((p) => p.partition === w.partition)?.leader;
    const b = snap.brokers.find((x) => x.nodeId === leaderId);
    if (!b) continue;
    const address = `${b.host}:${b.port}`;
    byLeader.set(address, [
      ...(byLeader.get(address) ?? []),
      { topic: w.topic, partition: w.partition, offset: BigInt(w.offset) },
    ]);
  }
  const out = new Map<string, number>();
  const answers = await Promise.all(
    [...byLeader].map(([leader, ps]) => ctx.gateway.recordTimes(leader, ps).then((m) => ({ ps, m }))),
  );
  for (const { ps, m } of answers)
    for (const p of ps) {
      const t = m.get(key(p.topic, p.partition));
      if (t) out.set(offsetKey(p.topic, p.partition, Number(p.offset)), t.timestamp);
    }
  return out;
}

/**
 * Every given group's lag in time (its largest over partitions), for the lag history: one Fetch
 * per leader for all the groups' lagging partitions together (a partition at the same committed
 * offset in several groups is asked once), at most MAX_PARTITIONS (the most lagging). 0 for a group
 * without lag; null when a lagging partition of it was not measured (or it has committed nothing).
 */
export async function groupTimeLags(
  ctx: ClusterContext,
  snap: ClusterSnapshot,
  groupIds: ReadonlySet<string>,
  now = Date.now(),
): Promise<Map<string, number | null>> {
  const groups = snap.groups.filter((g) => groupIds.has(g.groupId));
  const wanted = new Map<string, { topic: string; partition: number; offset: number; lag: number }>();
  for (const g of groups)
    for (const o of g.offsets)
      if (o.lag !== null && o.lag > 0 && o.committedOffset !== null)
        wanted.set(offsetKey(o.topic, o.partition, o.committedOffset), {
          topic: o.topic,
          partition: o.partition,
          offset: o.committedOffset,
          lag: Math.max(o.lag, wanted.get(offsetKey(o.topic, o.partition, o.committedOffset))?.lag ?? 0),
        });
  const asked = [...wanted.values()].sort((a, b) => b.lag - a.lag).slice(0, MAX_PARTITIONS);
  const times = asked.length > 0 ? await recordTimes(ctx, snap, asked) : new Map<string, number>();
  const out = new Map<string, number | null>();
  for (const g of groups) {
    const committed = g.offsets.filter((o) => o.committedOffset !== null && o.lag !== null);
    if (committed.length === 0) {
      out.set(g.groupId, null);
      continue;
    }
    let max: number | null = 0;
    for (const o of committed) {
      if (o.lag === 0 || max === null) continue;
      const t = times.get(offsetKey(o.topic, o.partition, o.committedOffset as number));
      max = t === undefined ? null : Math.max(max, now - t);
    }
    out.set(g.groupId, max);
  }
  return out;
}

const cache = new WeakMap<ClusterContext, Map<string, Measured>>();

/** The group with lagMs per partition and maxLagMs; a failed measurement leaves them null (logged), never fails the read. */
export async function withTimeLag(
  ctx: ClusterContext,
  group: ConsumerGroupDetail,
  now = Date.now(),
): Promise<ConsumerGroupDetail> {
  const perCluster = cache.get(ctx) ?? new Map<string, Measured>();
  cache.set(ctx, perCluster);
  const lagging = group.offsets
    .filter((o) => o.lag !== null && o.lag > 0 && o.committedOffset !== null)
    .sort((a, b) => (b.lag ?? 0) - (a.lag ?? 0))
    .slice(0, MAX_PARTITIONS);
  let measured = perCluster.get(group.groupId);
  const stale =
    !measured ||
    now - measured.at > CACHE_MS ||
    lagging.some((o) => measured?.times.get(key(o.topic, o.partition))?.offset !== o.committedOffset);
  if (stale && lagging.length > 0) {
    measured = { at: now, times: new Map() };
    try {
      const snap = await ctx.read.requireSnapshot(COMMAND_MAX_AGE_MS);
      const times = await recordTimes(
        ctx,
        snap,
        lagging.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.committedOffset as number })),
      );
      for (const o of lagging) {
        const t = times.get(offsetKey(o.topic, o.partition, o.committedOffset as number));
        if (t !== undefined)
          measured.times.set(key(o.topic, o.partition), { offset: o.committedOffset as number, timestamp: t });
      }
    } catch (err) {
      logger.warn({ cluster: ctx.id, group: group.groupId, err: String(err) }, "lag in time not measured");
    }
    perCluster.set(group.groupId, measured);
  }
  const offsets = group.offsets.map((o) => {
    if (o.lag === 0) return { ...o, lagMs: 0 };
    const t = measured?.times.get(key(o.topic, o.partition));
    return { ...o, lagMs: t && t.offset === o.committedOffset ? Math.max(0, now - t.timestamp) : null };
  });
  const known = offsets.map((o) => o.lagMs).filter((x): x is number => typeof x === "number");
  return { ...group, offsets, maxLagMs: known.length ? Math.max(...known) : null };
}
