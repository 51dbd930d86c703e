import "server-only";
import { EventEmitter } from "node:events";
import path from "node:path";
import pino from "pino";
import { type ClusterEntry, RESERVED_CLUSTER_ID } from "@/lib/schemas/clusters";
import { ClusterService } from "./cluster-service";
import {
  type ClusterDefinition,
  definitionOf,
  entryOf,
  resolveConnection,
  securityOf,
} from "./clusters/cluster-config";
import { createKafkaGateway } from "./clusters/gateway";
import { RuntimeClusterStore } from "./clusters/runtime-store";
import { loadConfig, type QuorumConfig } from "./config";
import { DrillRunner } from "./drill/drill";
import { EmbeddedCluster } from "./embedded/embedded-cluster";
import { STOP_CEILING_MS } from "./embedded/stop-progress";
import { AppError } from "./errors";
import { HistoryStore } from "./history/history-store";
import { HistorySampler } from "./history/sampler";
import { logger } from "./logger";
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
  history: { store: HistoryStore; samplers: HistorySampler[] } | null;
  /** How each external cluster was defined (QUORUM_CLUSTERS, the config file, or added at run time). */
  definitions?: Map<string, ClusterDefinition>;
  /** Where clusters added at run time are kept (`<data dir>/clusters.json`). */
  runtimeStore?: RuntimeClusterStore;
  /** Set by startQuorum: a cluster added later starts its monitor and sampler at once. */
  started?: boolean;
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
function serviceFor(def: ClusterDefinition, config: QuorumConfig): ClusterService {
  const gateway = createKafkaGateway(resolveConnection(def));
  const service = new ClusterService(def.id, def.name, def.bootstrap, null, monitorOptions(config), gateway);
  service.read.access = { origin: def.origin, readOnly: def.readOnly };
  service.read.security = securityOf(def);
  return service;
}

/** A definition added at run time with its TLS paths made absolute (from the working directory), so they mean one thing later. */
function withAbsolutePaths(def: ClusterDefinition): ClusterDefinition {
  if (!def.tls) return def;
  const tls = { ...def.tls };
  for (const k of ["ca", "cert", "key"] as const) {
    const p = tls[k];
    if (p !== undefined) tls[k] = path.resolve(p);
  }
  return { ...def, tls };
}

export function createQuorum(config: QuorumConfig): Quorum {
  const embedded = config.embedded ? new EmbeddedCluster(config.embedded) : null;
  const clusters = new Map<string, ClusterService>();
  const definitions = new Map<string, ClusterDefinition>();
  const monitor = monitorOptions(config);
  if (embedded)
    clusters.set(LOCAL_CLUSTER_ID, new ClusterService(LOCAL_CLUSTER_ID, "Local lab", [], embedded, monitor));
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
  return { config, embedded, clusters, drills, workloads, history: null, definitions, runtimeStore, started: false };
}

/** What the API says about a cluster's definition: secrets by name only, as stored. */
export type PublicDefinition = ClusterEntry & { origin: ClusterDefinition["origin"] };

function publicDefinition(def: ClusterDefinition): PublicDefinition {
  return { ...entryOf(def), name: def.name, readOnly: def.readOnly, origin: def.origin };
}

/**
 * Adds a cluster at run time: refused when its id is taken (409), or when a TLS file cannot be read
 * or is not PEM, or its password variable is not set or not named QUORUM_SECRET_… (400); otherwise
 * it is stored in `<data dir>/clusters.json` and gets its monitor and history sampler like the others.
 */
export function addRuntimeCluster(entry: ClusterEntry): PublicDefinition {
  const q = getQuorum();
  if (q.clusters.has(entry.id)) {
    throw new AppError("conflict", `A cluster with the id "${entry.id}" already exists: choose another id`, {
      field: "id",
    });
  }
  const def = withAbsolutePaths(definitionOf(entry, "runtime"));
  const service = serviceFor(def, q.config);
  const store = q.runtimeStore;
  const definitions = q.definitions;
  if (!store || !definitions) throw new AppError("conflict", "Quorum keeps no clusters added at run time here");
  const runtime = [...definitions.values()].filter((d) => d.origin === "runtime");
  store.save([...runtime, def].map(entryOf));
  definitions.set(def.id, def);
  q.clusters.set(def.id, service);
  if (q.started) {
    service.monitor.start();
    if (q.history) {
      const { sampleMs, retentionHours } = q.config.history;
      const sampler = new HistorySampler(service, q.history.store, sampleMs, retentionHours * 3_600_000);
      sampler.start();
      q.history.samplers.push(sampler);
    }
  }
  logger.info(
    {
      action: "cluster.add",
      cluster: def.id,
      bootstrap: def.bootstrap,
      readOnly: def.readOnly,
      tls: def.tls !== null,
      sasl: def.sasl ? `${def.sasl.mechanism} as ${def.sasl.username}` : null,
    },
    "cluster.add",
  );
  return publicDefinition(def);
}

