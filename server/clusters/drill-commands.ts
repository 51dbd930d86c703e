import "server-only";
import type { DrillReport } from "@/lib/types";
import type { DrillPlan } from "../drill/drill";
import type { ClusterContext } from "./context";
import { refuseInternal } from "./internal-topics";

/** What runs a drill: starts it in the background and calls `onEnd` once it has ended, however. */
export interface DrillStarter {
  start(plan: DrillPlan, onEnd: () => void): Promise<DrillReport>;
}

/**
 * Starts a failover drill holding the cluster's lock for its whole run: while it runs, a second
 * drill or a broker stop or start answers 409 `busy`. Drills on internal topics are refused (409
 * `internal_topic`): the drill writes its own messages into the topic.
 */
export async function startDrill(ctx: ClusterContext, runner: DrillStarter, plan: DrillPlan): Promise<DrillReport> {
  let report: DrillReport | null = null;
  // Taken before anything is awaited: of two drills asked at once, exactly one gets it.
  const release = ctx.lock.tryAcquire(() =>
    report ? `drill ${report.id} on topic ${plan.topic}` : `a drill on topic ${plan.topic} (starting)`,
  );
  try {
    refuseInternal(await ctx.read.findTopic(plan.topic), "drill");
    report = await runner.start(plan, release);
    return report;
  } catch (err) {
    release();
    throw err;
  }
}
