import "server-only";
import type { StopImpact } from "@/lib/types";
import type { StopMode } from "../embedded/node-process";
import { AppError } from "../errors";
import type { ClusterSnapshot } from "../kafka/snapshot";
import { audit } from "./audit";
import type { ClusterContext } from "./context";
import { brokersUpNow, type NodeSupervisor } from "./gateway";

/** Broker stop and start, for clusters Quorum runs, and the policy that guards a stop. */

export function control(ctx: ClusterContext): NodeSupervisor {
  if (!ctx.supervisor) {
    throw new AppError(
      "not_controllable",
      `Cluster "${ctx.id}" is reached by bootstrap servers only: Quorum cannot stop or start its brokers.`,
    );
  }
  return ctx.supervisor;
}

/**
 * The brokers up now: the supervisor's node statuses for a cluster Quorum runs (a killed broker is
 * down at once, though Kafka lists it until the session timeout fences it), else the live brokers
 * of the snapshot.
 */
function upNow(ctx: ClusterContext, snap: ClusterSnapshot | null): Set<number> {
  if (ctx.supervisor) return brokersUpNow(ctx.supervisor);
  return new Set((snap?.brokers ?? []).map((b) => b.nodeId));
}

/** What stopping broker `id` would do: partitions left without a leader, and whether it is the last one up. */
export async function stopImpact(ctx: ClusterContext, id: number, fresh?: ClusterSnapshot | null): Promise<StopImpact> {
  const snap = fresh === undefined ? await ctx.read.snapshot(0) : fresh;
  if (!ctx.read.brokerStatuses(snap).some((b) => b.id === id))
    throw new AppError("broker_not_found", `Cluster "${ctx.id}" has no broker ${id}`);
  const up = upNow(ctx, snap);
  const goesOffline: { topic: string; partition: number }[] = [];
  let leaderships = 0;
  for (const t of snap?.topics ?? []) {
    for (const p of t.partitions) {
      if (p.leader === id) leaderships++;
      // Without unclean election, a partition keeps a leader only through an in-sync replica on a
      // broker that is up now. A killed broker not yet fenced is still in the ISR: it does not count.
      const concerned = p.leader === id || p.isr.includes(id);
      if (p.leader >= 0 && concerned && !p.isr.some((r) => r !== id && up.has(r)))
        goesOffline.push({ topic: t.name, partition: p.partition });
    }
  }
  return { broker: id, leaderships, goesOffline, lastBrokerUp: ![...up].some((b) => b !== id) };
}

/** Refuses (409 confirmation_required) a stop that would take partitions offline or the last broker down. */
async function guardStop(ctx: ClusterContext, id: number, snap: ClusterSnapshot | null): Promise<void> {
  const impact = await stopImpact(ctx, id, snap);
  if (!impact.lastBrokerUp && impact.goesOffline.length === 0) return;
  const what = impact.lastBrokerUp
    ? `broker ${id} is the last broker up: the whole cluster would be unreachable`
    : `${impact.goesOffline.length} partition(s) would go offline (${impact.goesOffline
        .slice(0, 5)
        .map((p) => `${p.topic}-${p.partition}`)
        .join(", ")}${impact.goesOffline.length > 5 ? ", …" : ""})`;
  throw new AppError("confirmation_required", `Stopping broker ${id}: ${what}. Send "confirm": true to go ahead.`);
}

export interface BrokerCommandOptions {
  /** The caller holds the cluster's lock already: a drill stopping and starting brokers in its run. */
  lockHeld?: boolean;
}

export interface StopOptions extends BrokerCommandOptions {
  /** Go ahead even if partitions would go offline or no broker would be up. */
  confirm?: boolean;
}

function underLock<T>(ctx: ClusterContext, opts: BrokerCommandOptions, holder: string, fn: () => Promise<T>) {
  return opts.lockHeld ? fn() : ctx.lock.run(holder, fn);
}