/**
 * Removes a cluster added at run time: its monitor stops, its event streams close, its sampler
 * stops, and it leaves clusters.json. The embedded cluster and configured ones answer 409 with why.
 */
export function removeRuntimeCluster(id: string): void {
  const q = getQuorum();
  const service = getCluster(id);
  const def = q.definitions?.get(id);
  if (def?.origin !== "runtime") {
    const why =
      id === LOCAL_CLUSTER_ID
        ? "it is the cluster Quorum runs"
        : def?.origin === "config-file"
          ? `it comes from the config file ${q.config.configFile ?? ""}: remove it there and restart Quorum`
          : "it comes from QUORUM_CLUSTERS: remove it there and restart Quorum";
    throw new AppError("conflict", `Cluster "${id}" cannot be removed here: ${why}`);
  }
  const definitions = q.definitions;
  const store = q.runtimeStore;
  if (!definitions || !store) throw new AppError("conflict", `Cluster "${id}" cannot be removed here`);
  const rest = [...definitions.values()].filter((d) => d.origin === "runtime" && d.id !== id);
  store.save(rest.map(entryOf));
  definitions.delete(id);
  q.clusters.delete(id);
  service.monitor.close();
  void service.gateway.close();
  if (q.history) {
    const sampler = q.history.samplers.find((s) => s.clusterId === id);
    sampler?.stop();
    q.history.samplers = q.history.samplers.filter((s) => s !== sampler);
  }
  logger.info({ action: "cluster.remove", cluster: id }, "cluster.remove");
}

/** 403 `read_only` when `id` names a read-only cluster: the route wrapper asks before every mutation. */
export function refuseIfReadOnly(id: string): void {
  const cluster = getQuorum().clusters.get(id);
  if (cluster?.readOnly) {
    throw new AppError(
      "read_only",
      `Cluster "${id}" is read-only: Quorum refuses every change to it (topics, configs, elections, brokers, drills, workload)`,
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

/** The signals that stop Quorum: a terminal's Ctrl-C, `kill`, systemd, a closed terminal. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** Exit anyway if stopping hangs: past the longest a broker stop and then a controller stop may take. */
const STOP_HARD_EXIT_MS = 2 * STOP_CEILING_MS + 60_000;

/**
 * Stops everything on the first of SIGINT, SIGTERM or SIGHUP, then exits. The handlers stay: a
 * signal sent to the whole process group arrives more than once (directly, and passed on by
 * `npm start`), and a repeat must not fall through to Node's default action, which would end this
 * process at once and leave every node to its parent-gone watchdog in no particular order.
 */
function handleStopSignals(): void {
  let first: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (first) {
      logger.info({ signal }, `${signal} while stopping on ${first}: the stop goes on`);
      return;
    }
    first = signal;
    logger.info({ signal }, "stopping the embedded cluster");
    // After a terminal hangs up, writing to it fails (EIO); that must not end the stop.
    const logStream: unknown = Reflect.get(logger, pino.symbols.streamSym);
    for (const stream of [process.stdout, process.stderr, logStream])
      if (stream instanceof EventEmitter) stream.on("error", () => {});
    const hardExit = setTimeout(() => {
      logger.error({ ms: STOP_HARD_EXIT_MS }, "stopping took too long: exiting anyway");
      process.exit(1);
    }, STOP_HARD_EXIT_MS);
    hardExit.unref();
    stopQuorum()
      .catch((err: unknown) => logger.error({ err: String(err) }, "stopping the embedded cluster failed"))
      .finally(() => process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGHUP" ? 1 : 15)));
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
}

/**
 * Starts the embedded cluster in the background (the console serves meanwhile and shows the
 * progress) and makes SIGINT/SIGTERM/SIGHUP stop every node, in order, before the process exits.
 */
export function startQuorum(): void {
  const q = getQuorum();
  handleStopSignals();
  q.started = true;
  for (const cluster of q.clusters.values()) cluster.monitor.start();
  try {
    const { sampleMs, retentionHours } = q.config.history;
    const store = new HistoryStore(path.join(q.config.dataDir, "history.sqlite"), sampleMs);
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
