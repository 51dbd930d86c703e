// npm run bench:lab-restart — a clean stop and restarts of the lab at size.
// Starts an embedded cluster in BENCH_DIR (kept between runs: the topics are made once), fills it
// to BENCH_TOPICS × BENCH_PARTITIONS partitions at BENCH_RF, then measures:
//   1. a clean stop of the whole lab (brokers, then controllers, as SIGTERM to `npm start` does),
//      and whether any node had to be killed;
//   2. the restart after that clean stop: time until every node answers, and until every
//      partition has a leader in Kafka's metadata;
//   3. the restart after every node was SIGKILLed (log recovery): the same two times.
// Prints the numbers; the server log (JSON lines) goes to stdout too, with what each stop did.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../server/config";
import { EmbeddedCluster } from "../server/embedded/embedded-cluster";
import { createTopic } from "../server/kafka/admin-requests";
import { fetchMetadata } from "../server/kafka/metadata";
import { withPool } from "../server/kafka/pool";

const BROKERS = Number(process.env.BENCH_BROKERS ?? 1);
const TOPICS = Number(process.env.BENCH_TOPICS ?? 800);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 10);
const RF = Number(process.env.BENCH_RF ?? 1);
const DIR =
  process.env.BENCH_DIR ?? path.join(os.tmpdir(), `quorum-lab-restart-${BROKERS}b-${TOPICS}x${PARTITIONS}-rf${RF}`);
const HEAP = process.env.BENCH_BROKER_HEAP_MB ?? "768";
/** Which parts to run: stop, clean restart, kill restart. */
const STEPS = (process.env.BENCH_STEPS ?? "stop,restart,kill").split(",");

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function newCluster(): EmbeddedCluster {
  const config = loadConfig({
    QUORUM_DATA_DIR: DIR,
    QUORUM_BROKERS: String(BROKERS),
    QUORUM_CONTROLLERS: "1",
    QUORUM_BROKER_PORTS: "auto",
    QUORUM_CONTROLLER_PORTS: "auto",
    QUORUM_BROKER_HEAP_MB: HEAP,
  });
  if (!config.embedded) throw new Error("embedded config expected");
  return new EmbeddedCluster(config.embedded);
}

/** Partitions in the cluster's metadata, and how many of them have a leader. */
async function leadersKnown(bootstrap: string[]): Promise<{ total: number; led: number; rf: number }> {
  const md = await withPool({ tls: null, sasl: null }, (pool) => fetchMetadata(pool, bootstrap, 30_000));
  const parts = md.topics.filter((t) => !t.name.startsWith("__")).flatMap((t) => t.partitions);
  const rf = parts.reduce((max, p) => Math.max(max, p.replicas.length), 0);
  return { total: parts.length, led: parts.filter((p) => p.leader >= 0).length, rf };
}

/** Starts the cluster; resolves with the time to every node up and to every partition led. */
async function timedStart(cluster: EmbeddedCluster, wanted: number): Promise<{ upMs: number; ledMs: number }> {
  const t0 = Date.now();
  await cluster.start();
  const upMs = Date.now() - t0;
  for (;;) {
    const known = await leadersKnown(cluster.bootstrap).catch(() => ({ total: 0, led: 0 }));
    if (known.total >= wanted && known.led === known.total) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return { upMs, ledMs: Date.now() - t0 };
}

async function fill(cluster: EmbeddedCluster): Promise<void> {
  const existing = await withPool({ tls: null, sasl: null }, (pool) => fetchMetadata(pool, cluster.bootstrap, 30_000));
  const have = new Set(existing.topics.map((t) => t.name));
  const todo = Array.from({ length: TOPICS }, (_, i) => `lab-${String(i).padStart(5, "0")}`).filter(
    (n) => !have.has(n),
  );
  if (todo.length === 0) return;
  const t0 = Date.now();
  await withPool({ tls: null, sasl: null }, async (pool) => {
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const name = todo[next++] as string;
        await createTopic(pool, cluster.bootstrap, {
          name,
          partitions: PARTITIONS,
          replicationFactor: RF,
          configs: {},
        });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  });
  console.log(`[bench] created ${todo.length} topics in ${secs(Date.now() - t0)}`);
}

function exits(cluster: EmbeddedCluster): string {
  return cluster
    .nodeStates()
    .map((n) => `${n.role} ${n.id}: ${n.lastExit?.signal ?? `code ${n.lastExit?.code ?? "?"}`}`)
    .join(", ");
}

async function main() {
  const wanted = TOPICS * PARTITIONS;
  console.log(`[bench] ${BROKERS} broker(s), ${TOPICS} × ${PARTITIONS} partitions, RF ${RF}, in ${DIR}`);
  let cluster = newCluster();
  const first = await timedStart(cluster, 0);
  console.log(`[bench] first start: nodes up in ${secs(first.upMs)}`);
  await fill(cluster);
  const known = await leadersKnown(cluster.bootstrap);
  console.log(`[bench] ${known.total} partitions, ${known.led} led`);
  const results: string[] = [];
  try {
    if (STEPS.includes("stop")) {
      const t0 = Date.now();
      await cluster.stop();
      const ms = Date.now() - t0;
      const killed = cluster.nodeStates().filter((n) => n.lastExit?.signal === "SIGKILL").length;
      results.push(`clean stop of the lab: ${secs(ms)}, nodes killed: ${killed} (${exits(cluster)})`);
      console.log(`[bench] ${results.at(-1)}`);
      cluster = newCluster();
      if (STEPS.includes("restart")) {
        const r = await timedStart(cluster, wanted);
        results.push(
          `restart after the clean stop: every node up ${secs(r.upMs)}, every partition led ${secs(r.ledMs)}`,
        );
        console.log(`[bench] ${results.at(-1)}`);
      } else await cluster.start();
    }
    if (STEPS.includes("kill")) {
      for (const n of cluster.nodeStates()) if (n.pid) process.kill(n.pid, "SIGKILL");
      await cluster.waitUntil(() => cluster.nodeStates().every((n) => n.status === "down"), 30_000, "every node down");
      await cluster.stop();
      cluster = newCluster();
      const r = await timedStart(cluster, wanted);
      results.push(`restart after SIGKILL: every node up ${secs(r.upMs)}, every partition led ${secs(r.ledMs)}`);
      console.log(`[bench] ${results.at(-1)}`);
    }
  } finally {
    const t0 = Date.now();
    await cluster.stop();
    console.log(`[bench] final stop ${secs(Date.now() - t0)} (${exits(cluster)})`);
    if (process.env.BENCH_KEEP !== "true" && process.env.BENCH_DIR === undefined)
      fs.rmSync(DIR, { recursive: true, force: true });
  }
  console.log(`\n[bench] ${BROKERS} broker(s), ${known.total} partitions, RF ${known.rf}:`);
  for (const r of results) console.log(`  ${r}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
