import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { AuthConfig } from "@/lib/schemas/auth";
import { PATH_CLUSTER_IDS, RESERVED_CLUSTER_ID } from "@/lib/schemas/clusters";
import { type ClusterDefinition, loadConfigFile } from "./clusters/cluster-config";
import { DEFAULT_LEADERSHIP_MAP_MAX_PARTITIONS } from "./clusters/leadership";
import { READ_MAX_AGE_MS } from "./clusters/snapshot-cache";

/** Ports of the seeds' docker-compose clusters for brokers 1–3, then more of the same pattern. */
export const DEFAULT_BROKER_PORTS = [19092, 29092, 39092, 49092, 59092, 19094, 29094, 39094, 49094] as const;
export const DEFAULT_CONTROLLER_PORTS = [19093, 29093, 39093] as const;

/** Rows of lag history one cluster keeps at most (QUORUM_HISTORY_MAX_ROWS), ~100 bytes each on disk. */
export const DEFAULT_HISTORY_MAX_ROWS = 2_000_000;

const boolFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const ports = z.union([
  z.literal("auto"),
  z
    .string()
    .transform((s) => s.split(",").map((p) => Number(p.trim())))
    .pipe(z.array(z.number().int().min(1024).max(65535))),
]);

const externalClusters = z
  .string()
  .transform((s) =>
    s
      .split(";")
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,40}=[^=\s]+$/, "each entry is id=host:port[,host:port…]")
        .transform((entry) => {
          const [id = "", servers = ""] = entry.split("=");
          return { id, bootstrap: servers.split(",").map((s) => s.trim()) };
        }),
    ),
  );

const envSchema = z.object({
  QUORUM_EMBEDDED: boolFlag.default(true),
  QUORUM_DATA_DIR: z.string().min(1).default(".quorum"),
  QUORUM_BROKERS: z.coerce.number().int().min(1).max(9).default(3),
  QUORUM_CONTROLLERS: z.coerce
    .number()
    .int()
    .refine((n) => n === 1 || n === 3, "must be 1 or 3")
    .default(1),
  QUORUM_BROKER_PORTS: ports.optional(),
  QUORUM_CONTROLLER_PORTS: ports.optional(),
  QUORUM_BROKER_HEAP_MB: z.coerce.number().int().min(128).max(4096).default(384),
  QUORUM_CONTROLLER_HEAP_MB: z.coerce.number().int().min(128).max(4096).default(256),
  QUORUM_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60000).default(4000),
  QUORUM_HEARTBEAT_MS: z.coerce.number().int().min(250).max(10000).default(1000),
  QUORUM_AUTO_LEADER_REBALANCE: boolFlag.default(false),
  QUORUM_PROBE_INTERVAL_MS: z.coerce.number().int().min(100).max(10000).default(500),
  QUORUM_LAB_SASL: boolFlag.default(false),
  QUORUM_LAB_METRICS: boolFlag.default(true),
  QUORUM_METRICS_SAMPLE_MS: z.coerce.number().int().min(1000).max(60000).default(5000),
  QUORUM_LAB_SASL_PORTS: ports.optional(),
  QUORUM_LAB_SASL_USER: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "1–64 letters, digits, '.', '_' or '-'")
    .default("quorum"),
  QUORUM_LAB_SASL_PASSWORD: z
    .string()
    .regex(/^[^\s,[\]"'=\\]{8,128}$/, "8–128 characters, no spaces, commas, brackets, quotes, '=' or '\\'")
    .optional(),
  QUORUM_CLUSTERS: externalClusters.default([]),
  QUORUM_CONFIG: z.string().min(1).optional(),
  QUORUM_DEMO: boolFlag.default(true),
  QUORUM_DEMO_RATE: z.coerce.number().int().min(1).max(5000).default(20),
  QUORUM_HISTORY_SAMPLE_MS: z.coerce.number().int().min(250).max(60000).default(2000),
  QUORUM_HISTORY_RETENTION_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 30)
    .default(24),
  QUORUM_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  QUORUM_HISTORY_MAX_ROWS: z.coerce.number().int().min(10_000).max(100_000_000).default(DEFAULT_HISTORY_MAX_ROWS),
  QUORUM_MONITOR_INTERVAL_MS: z.coerce.number().int().min(50).max(1000).default(500),
  QUORUM_READ_MAX_AGE_MS: z.coerce.number().int().min(0).max(60000).default(READ_MAX_AGE_MS),
  QUORUM_SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60000).default(15000),
  QUORUM_SSE_MAX_SUBSCRIBERS: z.coerce.number().int().min(1).max(10000).default(100),
  QUORUM_LEADERSHIP_MAP_MAX_PARTITIONS: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(DEFAULT_LEADERSHIP_MAP_MAX_PARTITIONS),
});

