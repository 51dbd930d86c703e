import "server-only";
import type { QuorumView } from "@/lib/types";
import type { StopMode } from "../embedded/node-process";
import { AppError } from "../errors";
import { audit } from "./audit";
import { control } from "./broker-commands";
import type { ClusterContext } from "./context";

/**
 * The KRaft controller quorum of a lab: its state (DescribeQuorum and the controllers' processes),
 * and stopping and starting controllers. A quorum of n voters needs ⌊n/2⌋+1 of them up: with fewer,
 * no leader can be elected, and what needs the controller stops (creating and deleting topics,
 * leader elections, fencing brokers) while producing to and consuming from existing partitions
 * goes on.
 */

/** The quorum now, from a snapshot at most a second old. */
export async function quorum(ctx: ClusterContext): Promise<QuorumView> {
  return ctx.read.quorumView(await ctx.read.snapshot(1000));
}

/** What losing the majority stops, in words (the UI says the same). */
export const WITHOUT_MAJORITY =
  "producing to and consuming from existing partitions go on; creating or deleting topics, electing leaders and fencing brokers wait until a majority is back";

/**
 * Stops controller `id`; 409 `confirmation_required` when that leaves fewer voters up than the
 * majority, unless `confirm`. Holds the cluster's lock meanwhile.
 */
export async function stopController(
  ctx: ClusterContext,
  id: number,
  mode: StopMode,
  opts: { confirm?: boolean } = {},
): Promise<void> {
  const supervisor = control(ctx);
  await audit(ctx, "controller.stop", { controller: id, mode }, () =>
    ctx.lock.run(`a ${mode} stop of controller ${id}`, async () => {
      const q = ctx.read.quorumView(ctx.read.cache.latest);
      const node = q.voters.find((v) => v.id === id);
      if (!node) throw new AppError("broker_not_found", `Cluster "${ctx.id}" has no controller ${id}`);
      const left = (q.up ?? 0) - (node.status === "up" ? 1 : 0);
      if (!opts.confirm && node.status === "up" && left < q.needed)
        throw new AppError(
          "confirmation_required",
          `Stopping controller ${id} leaves ${left} of ${q.voters.length} voters up, fewer than the ${q.needed} the quorum needs: ${WITHOUT_MAJORITY}. Send "confirm": true to go ahead.`,
        );
      await supervisor.stopController(id, mode);
    }),
  );
}

/** Starts controller `id` (it is "starting" until it answers). */
export async function startController(ctx: ClusterContext, id: number): Promise<void> {
  const supervisor = control(ctx);
  await audit(ctx, "controller.start", { controller: id }, () =>
    ctx.lock.run(`a start of controller ${id}`, async () => {
      await supervisor.startController(id);
    }),
  );
}

/**
 * `err` (a request that needs the controller failed), said again when the quorum has no majority:
 * 503 naming why, with Kafka's own answer after it. Otherwise `err` as it was.
 */
export function explainQuorumLoss(ctx: ClusterContext, err: unknown, what: string): unknown {
  const q = ctx.read.quorumView(ctx.read.cache.latest);
  if (q.state !== "lost") return err;
  const kafka = err instanceof Error ? err.message : String(err);
  return new AppError(
    "cluster_unavailable",
    `Cannot ${what}: the KRaft controller quorum has no majority (${q.up ?? "?"} of ${q.voters.length} controllers up, ${q.needed} needed), so no controller can commit it. Start a controller; meanwhile ${WITHOUT_MAJORITY}. Kafka answered: ${kafka}`,
  );
}
