import "server-only";
import { AppError } from "../errors";

/**
 * Kafka's own topics (__consumer_offsets, __transaction_state, __share_group_state, …) hold the
 * cluster's state: some changes to them cannot be undone and silently break every client. The
 * metadata's internal flag marks them; any name starting with "__" is treated alike, to be safe.
 */
export function isInternalTopic(topic: { name: string; internal?: boolean }): boolean {
  return topic.internal === true || topic.name.startsWith("__");
}

export type InternalTopicAction = "add-partitions" | "alter-configs" | "delete" | "drill";

function reason(name: string, action: InternalTopicAction): string {
  switch (action) {
    case "add-partitions":
      return name === "__consumer_offsets"
        ? "adding partitions re-hashes every consumer group to another coordinator partition, orphaning its committed offsets"
        : name === "__transaction_state"
          ? "adding partitions re-hashes every transactional id to another coordinator, orphaning open transactions"
          : "Kafka places its own records by partition count; adding partitions strands what it wrote";
    case "alter-configs":
      return "its configs are Kafka's own (cleanup.policy=delete, for one, would drop committed offsets once retention passes)";
    case "delete":
      return "Kafka needs it";
    case "drill":
      return "a drill writes its own messages into the topic, which would mix them into Kafka's own records";
  }
}

/** Throws 409 `internal_topic`, with the reason in words, when `topic` is internal. */
export function refuseInternal(topic: { name: string; internal?: boolean }, action: InternalTopicAction): void {
  if (!isInternalTopic(topic)) return;
  throw new AppError("internal_topic", `${topic.name} is an internal topic: ${reason(topic.name, action)}.`);
}
