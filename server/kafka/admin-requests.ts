import "server-only";
import { IncrementalAlterConfigOperationTypes } from "@platformatic/kafka";
import {
  CREATE_PARTITIONS,
  CREATE_TOPICS,
  DELETE_TOPICS,
  DESCRIBE_CONFIGS,
  ELECT_LEADERS,
  INCREMENTAL_ALTER_CONFIGS,
} from "./apis";
import { KafkaCode, KafkaError } from "./error-codes";
import type { KafkaPool } from "./pool";
import { WireError } from "./wire-error";

const orNull = (s: string | null | undefined): string | null => s ?? null;

/**
 * Admin mutations as Kafka's own requests, sent to any live broker (which forwards them to the
 * KRaft controller), so that a refusal carries the broker's own message. Each is sent once: a
 * timeout, dropped connection or malformed answer after the bytes went out is a WireError whose
 * outcome is unknown (504: it may have been applied); a refusal Kafka states is a KafkaError.
 */

/** How long the controller may take over an admin request before answering REQUEST_TIMED_OUT. */
const CONTROLLER_TIMEOUT_MS = 4000;
const SOCKET_TIMEOUT_MS = 5000;

/** The one result of a single-resource answer, which must name the resource asked about. */
function only<T>(
  from: string,
  results: T[],
  name: (r: T) => string | null | undefined,
  asked: string,
  request: string,
): T {
  const [result] = results;
  const bad = (what: string) =>
    new WireError(`${from} sent a malformed response: ${what}`, "protocol", { sent: true, mutation: true });
  if (results.length !== 1 || result === undefined)
    throw bad(`${request} answered ${results.length} results for one topic`);
  if (name(result) !== asked) throw bad(`${request} answered about "${name(result)}", not "${asked}"`);
  return result;
}

export interface NewTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

/** CreateTopics; throws KafkaError with the broker's message when refused. */
export async function createTopic(
  pool: KafkaPool,
  seeds: string[],
  topic: NewTopic,
  validateOnly = false,
): Promise<void> {
  const request = {
    name: topic.name,
    numPartitions: topic.partitions,
    replicationFactor: topic.replicationFactor,
    assignments: [], // let Kafka place replicas
    configs: Object.entries(topic.configs).map(([name, value]) => ({ name, value })),
  };
  const { answer, from } = await pool.sendToAny(
    seeds,
    CREATE_TOPICS,
    [[request], CONTROLLER_TIMEOUT_MS, validateOnly],
    SOCKET_TIMEOUT_MS,
    { mutation: true },
  );
  const result = only(from, answer.topics, (t) => t.name, topic.name, "CreateTopics");
  if (result.errorCode !== KafkaCode.NONE)
    throw new KafkaError(result.errorCode, orNull(result.errorMessage), topic.name);
}

/** CreatePartitions: grows `topic` to `count` partitions in all. */
export async function createPartitions(pool: KafkaPool, seeds: string[], topic: string, count: number): Promise<void> {
  const { answer, from } = await pool.sendToAny(
    seeds,
    CREATE_PARTITIONS,
    [[{ name: topic, count, assignments: null }], CONTROLLER_TIMEOUT_MS, false],
    SOCKET_TIMEOUT_MS,
    { mutation: true },
  );
  const result = only(from, answer.results, (r) => r.name, topic, "CreatePartitions");
  if (result.errorCode !== KafkaCode.NONE) throw new KafkaError(result.errorCode, orNull(result.errorMessage), topic);
}

/** DeleteTopics, by name. */
export async function deleteTopic(pool: KafkaPool, seeds: string[], topic: string): Promise<void> {
  const { answer, from } = await pool.sendToAny(
    seeds,
    DELETE_TOPICS,
    [[{ name: topic, topicId: null }], CONTROLLER_TIMEOUT_MS],
    SOCKET_TIMEOUT_MS,
    { mutation: true },
  );
  const result = only(from, answer.responses, (r) => r.name, topic, "DeleteTopics");
  if (result.errorCode !== KafkaCode.NONE) throw new KafkaError(result.errorCode, orNull(result.errorMessage), topic);
}

const TOPIC_RESOURCE = 2 as const;

/** IncrementalAlterConfigs' operations for `changes`: the values set, the nulls deleted (back to the default). */
export function configOps(changes: Record<string, string | null>) {
  return Object.entries(changes).map(([name, value]) =>
    value === null
      ? { name, configOperation: IncrementalAlterConfigOperationTypes.DELETE }
      : { name, configOperation: IncrementalAlterConfigOperationTypes.SET, value },
  );
}

