import { execFileSync } from "node:child_process";

export interface KcatPartition {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

/**
 * Kafka's view of a cluster from an independent client: `kcat -L -J` (librdkafka), not kafkajs
 * and not Quorum's own wire code.
 */
export function kcatMetadata(bootstrap: string[]): { brokers: number[]; partitions: KcatPartition[] } {
  const out = execFileSync("kcat", ["-b", bootstrap.join(","), "-L", "-J", "-m", "5"], {
    encoding: "utf8",
    timeout: 15_000,
    // librdkafka reports each stopped broker it tried on stderr: keep that in the error, not the log.
    stdio: ["ignore", "pipe", "pipe"],
  });
  const md = JSON.parse(out) as {
    brokers: { id: number }[];
    topics: {
      topic: string;
      partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[];
    }[];
  };
  return {
    brokers: md.brokers.map((b) => b.id).sort((a, b) => a - b),
    partitions: md.topics.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.topic,
        partition: p.partition,
        leader: p.leader,
        replicas: p.replicas.map((r) => r.id),
        isr: p.isrs.map((r) => r.id),
      })),
    ),
  };
}

export const hasKcat = (() => {
  try {
    execFileSync("kcat", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
