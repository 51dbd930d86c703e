import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type EmbeddedConfig, loadConfig } from "@/server/config";
import { EmbeddedCluster } from "@/server/embedded/embedded-cluster";
import { fetchMetadata } from "@/server/kafka/metadata";
import { withPool } from "@/server/kafka/pool";

export interface TestCluster {
  cluster: EmbeddedCluster;
  dataDir: string;
  bootstrap: string[];
  stop(): Promise<void>;
}

interface TestClusterOptions {
  brokers?: number;
  controllers?: 1 | 3;
  /** Adds the SASL_SSL (SCRAM-SHA-512) listener on auto ports, as QUORUM_LAB_SASL=true does. */
  sasl?: boolean;
  /** Reuses this data directory (a restart) instead of a fresh one; the caller removes it. */
  dataDir?: string;
  /** More QUORUM_* settings. */
  env?: Record<string, string>;
}

/**
 * The embedded settings of a test's cluster: free ports (`brokerPorts`, QUORUM_BROKER_PORTS, may
 * name them), small heaps, in `dataDir`.
 */
export function testClusterConfig(
  opts: Omit<TestClusterOptions, "dataDir"> & { dataDir: string; brokerPorts?: string },
): EmbeddedConfig {
  const config = loadConfig({
    ...opts.env,
    ...(opts.sasl ? { QUORUM_LAB_SASL: "true", QUORUM_LAB_SASL_PORTS: "auto" } : {}),
    QUORUM_DATA_DIR: opts.dataDir,
    QUORUM_BROKERS: String(opts.brokers ?? 3),
    QUORUM_CONTROLLERS: String(opts.controllers ?? 1),
    QUORUM_BROKER_PORTS: opts.brokerPorts ?? "auto",
    QUORUM_CONTROLLER_PORTS: "auto",
    QUORUM_BROKER_HEAP_MB: "320",
  });
  if (!config.embedded) throw new Error("embedded config expected");
  return config.embedded;
}

/** A real cluster on free ports in a fresh temp dir, for one test file. */
export async function startTestCluster(opts: TestClusterOptions = {}): Promise<TestCluster> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "quorum-it-"));
  const cluster = new EmbeddedCluster(testClusterConfig({ ...opts, dataDir }));
  const stop = async () => {
    await cluster.stop();
    if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await cluster.start();
  } catch (err) {
    await stop();
    throw err;
  }
  return { cluster, dataDir, bootstrap: cluster.bootstrap, stop };
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function partitionOf(bootstrap: string[], topic: string, partition: number) {
  const md = await withPool({ tls: null, sasl: null }, (pool) => fetchMetadata(pool, bootstrap, 4000, [topic]));
  const p = md.topics.find((t) => t.name === topic)?.partitions.find((x) => x.partition === partition);
  if (!p) throw new Error(`${topic}-${partition} not in metadata`);
  return { ...p, liveBrokers: md.brokers.map((b) => b.nodeId) };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}
