import "server-only";
import { AppError } from "../errors";
import { KafkaError } from "../kafka/error-codes";
import type { ClusterSnapshot, SnapshotGroup, SnapshotTopic } from "../kafka/snapshot";
import type { ClusterContext } from "./context";
import { key } from "./group-reset-plan";
import { COMMAND_MAX_AGE_MS } from "./snapshot-cache";

/**
 * What a group or records action reads fresh from Kafka before it acts: the group, its coordinator,
 * state, members and committed offsets, and the partitions' offsets at a time (ListOffsets).
 */

type Ctx = Pick<ClusterContext, "id" | "read" | "gateway">;

/** The group in the snapshot, or in a fresh one; else 404. */
export async function findGroup(ctx: Ctx, groupId: string, field?: string): Promise<SnapshotGroup> {
  const snap = await ctx.read.requireSnapshot(COMMAND_MAX_AGE_MS);
  const found = snap.groups.find((g) => g.groupId === groupId);
  if (found) return found;
  const fresh = await ctx.read.snapshot(0);
  const again = fresh?.groups.find((g) => g.groupId === groupId);
  if (!again) throw new AppError("group_not_found", `No consumer group "${groupId}" in cluster "${ctx.id}"`, { field });
  return again;
}

export interface GroupNow {
  coordinator: string;
  state: string;
  members: { clientId: string; host: string; memberId: string }[];
  committed: Map<string, number>;
}

const INACTIVE = new Set(["empty", "dead"]);

/** The group's coordinator, state, members and committed offsets, as Kafka says them now. */
export async function groupNow(ctx: Ctx, group: SnapshotGroup): Promise<GroupNow> {
  const coordinator = await ctx.gateway.groupCoordinator(ctx.read.seeds(), group.groupId);
  const [described, committed] = await Promise.all([
    ctx.gateway.describeGroup(coordinator, group.groupId, group.type),
    ctx.gateway.committedOffsets(coordinator, group.groupId),
  ]);
  const offsets = new Map<string, number>();
  for (const c of committed)
    if (c.errorCode === 0 && c.offset >= 0n) offsets.set(key(c.topic, c.partition), Number(c.offset));
  return {
    coordinator,
    state: described?.state ?? "Dead",
    members: (described?.members ?? []).map((m) => ({
      clientId: m.clientId,
      host: m.clientHost,
      memberId: m.memberId,
    })),
    committed: offsets,
  };
}

const isActive = (g: GroupNow) => g.members.length > 0 || !INACTIVE.has(g.state.toLowerCase());

/** 409 naming the members: Kafka resets and deletes only a group with no members. */
export function refuseActive(groupId: string, g: GroupNow, what: string): void {
  if (!isActive(g)) return;
  const who = g.members.length
    ? `${g.members.length} member(s): ${g.members.map((m) => `${m.clientId} (${m.host})`).join(", ")}`
    : `no member listed yet, but its state is ${g.state}`;
  throw new AppError(
    "conflict",
    `Cannot ${what} group "${groupId}": it is active (${g.state}) with ${who}. Kafka only allows this for an inactive group (no members): stop its consumers first. Nothing was changed.`,
  );
}

/** "host:port" of each broker in the snapshot. */
export function brokerAddress(snap: ClusterSnapshot, id: number): string | null {
  const b = snap.brokers.find((x) => x.nodeId === id);
  return b ? `${b.host}:${b.port}` : null;
}

/** ListOffsets at `timestamp` for every partition, one request per leader; a refused partition throws. */
export async function offsetsAt(
  ctx: Ctx,
  snap: ClusterSnapshot,
  partitions: { topic: SnapshotTopic; partition: number }[],
  timestamp: bigint,
): Promise<Map<string, number>> {
  const byLeader = new Map<string, Map<string, number[]>>();
  for (const { topic, partition } of partitions) {
    const p = topic.partitions.find((x) => x.partition === partition);
    const leader = p && p.leader >= 0 ? brokerAddress(snap, p.leader) : null;
    if (!leader)
      throw new AppError(
        "cluster_unavailable",
        `${topic.name}-${partition} has no leader now: its offsets cannot be read. Try again once it has one.`,
      );
    const m = byLeader.get(leader) ?? new Map<string, number[]>();
    m.set(topic.name, [...(m.get(topic.name) ?? []), partition]);
    byLeader.set(leader, m);
  }
  const out = new Map<string, number>();
  const answers = await Promise.all([...byLeader].map(([leader, m]) => ctx.gateway.listOffsets(leader, m, timestamp)));
  for (const answer of answers)
    for (const a of answer) {
      if (a.errorCode !== 0) throw new KafkaError(a.errorCode, null, `${a.topic}-${a.partition}`);
      out.set(key(a.topic, a.partition), Number(a.offset));
    }
  for (const { topic, partition } of partitions)
    if (!out.has(key(topic.name, partition)))
      throw new AppError("cluster_unavailable", `ListOffsets did not answer about ${topic.name}-${partition}`);
  return out;
}

/** The scopes' topics and partitions: every partition of a topic, or the chosen ones, each checked. */
export async function resolveScopes(
  ctx: Ctx,
  scopes: { topic: string; partitions?: number[] }[],
): Promise<{ topic: SnapshotTopic; partition: number }[]> {
  const out: { topic: SnapshotTopic; partition: number }[] = [];
  const seen = new Set<string>();
  for (const [i, scope] of scopes.entries()) {
    const topic = await ctx.read.findTopic(scope.topic);
    const known = topic.partitions.map((p) => p.partition).sort((a, b) => a - b);
    for (const p of scope.partitions ?? known) {
      if (!known.includes(p))
        throw new AppError(
          "validation_failed",
          `${topic.name} has partitions ${known.length ? `0–${known.length - 1}` : "none"}: there is no partition ${p}`,
          { field: `topics.${i}.partitions` },
        );
      if (seen.has(key(topic.name, p))) continue;
      seen.add(key(topic.name, p));
      out.push({ topic, partition: p });
    }
  }
  return out;
}
