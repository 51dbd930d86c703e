import "server-only";
import type { StopImpact } from "@/lib/types";
import type { StopMode } from "../embedded/node-process";
import { AppError } from "../errors";
import { audit } from "./audit";
import type { ClusterContext } from "./context";
import type { NodeSupervisor } from "./gateway";

/** Broker stop and start, for clusters Quorum runs, and the policy that guards a stop. */

function control(ctx: ClusterContext): NodeSupervisor {
  if (!ctx.supervisor) {
    throw new AppError(
      "not_controllable",
      `Cluster "${ctx.id}" is reached by bootstrap servers only: Quorum cannot stop or start its brokers.`,
    );
  }
  return ctx.supervisor;
}

/** What stopping broker `id` would do: partitions left without a leader, and whether it is the last one up. */
export async function stopImpact(ctx: ClusterContext, id: number): Promise<StopImpact> {
  const snap = await ctx.read.snapshot(0);
  const brokers = ctx.read.brokerStatuses(snap);
  if (!brokers.some((b) => b.id === id))
    throw new AppError("broker_not_found", `Cluster "${ctx.id}" has no broker ${id}`);
  const up = brokers.filter((b) => b.status === "up" && b.id !== id);
  const goesOffline: { topic: string; partition: number }[] = [];
  let leaderships = 0;
  for (const t of snap?.topics ?? []) {
    for (const p of t.partitions) {
      if (p.leader === id) leaderships++;
      // Without unclean election, a partition whose only in-sync replica is this broker loses its leader.
      if (p.leader >= 0 && p.isr.length > 0 && p.isr.every((r) => r === id))
        goesOffline.push({ topic: t.name, partition: p.partition });
    }
  }
  return { broker: id, leaderships, goesOffline, lastBrokerUp: up.length === 0 };
}

/** Refuses (409 confirmation_required) a stop that would take partitions offline or the last broker down. */
async function guardStop(ctx: ClusterContext, id: number): Promise<void> {
  const impact = await stopImpact(ctx, id);
  if (!impact.lastBrokerUp && impact.goesOffline.length === 0) return;
  const what = impact.lastBrokerUp
    ? `broker ${id} is the last broker up: the whole cluster would be unreachable`
    : `${impact.goesOffline.length} partition(s) would go offline (${impact.goesOffline
        .slice(0, 5)
        .map((p) => `${p.topic}-${p.partition}`)
        .join(", ")}${impact.goesOffline.length > 5 ? ", …" : ""})`;
  throw new AppError("confirmation_required", `Stopping broker ${id}: ${what}. Send "confirm": true to go ahead.`);
}

export async function stopBroker(ctx: ClusterContext, id: number, mode: StopMode, confirm = false): Promise<void> {
  const supervisor = control(ctx);
  await audit(ctx, "broker.stop", { broker: id, mode }, async () => {
    if (!confirm) await guardStop(ctx, id);
    await supervisor.stopBroker(id, mode);
  });
}

export async function startBroker(ctx: ClusterContext, id: number): Promise<void> {
  const supervisor = control(ctx);
  await audit(ctx, "broker.start", { broker: id }, () => supervisor.startBroker(id));
}
