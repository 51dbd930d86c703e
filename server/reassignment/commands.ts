import "server-only";
import { sameOrder } from "@/lib/compare";
import type { ReassignmentGoal } from "@/lib/schemas/reassignments";
import { shellQuote } from "@/lib/shell-quote";
import type { ReassignmentPlanView, ReassignmentRun, ReassignmentsView, ReassignmentTool } from "@/lib/types";
import { audit } from "../clusters/audit";
import type { ClusterContext } from "../clusters/context";
import { COMMAND_MAX_AGE_MS } from "../clusters/snapshot-cache";
import { AppError } from "../errors";
import type { ClusterSnapshot } from "../kafka/snapshot";
import { type ClusterPicture, plannedMove, planReassignment, reassignmentJson, rollbackJson } from "./planner";
import { type EventSink, runsOf } from "./runs";

/**
 * Partition reassignment of one cluster: plans for a goal, runs of moves (started, followed,
 * cancelled; server/reassignment/runs.ts), and the same moves as kafka-reassign-partitions files
 * and commands. The cluster's KRaft controller does the moving; Quorum asks and watches.
 */

/** A cluster the reassignment commands work on: its context, and where its events go. */
export type ReassignmentCluster = ClusterContext & { readonly monitor: EventSink };

const SIZES_TIMEOUT_MS = 5000;

const addressOf = (snap: ClusterSnapshot, id: number) => {
  const b = snap.brokers.find((x) => x.nodeId === id);
  return b ? `${b.host}:${b.port}` : null;
};

/** The command's snapshot; a fresh one when it lacks a topic named (perhaps created a moment ago). */
async function snapshotWith(ctx: ClusterContext, topics: string[]): Promise<ClusterSnapshot> {
  const snap = await ctx.read.requireSnapshot(COMMAND_MAX_AGE_MS);
  const known = new Set(snap.topics.map((t) => t.name));
  if (topics.every((t) => known.has(t))) return snap;
  return (await ctx.read.snapshot(0)) ?? snap;
}

/**
 * The bytes of every replica, from each live broker's DescribeLogDirs (asked at once), by
 * "topic:partition" → broker; the brokers that did not answer are listed.
 */
export async function replicaSizes(
  ctx: ClusterContext,
  snap: ClusterSnapshot,
): Promise<{ sizes: Map<string, Map<number, number>>; missing: number[] }> {
  const sizes = new Map<string, Map<number, number>>();
  const missing: number[] = [];
  await Promise.all(
    snap.brokers.map(async (b) => {
      try {
        const held = await ctx.gateway.logDirSizes(`${b.host}:${b.port}`, SIZES_TIMEOUT_MS);
        for (const [key, bytes] of held) {
          const per = sizes.get(key) ?? new Map<number, number>();
          per.set(b.nodeId, bytes);
          sizes.set(key, per);
        }
      } catch {
        missing.push(b.nodeId);
      }
    }),
  );
  return { sizes, missing: missing.sort((a, b) => a - b) };
}

/** The moves as kafka-reassign-partitions takes them, with this cluster's bootstrap servers. */
export function toolFor(
  ctx: ClusterContext,
  moves: { topic: string; partition: number; before: number[]; after: number[] }[],
  throttle: number | null = null,
): ReassignmentTool {
  const servers = shellQuote(ctx.read.seeds().join(","));
  const base = `kafka-reassign-partitions.sh --bootstrap-server ${servers} --reassignment-json-file reassignment.json`;
  return {
    json: reassignmentJson(moves),
    rollbackJson: rollbackJson(moves),
    execute: `${base} --execute${throttle === null ? "" : ` --throttle ${throttle}`}`,
    verify: `${base} --verify`,
  };
}

/**
 * A plan for `goal` from the current picture (every partition, live brokers, replica sizes).
 * Internal topics are planned like the others: a move changes where their replicas live, not a
 * record in them, and a broker cannot be drained while it holds some of __consumer_offsets.
 */
export async function plan(ctx: ClusterContext, goal: ReassignmentGoal): Promise<ReassignmentPlanView> {
  const snap = await snapshotWith(ctx, "topic" in goal ? [goal.topic] : []);
  const { sizes, missing } = await replicaSizes(ctx, snap);
  const picture: ClusterPicture = {
    partitions: snap.topics.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partition, replicas: p.replicas })),
    ),
    brokers: snap.brokers.map((b) => b.nodeId).sort((a, b) => a - b),
    sizes,
  };
  const planned = planReassignment(picture, goal);
  return { ...planned, sizesMissing: missing, tool: toolFor(ctx, planned.moves) };
}

