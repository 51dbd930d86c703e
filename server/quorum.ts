import "server-only";
import path from "node:path";
import { RESERVED_CLUSTER_ID } from "@/lib/schemas/clusters";
import type { AuditTrail } from "./audit/trail";
import { AuthService, sessionSecret } from "./auth/service";
import { ClusterService } from "./cluster-service";
import { type ClusterDefinition, definitionOf, resolveConnection, securityOf } from "./clusters/cluster-config";
import { createKafkaGateway } from "./clusters/gateway";
import { RuntimeClusterStore } from "./clusters/runtime-store";
import { loadConfig, type QuorumConfig } from "./config";
import { DrillRunner } from "./drill/drill";
import { EmbeddedCluster } from "./embedded/embedded-cluster";
import { AppError } from "./errors";
import type { HistoryStore } from "./history/history-store";
import { HistorySampler } from "./history/sampler";
import { BrokerMetricsSampler } from "./metrics/sampler";
import { metricsTargets } from "./metrics/targets";
import { DEFAULT_MONITOR_OPTIONS, type MonitorOptions } from "./monitor/monitor";
import { DemoWorkload } from "./workload/demo";

/** The id of the cluster Quorum runs itself. */
export const LOCAL_CLUSTER_ID = RESERVED_CLUSTER_ID;

export interface Quorum {
  config: QuorumConfig;
  embedded: EmbeddedCluster | null;
  clusters: Map<string, ClusterService>;
  /** Failover drills, for the clusters Quorum runs. */
  drills: Map<string, DrillRunner>;
  /** The demo workload, for the cluster Quorum runs. */
  workloads: Map<string, DemoWorkload>;
  /** Lag and throughput history, opened when Quorum starts. */
  history: { store: HistoryStore; samplers: HistorySampler[]; metrics: BrokerMetricsSampler[] } | null;
  /** How each external cluster was defined (QUORUM_CLUSTERS, the config file, or added at run time). */
  definitions?: Map<string, ClusterDefinition>;
  /** Where clusters added at run time are kept (`<data dir>/clusters.json`). */
  runtimeStore?: RuntimeClusterStore;
  /** Set by startQuorum (server/lifecycle.ts): a cluster added later starts its monitor and sampler at once. */
  started?: boolean;
  /** Sign-in, sessions and roles, when the config file has an `auth` section; null: everyone may do everything. */
  auth?: AuthService | null;
  /** The audit trail, opened at its first entry (see server/audit/record.ts). */
  audit?: AuditTrail;
}

// Next.js may bundle this module more than once (instrumentation and each route): the one
// instance per process lives on globalThis.
const KEY = Symbol.for("quorum.instance");
type WithQuorum = typeof globalThis & { [KEY]?: Quorum };

function monitorOptions(config: QuorumConfig): MonitorOptions {
  return { ...DEFAULT_MONITOR_OPTIONS, intervalMs: config.monitorIntervalMs, maxStreams: config.maxStreams };
}

/**
 * The service of one external cluster, carrying its origin and read-only flag, with a gateway that
 * reaches it as its definition says (TLS files read and the SASL password looked up now; they stay
 * in memory). Throws 400 like resolveConnection when a file or variable is missing.
 */
export function serviceFor(def: ClusterDefinition, config: QuorumConfig): ClusterService {
  const gateway = createKafkaGateway(resolveConnection(def));
  const service = new ClusterService(def.id, def.name, def.bootstrap, null, monitorOptions(config), gateway);
  service.read.access = { origin: def.origin, readOnly: def.readOnly };
  service.read.security = securityOf(def);
  service.read.cache.readMaxAgeMs = config.readMaxAgeMs;
  return service;
}

/** The lag and throughput sampler of one cluster, at the configured interval and retention. */
export function samplerFor(service: ClusterService, store: HistoryStore, config: QuorumConfig): HistorySampler {
  const { sampleMs, retentionHours } = config.history;
  return new HistorySampler(service, store, sampleMs, retentionHours * 3_600_000);
}

/** The broker metrics sampler of one cluster (its lab exporters or the endpoints its entry names). */
export function metricsSamplerFor(
  service: ClusterService,
  store: HistoryStore,
  config: QuorumConfig,
  def: ClusterDefinition | undefined,
): BrokerMetricsSampler {
  return new BrokerMetricsSampler(service.id, metricsTargets(service, def), store, config.metricsSampleMs);
}

