import { kafkaTool } from "./kafka-configs";

/** One partition line of `kafka-topics --describe`: its fields by name (Topic, Partition, Leader, Isr, Elr, …). */
export type DescribedPartition = Record<string, string>;

/**
 * `kafka-topics --describe --topic <topic>` (org.apache.kafka.tools.TopicCommand, Kafka's Java
 * AdminClient: an independent client): the topic line's fields, and each partition line's. Lines
 * are `\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1\tElr: 2,3\tLastKnownElr: `.
 */
export async function kafkaTopicsDescribe(
  bootstrap: string,
  topic: string,
): Promise<{ topic: Record<string, string>; partitions: DescribedPartition[]; raw: string }> {
  const raw = await kafkaTool("org.apache.kafka.tools.TopicCommand", [
    "--bootstrap-server",
    bootstrap,
    "--describe",
    "--topic",
    topic,
  ]);
  const fields = (line: string) =>
    Object.fromEntries(
      line
        .split("\t")
        .map((f) => /^\s*([A-Za-z]+):\s?(.*)$/.exec(f))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1] ?? "", (m[2] ?? "").trim()]),
    );
  const lines = raw.split("\n").filter((l) => l.trim() !== "");
  const head = lines.find((l) => l.includes("PartitionCount:")) ?? "";
  return {
    topic: fields(head),
    partitions: lines.filter((l) => /\bPartition: \d+/.test(l)).map(fields),
    raw,
  };
}

/** `kafka-features describe` (org.apache.kafka.tools.FeatureCommand): each feature's finalized level. */
export async function kafkaFinalizedFeatures(bootstrap: string): Promise<Record<string, number>> {
  const raw = await kafkaTool("org.apache.kafka.tools.FeatureCommand", ["--bootstrap-server", bootstrap, "describe"]);
  const out: Record<string, number> = {};
  for (const m of raw.matchAll(/Feature: (\S+)\s.*?FinalizedVersionLevel: (\d+)/g)) out[m[1] ?? ""] = Number(m[2]);
  return out;
}
