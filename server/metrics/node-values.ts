import "server-only";
import type { NodeMetricKey, NodeMetricValues } from "@/lib/types";
import { type ExposedSample, sumOf } from "./exposition";

/** The counters of a node's endpoint, read at one moment (rates come from two of these). */
export interface NodeReading {
  at: number;
  counters: Record<CounterKey, number | null>;
  gauges: Record<GaugeKey, number | null>;
}

type CounterKey =
  | "bytesIn"
  | "bytesOut"
  | "messagesIn"
  | "produceRequests"
  | "fetchRequests"
  | "handlerIdleNs"
  | "isrShrinks"
  | "isrExpands"
  | "gcSeconds";
type GaugeKey =
  | "produceP99Ms"
  | "fetchP99Ms"
  | "underReplicated"
  | "offlineReplicas"
  | "activeController"
  | "offlinePartitions"
  | "heapUsed"
  | "heapMax"
  | "logEndOffset"
  | "commitLatencyMs";

/** Where each value is read: the sample names of kafka/jmx-exporter.yaml and the exporter's JVM metrics. */
const COUNTERS: Record<CounterKey, [string, Record<string, string>?]> = {
  bytesIn: ["kafka_server_brokertopicmetrics_bytesin_total"],
  bytesOut: ["kafka_server_brokertopicmetrics_bytesout_total"],
  messagesIn: ["kafka_server_brokertopicmetrics_messagesin_total"],
  produceRequests: ["kafka_network_requestmetrics_requests_total", { request: "Produce" }],
  fetchRequests: ["kafka_network_requestmetrics_requests_total", { request: "Fetch" }],
  // Kafka marks each handler's idle nanoseconds divided by the number of handlers.
  handlerIdleNs: ["kafka_server_kafkarequesthandlerpool_requesthandleridle_total"],
  isrShrinks: ["kafka_server_replicamanager_isrshrinks_total"],
  isrExpands: ["kafka_server_replicamanager_isrexpands_total"],
  gcSeconds: ["jvm_gc_collection_seconds_sum"],
};
const GAUGES: Record<GaugeKey, [string, Record<string, string>?]> = {
  produceP99Ms: ["kafka_network_requestmetrics_totaltimems", { request: "Produce", quantile: "0.99" }],
  fetchP99Ms: ["kafka_network_requestmetrics_totaltimems", { request: "Fetch", quantile: "0.99" }],
  underReplicated: ["kafka_server_replicamanager_underreplicatedpartitions"],
  offlineReplicas: ["kafka_server_replicamanager_offlinereplicacount"],
  activeController: ["kafka_controller_kafkacontroller_activecontrollercount"],
  offlinePartitions: ["kafka_controller_kafkacontroller_offlinepartitionscount"],
  heapUsed: ["jvm_memory_used_bytes", { area: "heap" }],
  heapMax: ["jvm_memory_max_bytes", { area: "heap" }],
  logEndOffset: ["kafka_server_raft_metrics_log_end_offset"],
  commitLatencyMs: ["kafka_server_raft_metrics_commit_latency_avg"],
};

/** The series Quorum reads from an endpoint, by sample name (for the README and a check of the rules file). */
export const READ_SAMPLE_NAMES = [...new Set([...Object.values(COUNTERS), ...Object.values(GAUGES)].map(([n]) => n))];

const finite = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

export function readingOf(samples: Map<string, ExposedSample[]>, at: number): NodeReading {
  const pick = <K extends string>(table: Record<K, [string, Record<string, string>?]>) =>
    Object.fromEntries(
      Object.entries<[string, Record<string, string>?]>(table).map(([k, [name, match]]) => [
        k,
        finite(sumOf(samples, name, match)),
      ]),
    ) as Record<K, number | null>;
  const counters = pick(COUNTERS);
  // Kafka makes a request type's meter at its first request: none yet is a count of 0, not unknown.
  if (samples.has("kafka_server_brokertopicmetrics_bytesin_total")) {
    counters.produceRequests ??= 0;
    counters.fetchRequests ??= 0;
  }
  return { at, counters, gauges: pick(GAUGES) };
}

/**
 * A node's values at `cur`: gauges as read, rates from the counters' increase since `prev` (null
 * without `prev`, when more than `maxGapMs` lies between them, or when a counter went down: the
 * node restarted and its counters began again).
 */
export function valuesOf(prev: NodeReading | null, cur: NodeReading, maxGapMs: number): NodeMetricValues {
  const dt = prev ? (cur.at - prev.at) / 1000 : 0;
  const usable = prev !== null && dt > 0 && cur.at - prev.at <= maxGapMs;
  const rate = (k: CounterKey, scale = 1): number | null => {
    const a = usable ? prev.counters[k] : null;
    const b = cur.counters[k];
    if (a === null || b === null || b < a) return null;
    return ((b - a) / dt) * scale;
  };
  const idle = rate("handlerIdleNs", 1e-9);
  const g = cur.gauges;
  return {
    bytesIn: rate("bytesIn"),
    bytesOut: rate("bytesOut"),
    messagesIn: rate("messagesIn"),
    produceRequests: rate("produceRequests"),
    fetchRequests: rate("fetchRequests"),
    produceP99Ms: g.produceP99Ms,
    fetchP99Ms: g.fetchP99Ms,
    handlerIdle: idle === null ? null : Math.min(1, idle),
    underReplicated: g.underReplicated,
    offlineReplicas: g.offlineReplicas,
    isrShrinks: rate("isrShrinks"),
    isrExpands: rate("isrExpands"),
    activeController: g.activeController,
    offlinePartitions: g.offlinePartitions,
    heapUsed: g.heapUsed,
    heapMax: g.heapMax,
    gcMsPerSec: rate("gcSeconds", 1000),
    logEndOffset: g.logEndOffset,
    commitLatencyMs: g.commitLatencyMs,
  };
}

/** Every value's key, in the order above (the blank point, the store's columns). */
export const NODE_METRIC_KEYS: NodeMetricKey[] = [
  "bytesIn",
  "bytesOut",
  "messagesIn",
  "produceRequests",
  "fetchRequests",
  "produceP99Ms",
  "fetchP99Ms",
  "handlerIdle",
  "underReplicated",
  "offlineReplicas",
  "isrShrinks",
  "isrExpands",
  "activeController",
  "offlinePartitions",
  "heapUsed",
  "heapMax",
  "gcMsPerSec",
  "logEndOffset",
  "commitLatencyMs",
];

/** A node's values from a list in NODE_METRIC_KEYS order (the store's form); missing entries are null. */
export function valuesFromList(list: readonly (number | null | undefined)[]): NodeMetricValues {
  const out = {} as NodeMetricValues;
  NODE_METRIC_KEYS.forEach((k, i) => {
    out[k] = list[i] ?? null;
  });
  return out;
}

/** Every value null: a blank point of a chart. */
export const NO_VALUES: NodeMetricValues = valuesFromList([]);
