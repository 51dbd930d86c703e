import "server-only";
import { compareCodeUnits } from "@/lib/compare";
import {
  API_VERSIONS_FEATURES,
  DESCRIBE_TOPIC_PARTITIONS,
  type DescribeTopicPartitionsResponse,
  METADATA,
} from "./apis";
import { KafkaError } from "./error-codes";
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
  /**
   * Kafka's topic id as its tools print it (URL-safe base64, e.g. `kafka-topics --describe`'s
   * TopicId): a topic deleted and re-created under the same name gets a new one. Null when the
   * broker sends none (the zero id).
   */
  topicId: string | null;
  errorCode: number;
  internal: boolean;
  partitions: MetadataPartition[];
}

export interface ClusterMetadata {
  /** The broker that answered. */
  from: string;
  /**
   * When the request was sent (performance.now()): of two answers, the one asked later is the
   * newer picture, whichever arrived first.
   */
  askedAt: number;
  clusterId: string | null;
  /** Live (registered, unfenced) brokers only: a stopped or fenced broker is absent. */
  brokers: MetadataBroker[];
  topics: MetadataTopic[];
}

/** A node of the table of distinct replica lists: the list of the ids on the path here, and the longer ones. */
interface ListNode {
  list: readonly number[] | null;
  next: Map<number, ListNode> | null;
}
/** Distinct replica lists seen, shared by every partition that has the same one, by their ids in order. */
let replicaLists: ListNode = { list: null, next: null };
let replicaListCount = 0;
/** More distinct lists than this (a cluster of very many brokers): the table starts over. */
export const MAX_REPLICA_LISTS = 50_000;

/**
 * The one frozen array for this list of broker ids. A cluster of 40,000 partitions on a few
 * brokers has a few dozen distinct replica, ISR and offline lists: each partition points at one of
 * them instead of holding three arrays of its own, and an ISR that did not change between two
 * snapshots is the very same array (the monitor's diff skips it by identity). Finding a known list
 * walks the table id by id and allocates nothing: 120,000 lookups per Metadata answer at 40,000
 * partitions made as many key strings before.
 */
export function internReplicas(ids: readonly number[]): number[] {
  let node = replicaLists;
  for (const id of ids) {
    node.next ??= new Map();
    let next = node.next.get(id);
    if (!next) {
      next = { list: null, next: null };
      node.next.set(id, next);
    }
    node = next;
  }
  if (!node.list) {
    if (replicaListCount >= MAX_REPLICA_LISTS) {
      replicaLists = { list: null, next: null };
      replicaListCount = 0;
      return internReplicas(ids);
    }
    node.list = Object.freeze([...ids]);
    replicaListCount++;
  }
  // Frozen: a caller that tried to sort or push into a shared list would throw, not corrupt others.
  return node.list as number[];
}

/** A topic id as Kafka prints it, from the library's hex form; null for the zero id (none). */
export function topicIdText(hex: string): string | null {
  const raw = Buffer.from(hex.replaceAll("-", ""), "hex");
  return raw.length !== 16 || raw.every((b) => b === 0) ? null : raw.toString("base64url");
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
  const askedAt = performance.now();
  // allow_auto_topic_creation: never; no authorized operations
  const { answer, from } = await pool.sendToAny(bootstrap, METADATA, [topics, false, false], timeoutMs);
  const out: MetadataTopic[] = answer.topics.map((t) => ({
    name: t.name ?? "",
    topicId: topicIdText(t.topicId),
    errorCode: t.errorCode,
    internal: t.isInternal,
    partitions: t.partitions
      .map((p) => ({
        partition: p.partitionIndex,
        errorCode: p.errorCode,
        leader: p.leaderId,
        leaderEpoch: p.leaderEpoch,
        replicas: internReplicas(p.replicaNodes),
        isr: internReplicas(p.isrNodes),
        offlineReplicas: internReplicas(p.offlineReplicas),
      }))
      .sort((a, b) => a.partition - b.partition),
  }));
  out.sort((a, b) => compareCodeUnits(a.name, b.name));
  return {
    from,
    askedAt,
    clusterId: answer.clusterId ?? null,
    brokers: answer.brokers
      .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null }))
      .sort((a, b) => a.nodeId - b.nodeId),
    topics: out,
  };
}

/** Eligible leader replicas (KIP-966) of one partition, as DescribeTopicPartitions reports them. */
export interface PartitionElr {
  topic: string;
  partition: number;
  errorCode: number;
  /** Replicas out of the ISR that still hold every committed record: leaders a clean election may pick. */
  elr: number[] | null;
  /** The ELR as it last was before its members were fenced too (when the partition has no leader). */
  lastKnownElr: number[] | null;
}

export interface ElrPage {
  /** Per-topic error codes (e.g. a topic deleted since the Metadata answer named it). */
  topicErrors: { topic: string; errorCode: number }[];
  partitions: PartitionElr[];
  /** Where the next page starts; null when this was the last. */
  next: { topicName: string; partitionIndex: number } | null;
}

/**
 * Partitions DescribeTopicPartitions returns per answer at most; brokers cap it at their
 * max.request.partition.size.limit (default 2000).
 */
export const ELR_PAGE_PARTITIONS = 2000;

/** One page of DescribeTopicPartitions (Kafka 3.8+) for `topics`, from `cursor` on, to `broker`. */
export async function describeTopicPartitions(
  pool: KafkaPool,
  broker: string,
  topics: string[],
  cursor: { topicName: string; partitionIndex: number } | null,
  timeoutMs: number,
  limit = ELR_PAGE_PARTITIONS,
): Promise<ElrPage> {
  const answer: DescribeTopicPartitionsResponse = await pool.send(
    broker,
    DESCRIBE_TOPIC_PARTITIONS,
    [topics, limit, cursor],
    timeoutMs,
  );
  const page: ElrPage = { topicErrors: [], partitions: [], next: answer.nextCursor };
  for (const t of answer.topics) {
    const topic = t.name ?? "";
    if (t.errorCode !== 0) page.topicErrors.push({ topic, errorCode: t.errorCode });
    for (const p of t.partitions)
      page.partitions.push({
        topic,
        partition: p.partitionIndex,
        errorCode: p.errorCode,
        elr: p.eligibleLeaderReplicas,
        lastKnownElr: p.lastKnownElr,
      });
  }
  return page;
}

/** The feature whose finalized level turns eligible leader replicas (KIP-966) on (1) or off (0). */
export const ELR_FEATURE = "eligible.leader.replicas.version";

/**
 * The cluster's finalized feature levels (feature name → level) as `broker` knows them, from an
 * ApiVersions request (the pool's own, on connecting, is read without them); an empty map when
 * the broker finalizes none.
 */
export async function finalizedFeatures(
  pool: KafkaPool,
  broker: string,
  timeoutMs: number,
): Promise<Map<string, number>> {
  const answer = await pool.send(broker, API_VERSIONS_FEATURES, ["quorum", "1"], timeoutMs);
  if (answer.errorCode !== 0) throw new KafkaError(answer.errorCode, null, "ApiVersions");
  return answer.finalized ?? new Map();
}
