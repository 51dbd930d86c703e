import "server-only";
import { METADATA } from "./apis";
import type { KafkaPool } from "./pool";

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface MetadataPartition {
  partition: number;
  errorCode: number;
  leader: number;
  /** Bumped by every leader change, also one to the same broker (-1 when the broker does not say). */
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface MetadataTopic {
  name: string;
  /** Kafka's topic id: a topic deleted and re-created under the same name gets a new one. */
  topicId: string;
  errorCode: number;
  internal: boolean;
  partitions: MetadataPartition[];
}

export interface ClusterMetadata {
  /** The broker that answered. */
  from: string;
  clusterId: string | null;
  /** Live (registered, unfenced) brokers only: a stopped or fenced broker is absent. */
  brokers: MetadataBroker[];
  topics: MetadataTopic[];
}

/**
 * One Metadata request (all topics, or the named ones) to the first of `bootstrap` that answers,
 * within `timeoutMs` in all. Throws a WireError of kind "timeout" or "connection" when none does,
 * "protocol" when the answer is not a valid Metadata response.
 */
export async function fetchMetadata(
  pool: KafkaPool,
  bootstrap: string[],
  timeoutMs: number,
  topics: string[] | null = null,
): Promise<ClusterMetadata> {
  // allow_auto_topic_creation: never; no authorized operations
  const { answer, from } = await pool.sendToAny(bootstrap, METADATA, [topics, false, false], timeoutMs);
  const out: MetadataTopic[] = answer.topics.map((t) => ({
    name: t.name ?? "",
    topicId: t.topicId,
    errorCode: t.errorCode,
    internal: t.isInternal,
    partitions: t.partitions
      .map((p) => ({
        partition: p.partitionIndex,
        errorCode: p.errorCode,
        leader: p.leaderId,
        leaderEpoch: p.leaderEpoch,
        replicas: p.replicaNodes,
        isr: p.isrNodes,
        offlineReplicas: p.offlineReplicas,
      }))
      .sort((a, b) => a.partition - b.partition),
  }));
  out.sort((a, b) => a.name.localeCompare(b.name));
  return {
    from,
    clusterId: answer.clusterId ?? null,
    brokers: answer.brokers
      .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null }))
      .sort((a, b) => a.nodeId - b.nodeId),
    topics: out,
  };
}