export interface EmbeddedConfig {
  dataDir: string;
  brokers: number;
  controllers: 1 | 3;
  /** Explicit ports, or "auto" for free ports chosen at start (kept in the data directory). */
  brokerPorts: number[] | "auto";
  controllerPorts: number[] | "auto";
  brokerHeapMb: number;
  controllerHeapMb: number;
  /** broker.session.timeout.ms: how long the controller waits before fencing a silent broker. */
  sessionTimeoutMs: number;
  /** broker.heartbeat.interval.ms */
  heartbeatMs: number;
  autoLeaderRebalance: boolean;
  probeIntervalMs: number;
  /** The lab's second listener, SASL_SSL with SCRAM-SHA-512 (QUORUM_LAB_SASL), or null when off. */
  sasl: LabSaslConfig | null;
  /** Each node runs the JMX exporter on a free loopback port (QUORUM_LAB_METRICS). */
  metrics: boolean;
}

export interface LabSaslConfig {
  /** One port per broker, or "auto" for free ports chosen at start (kept in the data directory). */
  ports: number[] | "auto";
  user: string;
  /** From QUORUM_LAB_SASL_PASSWORD; null: generated once and kept under <data dir>/security. */
  password: string | null;
}

/** Where each broker's SASL_SSL listener goes when its plaintext port is explicit and no list is given. */
export const SASL_PORT_OFFSET = 1000;

export interface QuorumConfig {
  /** Where Quorum keeps what it writes: the embedded cluster, lag history, drill reports. */
  dataDir: string;
  embedded: EmbeddedConfig | null;
  /** Clusters reached by bootstrap servers: QUORUM_CLUSTERS, then the config file's. */
  external: ClusterDefinition[];
  /** The config file that was read, if any. */
  configFile: string | null;
  /** Sign-in and roles (the config file's `auth`); null: off, and Quorum serves only its own machine. */
  auth: AuthConfig | null;
  /** How long the audit trail keeps an entry (QUORUM_AUDIT_RETENTION_DAYS). */
  auditRetentionDays: number;
  /** How often the cluster monitor refreshes its snapshot while someone listens. */
  monitorIntervalMs: number;
  /** How old the shared snapshot may be and still answer an API read (older: the read waits for a new one). */
  readMaxAgeMs: number;
  /** How often the event stream sends a heartbeat. */
  heartbeatMs: number;
  /** Event streams one cluster serves at most (503 past it). */
  maxStreams: number;
  /** Up to this many partitions the overview's leadership map draws each one; above, a per-topic heat map. */
  leadershipMapMaxPartitions: number;
  /** The demo workload on the embedded cluster: on at start, and its rate in messages per second. */
  demo: { enabled: boolean; rate: number };
  /**
   * Lag and throughput history: sampling pace, how long samples are kept, and the row budget per
   * cluster (past it the oldest rows go first, whatever the retention).
   */
  history: { sampleMs: number; retentionHours: number; maxRows: number };
  /** How often each cluster's broker metrics are scraped (QUORUM_METRICS_SAMPLE_MS); kept with the history. */
  metricsSampleMs: number;
}

export class ConfigError extends Error {}

/** The config file read from the working directory when QUORUM_CONFIG does not name one. */
export const DEFAULT_CONFIG_FILE = "quorum.config.json";