export interface StartInput {
  partitions: { topic: string; partition: number; replicas: number[] }[];
  throttleBytesPerSec?: number;
}

/**
 * Starts moving the given partitions to their new replica lists (kafka-reassign-partitions
 * --execute), throttled when asked: 202 with the run, followed until every partition settles.
 * Refused before anything is sent: a missing topic or partition, a broker not up, a partition
 * already moving, or nothing to change.
 */
export function start(ctx: ReassignmentCluster, input: StartInput): Promise<ReassignmentRun> {
  return audit(
    ctx,
    "partitions.reassign",
    { partitions: input.partitions.length, throttle: input.throttleBytesPerSec ?? null },
    async () => {
      const snap = await snapshotWith(
        ctx,
        input.partitions.map((p) => p.topic),
      );
      const live = new Set(snap.brokers.map((b) => b.nodeId));
      const topics = new Map(snap.topics.map((t) => [t.name, t]));
      const moves: { topic: string; partition: number; before: number[]; after: number[] }[] = [];
      for (const [i, p] of input.partitions.entries()) {
        const topic = topics.get(p.topic);
        if (!topic) throw new AppError("topic_not_found", `No topic "${p.topic}" in cluster "${ctx.id}"`);
        const current = topic.partitions.find((x) => x.partition === p.partition);
        if (!current)
          throw new AppError(
            "validation_failed",
            `${p.topic} has partitions 0–${topic.partitions.length - 1}: there is no partition ${p.partition}`,
            { field: `partitions.${i}.partition` },
          );
        const down = p.replicas.filter((b) => !live.has(b));
        if (down.length)
          throw new AppError(
            "validation_failed",
            `${p.topic}-${p.partition}: broker ${down.join(", ")} is not up (up: ${[...live].sort((a, b) => a - b).join(", ")})`,
            { field: `partitions.${i}.replicas` },
          );
        if (!sameOrder(current.replicas, p.replicas))
          moves.push({ topic: p.topic, partition: p.partition, before: current.replicas, after: p.replicas });
      }
      if (moves.length === 0)
        throw new AppError(
          "validation_failed",
          "Every partition named already has that replica list: there is nothing to move",
          { field: "partitions" },
        );
      const ongoing = await ctx.gateway.listReassignments(ctx.read.seeds(), SIZES_TIMEOUT_MS);
      const busy = new Set(ongoing.map((o) => `${o.topic}:${o.partition}`));
      const already = moves.filter((m) => busy.has(`${m.topic}:${m.partition}`));
      if (already.length)
        throw new AppError(
          "conflict",
          `Already moving: ${already
            .slice(0, 5)
            .map((m) => `${m.topic}-${m.partition}`)
            .join(
              ", ",
            )}${already.length > 5 ? ` and ${already.length - 5} more` : ""}. Cancel that reassignment first, or wait for it to end.`,
        );
      const { sizes } = await replicaSizes(ctx, snap);
      const sized = moves.map((m) =>
        plannedMove(m.topic, m.partition, m.before, m.after, sizes.get(`${m.topic}:${m.partition}`)),
      );
      const throttle = input.throttleBytesPerSec ?? null;
      return runsOf(ctx).start(sized, throttle, toolFor(ctx, sized, throttle), (id) =>
        addressOf(ctx.read.cache.current ?? snap, id),
      );
    },
  );
}

/** Cancels the moves of a run still under way (kafka-reassign-partitions --cancel): Kafka puts those partitions back. */
export function cancel(ctx: ReassignmentCluster, id: string): Promise<ReassignmentRun> {
  return audit(ctx, "partitions.reassign.cancel", { run: id }, () => runsOf(ctx).cancel(id));
}

/** Quorum's runs (newest first) and every move Kafka lists as under way, with the run it belongs to. */
export async function view(ctx: ReassignmentCluster): Promise<ReassignmentsView> {
  const runs = runsOf(ctx);
  const ongoing = await ctx.gateway.listReassignments(ctx.read.seeds(), SIZES_TIMEOUT_MS);
  return {
    runs: runs.list(),
    ongoing: ongoing.map((o) => ({ ...o, run: runs.owner(o.topic, o.partition) })),
  };
}

export function run(ctx: ReassignmentCluster, id: string): ReassignmentRun {
  return runsOf(ctx).get(id);
}
