import "server-only";
import type { ElectionReport } from "@/lib/types";
import type { ElectionResult } from "../kafka/admin-requests";
import type { SnapshotTopic } from "../kafka/snapshot";
import { audit } from "./audit";
import type { ClusterContext } from "./context";

type Outcome = ElectionResult;

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Preferred leader election for one topic, or every partition of the cluster. Kafka is always asked
 * about an explicit list of partitions (for the whole cluster, every partition of a fresh snapshot),
 * because with no list its answer names no partition: the report counts each partition asked about,
 * and one that Kafka's answer leaves out is reported failed, never dropped.
 */
export function electPreferredLeaders(ctx: ClusterContext, topicName?: string): Promise<ElectionReport> {
  return audit(ctx, "leaders.elect-preferred", { topic: topicName ?? "*" }, async () => {
    const topics: SnapshotTopic[] = topicName
      ? [await ctx.read.findTopic(topicName)]
      : (await ctx.read.requireSnapshot(0)).topics;
    const asked = new Map<string, number[]>();
    const unaskable: Outcome[] = [];
    for (const t of topics) {
      for (const p of t.partitions) {
        if (p.replicas.length === 0) {
          unaskable.push({ topic: t.name, partition: p.partition, outcome: "failed", error: "it has no replicas" });
          continue;
        }
        asked.set(t.name, [...(asked.get(t.name) ?? []), p.partition]);
      }
    }
    const answered = new Map<string, Outcome>();
    if (asked.size > 0) {
      for (const r of await ctx.gateway.electPreferredLeaders(ctx.read.seeds(), asked))
        answered.set(key(r.topic, r.partition), r);
    }
    const results: Outcome[] = [...unaskable];
    for (const [topic, partitions] of asked) {
      for (const partition of partitions) {
        results.push(
          answered.get(key(topic, partition)) ?? {
            topic,
            partition,
            outcome: "failed",
            error: "Kafka's answer did not mention this partition",
          },
        );
      }
    }
    results.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    const count = (o: Outcome["outcome"]) => results.filter((r) => r.outcome === o).length;
    return { elected: count("elected"), already: count("already"), failed: count("failed"), results };
  });
}