/** Reads Quorum's configuration from environment variables; a bad value gives one clear sentence. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): QuorumConfig {
  const raw = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith("QUORUM_") && v !== ""));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid ${String(issue?.path[0] ?? "setting")}: ${issue?.message ?? "bad value"}`);
  }
  const e = parsed.data;
  const brokerPorts = e.QUORUM_BROKER_PORTS ?? DEFAULT_BROKER_PORTS.slice(0, e.QUORUM_BROKERS);
  const controllerPorts = e.QUORUM_CONTROLLER_PORTS ?? DEFAULT_CONTROLLER_PORTS.slice(0, e.QUORUM_CONTROLLERS);
  if (brokerPorts !== "auto" && brokerPorts.length !== e.QUORUM_BROKERS) {
    throw new ConfigError(`QUORUM_BROKER_PORTS lists ${brokerPorts.length} ports for ${e.QUORUM_BROKERS} brokers`);
  }
  if (controllerPorts !== "auto" && controllerPorts.length !== e.QUORUM_CONTROLLERS) {
    throw new ConfigError(
      `QUORUM_CONTROLLER_PORTS lists ${controllerPorts.length} ports for ${e.QUORUM_CONTROLLERS} controllers`,
    );
  }
  let saslPorts: number[] | "auto" = "auto";
  if (e.QUORUM_LAB_SASL) {
    saslPorts =
      e.QUORUM_LAB_SASL_PORTS ?? (brokerPorts === "auto" ? "auto" : brokerPorts.map((p) => p + SASL_PORT_OFFSET));
    if (saslPorts !== "auto" && saslPorts.length !== e.QUORUM_BROKERS) {
      throw new ConfigError(`QUORUM_LAB_SASL_PORTS lists ${saslPorts.length} ports for ${e.QUORUM_BROKERS} brokers`);
    }
    if (saslPorts !== "auto" && saslPorts.some((p) => p > 65535)) {
      throw new ConfigError(
        `QUORUM_LAB_SASL: broker port + ${SASL_PORT_OFFSET} passes 65535; set QUORUM_LAB_SASL_PORTS explicitly`,
      );
    }
  }
  const all = [
    ...(brokerPorts === "auto" ? [] : brokerPorts),
    ...(controllerPorts === "auto" ? [] : controllerPorts),
    ...(e.QUORUM_LAB_SASL && saslPorts !== "auto" ? saslPorts : []),
  ];
  if (new Set(all).size !== all.length) throw new ConfigError("Broker, controller and SASL ports must all differ");
  if (e.QUORUM_HEARTBEAT_MS * 2 > e.QUORUM_SESSION_TIMEOUT_MS) {
    throw new ConfigError("QUORUM_SESSION_TIMEOUT_MS must be at least twice QUORUM_HEARTBEAT_MS");
  }
  if (e.QUORUM_CLUSTERS.some((c) => c.id === RESERVED_CLUSTER_ID)) {
    throw new ConfigError('QUORUM_CLUSTERS: the id "local" is the embedded cluster\'s');
  }
  const pathId = e.QUORUM_CLUSTERS.find((c) => (PATH_CLUSTER_IDS as readonly string[]).includes(c.id));
  if (pathId) throw new ConfigError(`QUORUM_CLUSTERS: the id "${pathId.id}" is taken by Quorum's own paths`);
  const fromEnv: ClusterDefinition[] = e.QUORUM_CLUSTERS.map((c) => ({
    id: c.id,
    name: c.id,
    bootstrap: c.bootstrap,
    readOnly: false,
    tls: null,
    sasl: null,
    metrics: null,
    origin: "env",
  }));
  const envIds = new Set<string>();
  for (const c of fromEnv) {
    if (envIds.has(c.id)) throw new ConfigError(`QUORUM_CLUSTERS: the id "${c.id}" appears twice`);
    envIds.add(c.id);
  }
  // The config file: QUORUM_CONFIG names it (and must exist), else quorum.config.json when present.
  const configFile = e.QUORUM_CONFIG
    ? path.resolve(cwd, e.QUORUM_CONFIG)
    : fs.existsSync(path.join(cwd, DEFAULT_CONFIG_FILE))
      ? path.join(cwd, DEFAULT_CONFIG_FILE)
      : null;
  let fromFile: ClusterDefinition[] = [];
  let auth: AuthConfig | null = null;
  if (configFile) {
    try {
      ({ clusters: fromFile, auth } = loadConfigFile(configFile, { env }));
    } catch (err) {
      throw new ConfigError(err instanceof Error ? err.message : String(err));
    }
    fromFile.forEach((c, i) => {
      if (envIds.has(c.id)) {
        throw new ConfigError(
          `${configFile}: clusters[${i}] ("${c.id}"): id: QUORUM_CLUSTERS already has a cluster "${c.id}"; ids must be unique`,
        );
      }
    });
  }
  return {
    dataDir: path.resolve(cwd, e.QUORUM_DATA_DIR),
    embedded: e.QUORUM_EMBEDDED
      ? {
          dataDir: path.resolve(cwd, e.QUORUM_DATA_DIR),
          brokers: e.QUORUM_BROKERS,
          controllers: e.QUORUM_CONTROLLERS === 3 ? 3 : 1,
          brokerPorts,
          controllerPorts,
          brokerHeapMb: e.QUORUM_BROKER_HEAP_MB,
          controllerHeapMb: e.QUORUM_CONTROLLER_HEAP_MB,
          sessionTimeoutMs: e.QUORUM_SESSION_TIMEOUT_MS,
          heartbeatMs: e.QUORUM_HEARTBEAT_MS,
          autoLeaderRebalance: e.QUORUM_AUTO_LEADER_REBALANCE,
          probeIntervalMs: e.QUORUM_PROBE_INTERVAL_MS,
          sasl: e.QUORUM_LAB_SASL
            ? { ports: saslPorts, user: e.QUORUM_LAB_SASL_USER, password: e.QUORUM_LAB_SASL_PASSWORD ?? null }
            : null,
          metrics: e.QUORUM_LAB_METRICS,
        }
      : null,
    external: [...fromEnv, ...fromFile],
    configFile,
    auth,
    auditRetentionDays: e.QUORUM_AUDIT_RETENTION_DAYS,
    monitorIntervalMs: e.QUORUM_MONITOR_INTERVAL_MS,
    readMaxAgeMs: e.QUORUM_READ_MAX_AGE_MS,
    heartbeatMs: e.QUORUM_SSE_HEARTBEAT_MS,
    maxStreams: e.QUORUM_SSE_MAX_SUBSCRIBERS,
    leadershipMapMaxPartitions: e.QUORUM_LEADERSHIP_MAP_MAX_PARTITIONS,
    demo: { enabled: e.QUORUM_DEMO, rate: e.QUORUM_DEMO_RATE },
    history: {
      sampleMs: e.QUORUM_HISTORY_SAMPLE_MS,
      retentionHours: e.QUORUM_HISTORY_RETENTION_HOURS,
      maxRows: e.QUORUM_HISTORY_MAX_ROWS,
    },
    metricsSampleMs: e.QUORUM_METRICS_SAMPLE_MS,
  };
}
