import "server-only";
import { configOps } from "./admin-requests";
import {
  ALTER_PARTITION_REASSIGNMENTS,
  DESCRIBE_LOG_DIRS,
  INCREMENTAL_ALTER_CONFIGS,
  LIST_PARTITION_REASSIGNMENTS,
  UNREGISTER_BROKER,
} from "./apis";
import { KafkaCode, KafkaError } from "./error-codes";
import type { KafkaPool } from "./pool";

/**
 * Partition reassignment as Kafka's own requests (KIP-455): AlterPartitionReassignments to start or
 * cancel moves, ListPartitionReassignments to follow them, DescribeLogDirs for the bytes each
 * replica holds, and the replication throttle configs kafka-reassign-partitions sets.
 */

const CONTROLLER_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 12_000;

/** One partition's target: its new replica list (the first is the preferred leader), or null to cancel its move. */
export interface ReassignmentTarget {
  topic: string;
  partition: number;
  replicas: number[] | null;
}

/** A partition Kafka refused to move (or to stop moving), with Kafka's words. */
export interface ReassignmentRefusal {
  topic: string;
  partition: number;
  error: KafkaError;
}

const byTopic = <T extends { topic: string }>(items: T[]) => {
  const topics = new Map<string, T[]>();
  for (const item of items) topics.set(item.topic, [...(topics.get(item.topic) ?? []), item]);
  return topics;
};

/**
 * Starts (or, with `replicas: null`, cancels) the moves of `targets` in one request; resolves with
 * the partitions Kafka refused, each with its error (an empty list: all accepted). A refusal of the
 * whole request (e.g. NOT_CONTROLLER, an authorization failure) throws.
 */
export async function alterPartitionReassignments(
  pool: KafkaPool,
  seeds: string[],
  targets: ReassignmentTarget[],
): Promise<ReassignmentRefusal[]> {
  const topics = [...byTopic(targets)].map(([name, parts]) => ({
    name,
    partitions: parts.map((p) => ({ partitionIndex: p.partition, replicas: p.replicas as number[] })),
  }));
  const { answer } = await pool.sendToAny(
    seeds,
    ALTER_PARTITION_REASSIGNMENTS,
    [CONTROLLER_TIMEOUT_MS, true, topics],
    SOCKET_TIMEOUT_MS,
    { mutation: true },
  );
  if (answer.errorCode !== KafkaCode.NONE) throw new KafkaError(answer.errorCode, answer.errorMessage ?? null);
  const refused: ReassignmentRefusal[] = [];
  for (const t of answer.responses)
    for (const p of t.partitions)
      if (p.errorCode !== KafkaCode.NONE)
        refused.push({
          topic: t.name,
          partition: p.partitionIndex,
          error: new KafkaError(p.errorCode, p.errorMessage ?? null, `${t.name}-${p.partitionIndex}`),
        });
  return refused;
}

/** A move under way, as Kafka reports it: the full replica list while it lasts, and who is joining and leaving. */
export interface OngoingReassignment {
  topic: string;
  partition: number;
  replicas: number[];
  adding: number[];
  removing: number[];
}

/** Every move under way in the cluster (`topics` null), or those of the given partitions. */
export async function listPartitionReassignments(
  pool: KafkaPool,
  seeds: string[],
  timeoutMs: number,
): Promise<OngoingReassignment[]> {
  const { answer } = await pool.sendToAny(
    seeds,
    LIST_PARTITION_REASSIGNMENTS,
    [Math.max(1000, timeoutMs - 1000), null as unknown as []],
    timeoutMs,
  );
  if (answer.errorCode !== KafkaCode.NONE) throw new KafkaError(answer.errorCode, answer.errorMessage ?? null);
  return answer.topics.flatMap((t) =>
    t.partitions.map((p) => ({
      topic: t.name,
      partition: p.partitionIndex,
      replicas: p.replicas,
      adding: p.addingReplicas,
      removing: p.removingReplicas,
    })),
  );
}

/** The bytes one broker holds of each partition it has a replica of (summed over its log directories). */
export async function describeLogDirs(
  pool: KafkaPool,
  address: string,
  timeoutMs: number,
): Promise<Map<string, number>> {
  const answer = await pool.send(address, DESCRIBE_LOG_DIRS, [null as unknown as []], timeoutMs);
  if (answer.errorCode !== KafkaCode.NONE) throw new KafkaError(answer.errorCode, null);
  const sizes = new Map<string, number>();
  for (const dir of answer.results) {
    if (dir.errorCode !== KafkaCode.NONE) continue; // an offline directory: its replicas are not counted
    for (const t of dir.topics)
      for (const p of t.partitions) {
        if (p.isFutureKey) continue; // a copy being made between directories, not the replica
        const key = `${t.name}:${p.partitionIndex}`;
        sizes.set(key, (sizes.get(key) ?? 0) + Number(p.partitionSize));
      }
  }
  return sizes;
}

const BROKER_RESOURCE = 4 as const;

/**
 * Changes dynamic configs of one broker, sent to that broker (Kafka refuses a broker's configs
 * asked of another): values set, nulls deleted back to their defaults.
 */
export async function alterBrokerConfigs(
  pool: KafkaPool,
  address: string,
  id: number,
  changes: Record<string, string | null>,
): Promise<void> {
  const configs = configOps(changes);
  const answer = await pool.send(
    address,
    INCREMENTAL_ALTER_CONFIGS,
    [[{ resourceType: BROKER_RESOURCE, resourceName: String(id), configs }], false],
    SOCKET_TIMEOUT_MS,
    { mutation: true },
  );
  for (const r of answer.responses)
    if (r.errorCode !== KafkaCode.NONE) throw new KafkaError(r.errorCode, r.errorMessage ?? null, `broker ${id}`);
}

/** Forgets broker `id`'s registration in the KRaft quorum (kafka-cluster unregister): after it has left for good. */
export async function unregisterBroker(pool: KafkaPool, seeds: string[], id: number): Promise<void> {
  const { answer } = await pool.sendToAny(seeds, UNREGISTER_BROKER, [id], SOCKET_TIMEOUT_MS, { mutation: true });
  if (answer.errorCode !== KafkaCode.NONE)
    throw new KafkaError(answer.errorCode, answer.errorMessage ?? null, `broker ${id}`);
}
