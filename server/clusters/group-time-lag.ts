import "server-only";
import type { ConsumerGroupDetail } from "@/lib/types";
import { logger } from "../logger";
import type { ClusterContext } from "./context";

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
      const snap = await ctx.read.requireSnapshot();
      const byLeader = new Map<string, { topic: string; partition: number; offset: bigint }[]>();
      for (const o of lagging) {
        const leaderId = snap.topics
          .find((t) => t.name === o.topic)
          ?.partitions.find((p) => p.partition === o.partition)?.leader;
        const b = snap.brokers.find((x) => x.nodeId === leaderId);
        if (!b) continue;
        const address = `${b.host}:${b.port}`;
        byLeader.set(address, [
          ...(byLeader.get(address) ?? []),
          { topic: o.topic, partition: o.partition, offset: BigInt(o.committedOffset as number) },
        ]);
      }
      const answers = await Promise.all([...byLeader].map(([leader, ps]) => ctx.gateway.recordTimes(leader, ps)));
      for (const answer of answers)
        for (const [k, t] of answer) {
          const o = lagging.find((x) => key(x.topic, x.partition) === k);
          if (o) measured.times.set(k, { offset: o.committedOffset as number, timestamp: t.timestamp });
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
