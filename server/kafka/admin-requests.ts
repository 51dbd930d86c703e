import "server-only";
import { KafkaCode, KafkaError } from "./error-codes";
import { type KafkaRequest, type Reader, sendToAny, WireError, Writer } from "./wire";

/**
 * Admin mutations as Kafka's own requests, sent to any live broker (which forwards them to the
 * KRaft controller), so that a refusal carries the broker's own message. kafkajs has no
 * ElectLeaders or IncrementalAlterConfigs, and reports CreateTopics errors without their text.
 */

const API = {
  createTopics: 19,
  deleteTopics: 20,
  createPartitions: 37,
  electLeaders: 43,
  incrementalAlterConfigs: 44,
} as const;

/** How long the controller may take over an admin request before answering REQUEST_TIMED_OUT. */
const CONTROLLER_TIMEOUT_MS = 4000;
const SOCKET_TIMEOUT_MS = 5000;

/**
 * Sends a mutation once and parses its answer. A timeout, dropped connection or malformed answer
 * after the bytes went out throws a WireError whose outcome is unknown (504: it may have been
 * applied); a refusal Kafka states throws KafkaError.
 */
async function mutate<T>(seeds: string[], req: KafkaRequest, parse: (r: Reader) => T): Promise<T> {
  const r = await sendToAny(seeds, req, SOCKET_TIMEOUT_MS, { mutation: true });
  let out: T;
  try {
    out = parse(r);
    r.end();
  } catch (err) {
    throw err instanceof WireError ? err.asMutation() : err;
  }
  return out;
}

/** The one result of a single-resource answer, which must name the resource asked about. */
function only<T extends { name: string | null }>(r: Reader, results: T[], asked: string, request: string): T {
  const [result] = results;
  if (results.length !== 1 || !result) throw r.malformed(`${request} answered ${results.length} results for one topic`);
  if (result.name !== asked) throw r.malformed(`${request} answered about "${result.name}", not "${asked}"`);
  return result;
}

export interface NewTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

/** CreateTopics v4; throws KafkaError with the broker's message when refused. */
export async function createTopic(seeds: string[], topic: NewTopic, validateOnly = false): Promise<void> {
  const body = new Writer()
    .array([topic], (w, t) =>
      w
        .string(t.name)
        .int32(t.partitions)
        .int16(t.replicationFactor)
        .array([], () => {}) // assignments: let Kafka place replicas
        .array(Object.entries(t.configs), (cw, [k, v]) => cw.string(k).string(v)),
    )
    .int32(CONTROLLER_TIMEOUT_MS)
    .bool(validateOnly)
    .bytes();
  const result = await mutate(seeds, { apiKey: API.createTopics, version: 4, body }, (r) => {
    r.int32(); // throttle_time_ms
    const results = r.array((t) => ({ name: t.string(), errorCode: t.int16(), message: t.string() }));
    return only(r, results, topic.name, "CreateTopics");
  });
  if (result.errorCode !== KafkaCode.NONE) throw new KafkaError(result.errorCode, result.message, topic.name);
}

/** CreatePartitions v1: grows `topic` to `count` partitions in all. */
export async function createPartitions(seeds: string[], topic: string, count: number): Promise<void> {
  const body = new Writer()
    .array([topic], (w, t) => w.string(t).int32(count).int32(-1)) // assignments: null
    .int32(CONTROLLER_TIMEOUT_MS)
    .bool(false)
    .bytes();
  const result = await mutate(seeds, { apiKey: API.createPartitions, version: 1, body }, (r) => {
    r.int32(); // throttle_time_ms
    const results = r.array((t) => ({ name: t.string(), errorCode: t.int16(), message: t.string() }));
    return only(r, results, topic, "CreatePartitions");
  });
  if (result.errorCode !== KafkaCode.NONE) throw new KafkaError(result.errorCode, result.message, topic);
}

/** DeleteTopics v3. */
export async function deleteTopic(seeds: string[], topic: string): Promise<void> {
  const body = new Writer()
    .array([topic], (w, t) => w.string(t))
    .int32(CONTROLLER_TIMEOUT_MS)
    .bytes();
  const result = await mutate(seeds, { apiKey: API.deleteTopics, version: 3, body }, (r) => {
    r.int32(); // throttle_time_ms
    const results = r.array((t) => ({ name: t.string(), errorCode: t.int16() }));
    return only(r, results, topic, "DeleteTopics");
  });
  if (result.errorCode !== KafkaCode.NONE) throw new KafkaError(result.errorCode, null, topic);
}

