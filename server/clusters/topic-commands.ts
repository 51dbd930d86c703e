import "server-only";
import type { TopicConfigEntry, TopicDetail, TopicSummary } from "@/lib/types";
import { AppError } from "../errors";
import type { NewTopic } from "../kafka/admin-requests";
import { audit } from "./audit";
import type { ClusterContext } from "./context";
import { explainQuorumLoss } from "./controller-commands";
import { refuseInternal } from "./internal-topics";
import { topicSummary } from "./projections";
import { COMMAND_MAX_AGE_MS } from "./snapshot-cache";

/** Topic mutations: create, add partitions, delete, change configs. Each waits until the metadata shows it. */

/** Topics being created by this process now: a double submit makes one topic and one 409. */
const creating = new WeakMap<ClusterContext, Set<string>>();

export function createTopic(ctx: ClusterContext, input: NewTopic): Promise<TopicDetail> {
  const target = { topic: input.name, partitions: input.partitions, rf: input.replicationFactor };
  return audit(ctx, "topic.create", target, async () => {
    const snap = await ctx.read.requireSnapshot(COMMAND_MAX_AGE_MS);
    if (input.replicationFactor > snap.brokers.length) {
      throw new AppError(
        "validation_failed",
        `replication factor ${input.replicationFactor} is more than the ${snap.brokers.length} broker(s) up`,
        { field: "replicationFactor" },
      );
    }
    const pending = creating.get(ctx) ?? new Set<string>();
    creating.set(ctx, pending);
    if (pending.has(input.name)) throw new AppError("conflict", `Topic "${input.name}" is being created already`);
    pending.add(input.name);
    try {
      await ctx.gateway.createTopic(ctx.read.seeds(), input);
    } catch (err) {
      throw explainQuorumLoss(ctx, err, `create topic ${input.name}`);
    } finally {
      pending.delete(input.name);
    }
    await ctx.read.awaitMetadata(`topic ${input.name}`, (s) =>
      s.topics.some(
        (t) =>
          t.name === input.name && t.partitions.length === input.partitions && t.partitions.every((p) => p.leader >= 0),
      ),
    );
    return ctx.read.topic(input.name);
  });
}

export function addPartitions(ctx: ClusterContext, name: string, count: number): Promise<TopicSummary> {
  return audit(ctx, "topic.add-partitions", { topic: name, count }, async () => {
    const topic = await ctx.read.findTopic(name);
    refuseInternal(topic, "add-partitions");
    const current = topic.partitions.length;
    if (count <= current) {
      throw new AppError(
        "validation_failed",
        `${name} has ${current} partition(s): Kafka can add partitions but never remove them, so count must be more than ${current}`,
        { field: "count" },
      );
    }
    await ctx.gateway.createPartitions(ctx.read.seeds(), name, count);
    await ctx.read.awaitMetadata(`${name} with ${count} partitions`, (s) =>
      s.topics.some((t) => t.name === name && t.partitions.length === count),
    );
    const grown = (await ctx.read.requireSnapshot()).topics.find((t) => t.name === name);
    if (!grown) throw new AppError("topic_not_found", `Topic "${name}" disappeared`);
    return topicSummary(grown);
  });
}

export function deleteTopic(ctx: ClusterContext, name: string): Promise<void> {
  return audit(ctx, "topic.delete", { topic: name }, async () => {
    const topic = await ctx.read.findTopic(name);
    refuseInternal(topic, "delete");
    await ctx.gateway.deleteTopic(ctx.read.seeds(), name);
    await ctx.read.awaitMetadata(`${name} deleted`, (s) => !s.topics.some((t) => t.name === name));
  });
}

export function alterTopicConfigs(
  ctx: ClusterContext,
  name: string,
  changes: Record<string, string | null>,
): Promise<TopicConfigEntry[]> {
  return audit(ctx, "topic.alter-configs", { topic: name, configs: changes }, async () => {
    refuseInternal(await ctx.read.findTopic(name), "alter-configs");
    await ctx.gateway.alterTopicConfigs(ctx.read.seeds(), name, changes);
    // The controller has the change; the broker answering next may learn it a moment later.
    const applied = (configs: TopicConfigEntry[]) =>
      Object.entries(changes).every(([k, v]) => {
        const c = configs.find((x) => x.name === k);
        return v === null ? c?.isDefault !== false : c?.value === v;
      });
    const deadline = Date.now() + 5000;
    let configs = await ctx.read.topicConfigs(name);
    while (!applied(configs) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      configs = await ctx.read.topicConfigs(name);
    }
    return configs;
  });
}