/** IncrementalAlterConfigs for one topic: set the given values, delete (back to default) the nulls. */
export async function alterTopicConfigs(
  pool: KafkaPool,
  seeds: string[],
  topic: string,
  changes: Record<string, string | null>,
  validateOnly = false,
): Promise<void> {
  const configs = configOps(changes);
  const { answer, from } = await pool.sendToAny(
    seeds,
    INCREMENTAL_ALTER_CONFIGS,
    [[{ resourceType: TOPIC_RESOURCE, resourceName: topic, configs }], validateOnly],
    SOCKET_TIMEOUT_MS,
    { mutation: true },
  );
  const result = only(from, answer.responses, (r) => r.resourceName, topic, "IncrementalAlterConfigs");
  if (result.errorCode !== KafkaCode.NONE) throw new KafkaError(result.errorCode, orNull(result.errorMessage), topic);
}

/** IncrementalAlterConfigs for many topics in one request; throws the first topic Kafka refused. */
export async function alterManyTopicConfigs(
  pool: KafkaPool,
  seeds: string[],
  topics: ReadonlyMap<string, Record<string, string | null>>,
): Promise<void> {
  if (topics.size === 0) return;
  const resources = [...topics].map(([topic, changes]) => ({
    resourceType: TOPIC_RESOURCE,
    resourceName: topic,
    configs: configOps(changes),
  }));
  const { answer } = await pool.sendToAny(seeds, INCREMENTAL_ALTER_CONFIGS, [resources, false], SOCKET_TIMEOUT_MS, {
    mutation: true,
  });
  for (const r of answer.responses)
    if (r.errorCode !== KafkaCode.NONE) throw new KafkaError(r.errorCode, orNull(r.errorMessage), r.resourceName);
}

export interface ElectionResult {
  topic: string;
  partition: number;
  /** elected: leadership moved to the preferred replica; already: it was there; failed: see error. */
  outcome: "elected" | "already" | "failed";
  error: string | null;
}

/**
 * ElectLeaders, preferred election, for the given partitions or (null) every partition of the
 * cluster. ELECTION_NOT_NEEDED counts as success ("already").
 */
export async function electPreferredLeaders(
  pool: KafkaPool,
  seeds: string[],
  partitions: Map<string, number[]> | null,
): Promise<ElectionResult[]> {
  const PREFERRED = 0;
  const { answer } = await pool.sendToAny(
    seeds,
    ELECT_LEADERS,
    [PREFERRED, partitions ? [...partitions.entries()] : null, CONTROLLER_TIMEOUT_MS],
    SOCKET_TIMEOUT_MS,
    { mutation: true },
  );
  if (answer.errorCode !== KafkaCode.NONE) throw new KafkaError(answer.errorCode, null, "ElectLeaders");
  return answer.results
    .flatMap((t) =>
      t.partitions.map((p): ElectionResult => {
        const outcome: ElectionResult["outcome"] =
          p.errorCode === KafkaCode.NONE
            ? "elected"
            : p.errorCode === KafkaCode.ELECTION_NOT_NEEDED
              ? "already"
              : "failed";
        return {
          topic: t.topic,
          partition: p.partitionId,
          outcome,
          error: outcome === "failed" ? (orNull(p.errorMessage) ?? new KafkaError(p.errorCode, null).message) : null,
        };
      }),
    )
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

export interface RawConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** Kafka's ConfigSource: 1 topic override, 4 static broker config, 5 Kafka's default, … */
  source: number;
  sensitive: boolean;
}

/** DescribeConfigs for one topic: every config with its value and where the value comes from. */
export async function describeTopicConfigs(
  pool: KafkaPool,
  seeds: string[],
  topic: string,
  timeoutMs: number,
): Promise<RawConfigEntry[]> {
  const { answer, from } = await pool.sendToAny(
    seeds,
    DESCRIBE_CONFIGS,
    [[{ resourceType: TOPIC_RESOURCE, resourceName: topic, configurationKeys: null }], false, false],
    timeoutMs,
  );
  const [result] = answer.results;
  if (answer.results.length !== 1 || !result || result.resourceName !== topic)
    throw new WireError(
      `${from} sent a malformed response: DescribeConfigs answered ${answer.results.length} results, not one about "${topic}"`,
      "protocol",
      { sent: true },
    );
  if (result.errorCode !== KafkaCode.NONE) throw new KafkaError(result.errorCode, orNull(result.errorMessage), topic);
  return result.configs.map((c) => ({
    name: c.name,
    value: orNull(c.value),
    readOnly: c.readOnly,
    source: c.configSource,
    sensitive: c.isSensitive,
  }));
}