export function createQuorum(config: QuorumConfig): Quorum {
  const embedded = config.embedded ? new EmbeddedCluster(config.embedded) : null;
  const clusters = new Map<string, ClusterService>();
  const definitions = new Map<string, ClusterDefinition>();
  const monitor = monitorOptions(config);
  if (embedded) {
    const local = new ClusterService(LOCAL_CLUSTER_ID, "Local lab", [], embedded, monitor);
    local.read.cache.readMaxAgeMs = config.readMaxAgeMs;
    clusters.set(LOCAL_CLUSTER_ID, local);
  }
  const runtimeStore = new RuntimeClusterStore(path.join(config.dataDir, "clusters.json"));
  const runtime = runtimeStore.load().map((entry, i) => {
    const def = definitionOf(entry, "runtime");
    if (config.external.some((c) => c.id === def.id)) {
      throw new Error(
        `${runtimeStore.file}: clusters[${i}] ("${def.id}"): id: ${config.configFile ? "QUORUM_CLUSTERS or the config file" : "QUORUM_CLUSTERS"} already has a cluster "${def.id}"; remove one of them`,
      );
    }
    try {
      resolveConnection(def);
    } catch (err) {
      throw new Error(`${runtimeStore.file}: clusters[${i}] ("${def.id}"): ${(err as Error).message}`);
    }
    return def;
  });
  for (const def of [...config.external, ...runtime]) {
    definitions.set(def.id, def);
    clusters.set(def.id, serviceFor(def, config));
  }
  const drills = new Map<string, DrillRunner>();
  const local = clusters.get(LOCAL_CLUSTER_ID);
  if (local && config.embedded)
    drills.set(LOCAL_CLUSTER_ID, new DrillRunner(local, path.join(config.dataDir, "drills")));
  const workloads = new Map<string, DemoWorkload>();
  if (local) workloads.set(LOCAL_CLUSTER_ID, new DemoWorkload(local, config.demo.enabled, config.demo.rate));
  const auth = config.auth
    ? new AuthService(config.auth, config.dataDir, sessionSecret(config.dataDir, process.env), process.env)
    : null;
  return {
    config,
    embedded,
    clusters,
    drills,
    workloads,
    history: null,
    definitions,
    runtimeStore,
    started: false,
    auth,
  };
}

/** 403 `read_only` when `id` names a read-only cluster: the route wrapper asks before every mutation. */
export function refuseIfReadOnly(id: string): void {
  const cluster = getQuorum().clusters.get(id);
  if (cluster?.readOnly) {
    throw new AppError(
      "read_only",
      `Cluster "${id}" is read-only: Quorum refuses every change to it (topics, configs, elections, messages, group offsets, records, brokers, drills, workload)`,
    );
  }
}

export function getQuorum(): Quorum {
  const g = globalThis as WithQuorum;
  g[KEY] ??= createQuorum(loadConfig());
  return g[KEY];
}

export function getDrills(id: string): DrillRunner {
  getCluster(id);
  const drills = getQuorum().drills.get(id);
  if (!drills) {
    throw new AppError(
      "not_controllable",
      `Cluster "${id}" is reached by bootstrap servers only: a drill needs a cluster Quorum runs`,
    );
  }
  return drills;
}

export function getHistory(): HistoryStore {
  const history = getQuorum().history;
  if (!history) throw new AppError("conflict", "Lag history is not recording: Quorum has not finished starting");
  return history.store;
}

export function getWorkload(id: string): DemoWorkload {
  getCluster(id);
  const workload = getQuorum().workloads.get(id);
  if (!workload)
    throw new AppError("not_controllable", `Cluster "${id}" has no demo workload: only the cluster Quorum runs does`);
  return workload;
}

/** A cluster's summary, with the lab's SASL_SSL listener for the cluster Quorum runs when it is on. */
export function getCluster(id: string): ClusterService {
  const cluster = getQuorum().clusters.get(id);
  if (!cluster) throw new AppError("cluster_not_found", `No cluster "${id}": GET /api/clusters lists them`);
  return cluster;
}
