import "server-only";
import path from "node:path";
import type { ClusterSummary } from "@/lib/types";
import { ClusterService } from "./cluster-service";
import { loadConfig, type QuorumConfig } from "./config";
import { DrillRunner } from "./drill/drill";
import { EmbeddedCluster } from "./embedded/embedded-cluster";
import { AppError } from "./errors";
import { HistoryStore } from "./history/history-store";
import { HistorySampler } from "./history/sampler";
import { logger } from "./logger";
import { DEFAULT_MONITOR_OPTIONS } from "./monitor/monitor";
import { DemoWorkload } from "./workload/demo";

/** The id of the cluster Quorum runs itself. */
export const LOCAL_CLUSTER_ID = "local";

export interface Quorum {
  config: QuorumConfig;
  embedded: EmbeddedCluster | null;
  clusters: Map<string, ClusterService>;
  /** Failover drills, for the clusters Quorum runs. */
  drills: Map<string, DrillRunner>;
  /** The demo workload, for the cluster Quorum runs. */
  workloads: Map<string, DemoWorkload>;
  /** Lag and throughput history, opened when Quorum starts. */
  history: { store: HistoryStore; samplers: HistorySampler[] } | null;
}

// Next.js may bundle this module more than once (instrumentation and each route): the one
// instance per process lives on globalThis.
const KEY = Symbol.for("quorum.instance");
type WithQuorum = typeof globalThis & { [KEY]?: Quorum };

export function createQuorum(config: QuorumConfig): Quorum {
  const embedded = config.embedded ? new EmbeddedCluster(config.embedded) : null;
  const clusters = new Map<string, ClusterService>();
  const monitor = { ...DEFAULT_MONITOR_OPTIONS, intervalMs: config.monitorIntervalMs, maxStreams: config.maxStreams };
  if (embedded)
    clusters.set(LOCAL_CLUSTER_ID, new ClusterService(LOCAL_CLUSTER_ID, "Local lab", [], embedded, monitor));
  for (const ext of config.external)
    clusters.set(ext.id, new ClusterService(ext.id, ext.id, ext.bootstrap, null, monitor));
  const drills = new Map<string, DrillRunner>();
  const local = clusters.get(LOCAL_CLUSTER_ID);
  if (local && config.embedded)
    drills.set(LOCAL_CLUSTER_ID, new DrillRunner(local, path.join(config.dataDir, "drills")));
  const workloads = new Map<string, DemoWorkload>();
  if (local) workloads.set(LOCAL_CLUSTER_ID, new DemoWorkload(local, config.demo.enabled, config.demo.rate));
  return { config, embedded, clusters, drills, workloads, history: null };
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
export async function clusterSummary(cluster: ClusterService): Promise<ClusterSummary> {
  const summary = await cluster.summary();
  const sasl = cluster.id === LOCAL_CLUSTER_ID ? getQuorum().embedded?.saslListener() : null;
  return sasl ? { ...summary, sasl } : summary;
}

export function getCluster(id: string): ClusterService {
  const cluster = getQuorum().clusters.get(id);
  if (!cluster) throw new AppError("cluster_not_found", `No cluster "${id}": GET /api/clusters lists them`);
  return cluster;
}

let stopping: Promise<void> | null = null;

/**
 * Stops everything Quorum runs: monitors, the demo workload, history sampling, then the embedded
 * cluster (brokers, then controllers). Safe to call more than once.
 */
export function stopQuorum(): Promise<void> {
  stopping ??= (async () => {
    for (const cluster of getQuorum().clusters.values()) cluster.monitor.stop();
    await Promise.all([...getQuorum().workloads.values()].map((w) => w.stop().catch(() => undefined)));
    const history = getQuorum().history;
    if (history) {
      for (const s of history.samplers) s.stop();
      history.store.close();
    }
    const embedded = getQuorum().embedded;
    if (embedded) await embedded.stop();
  })();
  return stopping;
}

/**
 * Starts the embedded cluster in the background (the console serves meanwhile and shows the
 * progress) and makes SIGINT/SIGTERM stop every node before the process exits.
 */
export function startQuorum(): void {
  const q = getQuorum();
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, "stopping the embedded cluster");
    const hardExit = setTimeout(() => process.exit(1), 60_000);
    hardExit.unref();
    stopQuorum()
      .catch((err: unknown) => logger.error({ err: String(err) }, "stopping the embedded cluster failed"))
      .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  for (const cluster of q.clusters.values()) cluster.monitor.start();
  try {
    const store = new HistoryStore(path.join(q.config.dataDir, "history.sqlite"));
    const { sampleMs, retentionHours } = q.config.history;
    const samplers = [...q.clusters.values()].map(
      (c) => new HistorySampler(c, store, sampleMs, retentionHours * 3_600_000),
    );
    for (const s of samplers) s.start();
    q.history = { store, samplers };
  } catch (err) {
    logger.error(
      { err: err instanceof Error ? err.message : String(err) },
      "lag history is off: its database did not open",
    );
  }
  if (!q.embedded) return;
  const embedded = q.embedded;
  embedded.on("change", (nodes) => {
    const up = nodes.filter((n) => n.status === "up").length;
    logger.debug({ up, total: nodes.length }, "node status changed");
  });
  const workload = q.workloads.get(LOCAL_CLUSTER_ID);
  embedded.start().then(
    () => {
      if (workload?.enabled) void workload.start();
    },
    (err: unknown) => {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, "the embedded cluster did not start");
    },
  );
}