/**
 * Stops broker `id` and resolves once it is down; holds the cluster's lock meanwhile. While a
 * graceful stop is under way, the broker's row (GET brokers) says how many of the leaderships it
 * held at the start have moved, from each new snapshot (`stopping`, see broker-stops.ts).
 */
export async function stopBroker(ctx: ClusterContext, id: number, mode: StopMode, opts: StopOptions = {}) {
  const supervisor = control(ctx);
  await audit(ctx, "broker.stop", { broker: id, mode }, () =>
    underLock(ctx, opts, `a ${mode} stop of broker ${id}`, async () => {
      // One fresh look serves both the guard and the leaderships the progress is counted against.
      const snap = !opts.confirm || mode === "graceful" ? await ctx.read.snapshot(0) : null;
      if (!opts.confirm) await guardStop(ctx, id, snap);
      // Without a fresh look (Kafka slow to answer), the latest one: what the broker led a moment ago.
      const before = snap ?? ctx.read.cache.latest;
      if (mode !== "graceful" || !before) return supervisor.stopBroker(id, mode);
      const start = ctx.read.stops.begin(id, before);
      try {
        await supervisor.stopBroker(id, mode);
      } finally {
        ctx.read.stops.end(id, start);
      }
    }),
  );
}

/** Starts broker `id` (it is "starting" until it answers); holds the cluster's lock meanwhile. */
export async function startBroker(ctx: ClusterContext, id: number, opts: BrokerCommandOptions = {}) {
  const supervisor = control(ctx);
  await audit(ctx, "broker.start", { broker: id }, () =>
    underLock(ctx, opts, `a start of broker ${id}`, async () => {
      await supervisor.startBroker(id);
    }),
  );
}

/**
 * Adds a broker to the lab (the next id, a free port, storage formatted with the cluster's id) and
 * resolves with its id once it answers; it holds no replica until a reassignment puts some there.
 * Holds the cluster's lock meanwhile.
 */
export async function addBroker(ctx: ClusterContext): Promise<number> {
  const supervisor = control(ctx);
  let added = -1;
  await audit(ctx, "broker.add", {}, () =>
    ctx.lock.run("adding a broker", async () => {
      added = await supervisor.addBroker();
    }),
  );
  return added;
}

/**
 * Takes broker `id` out of the lab for good, once it holds no replica: stops it if it runs (nothing
 * goes offline with it), forgets its registration in the KRaft quorum, and deletes its storage.
 * 409 naming the partitions it still holds (drain it first), or when it is the last broker.
 */
export async function removeBroker(ctx: ClusterContext, id: number): Promise<void> {
  const supervisor = control(ctx);
  await audit(ctx, "broker.remove", { broker: id }, () =>
    ctx.lock.run(`a removal of broker ${id}`, async () => {
      const brokers = supervisor.nodeStates().filter((n) => n.role === "broker");
      const node = brokers.find((n) => n.id === id);
      if (!node) throw new AppError("broker_not_found", `Cluster "${ctx.id}" has no broker ${id}`);
      if (brokers.length <= 1) throw new AppError("conflict", `Broker ${id} is the lab's last broker`);
      const snap = await ctx.read.snapshot(0);
      if (!snap)
        throw new AppError(
          "cluster_unavailable",
          `Cluster "${ctx.id}" does not answer: its replicas cannot be checked`,
        );
      const held = snap.topics.flatMap((t) =>
        t.partitions.filter((p) => p.replicas.includes(id)).map((p) => `${t.name}-${p.partition}`),
      );
      if (held.length)
        throw new AppError(
          "conflict",
          `Broker ${id} still holds ${held.length} replica${held.length === 1 ? "" : "s"} (${held.slice(0, 5).join(", ")}${held.length > 5 ? ", …" : ""}): drain it first (a reassignment with the goal "drain")`,
        );
      if (node.status !== "down") await supervisor.stopBroker(id, "graceful");
      await ctx.gateway.unregisterBroker(ctx.read.seeds(), id);
      await supervisor.removeBroker(id);
    }),
  );
}