/** IncrementalAlterConfigs v0 for one topic: set the given values, delete (back to default) the nulls. */
export async function alterTopicConfigs(
  seeds: string[],
  topic: string,
  changes: Record<string, string | null>,
  validateOnly = false,
): Promise<void> {
  const TOPIC = 2;
  const SET = 0;
  const DELETE = 1;
  const body = new Writer()
    .array([topic], (w, t) =>
      w
        .int8(TOPIC)
        .string(t)
        .array(Object.entries(changes), (cw, [name, value]) =>
          cw
            .string(name)
            .int8(value === null ? DELETE : SET)
            .string(value),
        ),
    )
    .bool(validateOnly)
    .bytes();
  const result = await mutate(seeds, { apiKey: API.incrementalAlterConfigs, version: 0, body }, (r) => {
    r.int32(); // throttle_time_ms
    const results = r.array((x) => ({ errorCode: x.int16(), message: x.string(), type: x.int8(), name: x.string() }));
    return only(r, results, topic, "IncrementalAlterConfigs");
  });
  if (result.errorCode !== KafkaCode.NONE) throw new KafkaError(result.errorCode, result.message, topic);
}

export interface ElectionResult {
  topic: string;
  partition: number;
  /** elected: leadership moved to the preferred replica; already: it was there; failed: see error. */
  outcome: "elected" | "already" | "failed";
  error: string | null;
}

/**
 * ElectLeaders v1, preferred election, for the given partitions or (null) every partition of the
 * cluster. ELECTION_NOT_NEEDED counts as success ("already").
 */
export async function electPreferredLeaders(
  seeds: string[],
  partitions: Map<string, number[]> | null,
): Promise<ElectionResult[]> {
  const PREFERRED = 0;
  const body = new Writer()
    .int8(PREFERRED)
    .array(partitions ? [...partitions.entries()] : null, (w, [t, ps]) => w.string(t).array(ps, (pw, p) => pw.int32(p)))
    .int32(CONTROLLER_TIMEOUT_MS)
    .bytes();
  const { errorCode, results } = await mutate(seeds, { apiKey: API.electLeaders, version: 1, body }, (r) => {
    r.int32(); // throttle_time_ms
    const errorCode = r.int16();
    return { errorCode, results: parseElection(r) };
  });
  if (errorCode !== KafkaCode.NONE) throw new KafkaError(errorCode, null, "ElectLeaders");
  return results;
}

function parseElection(r: Reader): ElectionResult[] {
  return r
    .array((t) => {
      const topic = t.string() ?? "";
      return t.array((p) => {
        const partition = p.int32();
        const code = p.int16();
        const message = p.string();
        const outcome: ElectionResult["outcome"] =
          code === KafkaCode.NONE ? "elected" : code === KafkaCode.ELECTION_NOT_NEEDED ? "already" : "failed";
        return {
          topic,
          partition,
          outcome,
          error: outcome === "failed" ? (message ?? new KafkaError(code, null).message) : null,
        };
      });
    })
    .flat()
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

/** DescribeConfigs v1 for one topic: every config with its value and where the value comes from. */
export async function describeTopicConfigs(
  seeds: string[],
  topic: string,
  timeoutMs: number,
): Promise<RawConfigEntry[]> {
  const TOPIC = 2;
  const body = new Writer()
    .array([topic], (w, t) => w.int8(TOPIC).string(t).int32(-1)) // configuration_keys: all
    .bool(false) // include_synonyms
    .bytes();
  const r = await sendToAny(seeds, { apiKey: 32, version: 1, body }, timeoutMs);
  r.int32(); // throttle_time_ms
  const results = r.array((x) => {
    const errorCode = x.int16();
    const message = x.string();
    x.int8(); // resource_type
    const name = x.string();
    const configs = x.array((c) => {
      const entry = {
        name: c.string() ?? "",
        value: c.string(),
        readOnly: c.bool(),
        source: c.int8(),
        sensitive: c.bool(),
      };
      c.array((s) => [s.string(), s.string(), s.int8()]); // synonyms (none asked)
      return entry;
    });
    return { errorCode, message, name, configs };
  });
  r.end();
  const result = only(r, results, topic, "DescribeConfigs");
  if (result.errorCode !== KafkaCode.NONE) throw new KafkaError(result.errorCode, result.message, topic);
  return result.configs;
}
