import "server-only";
import type { ElectionReport } from "@/lib/types";
import { audit } from "./audit";
import type { ClusterContext } from "./context";

/** Preferred leader election for one topic, or every partition of the cluster. */
export function electPreferredLeaders(ctx: ClusterContext, topicName?: string): Promise<ElectionReport> {
  return audit(ctx, "leaders.elect-preferred", { topic: topicName ?? "*" }, async () => {
    let partitions: Map<string, number[]> | null = null;
    if (topicName) {
      const topic = await ctx.read.findTopic(topicName);
      partitions = new Map([[topicName, topic.partitions.map((p) => p.partition)]]);
    }
    const results = await ctx.gateway.electPreferredLeaders(ctx.read.seeds(), partitions);
    return {
      elected: results.filter((r) => r.outcome === "elected").length,
      already: results.filter((r) => r.outcome === "already").length,
      failed: results.filter((r) => r.outcome === "failed").length,
      results,
    };
  });
}
