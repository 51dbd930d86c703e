// npm run bench:snapshot — how many Kafka requests one cluster snapshot makes, and how long the
// read API takes, on a real 3-broker cluster with T topics × P partitions and G consumer groups.
// Prints medians of fresh (uncached) reads; numbers, not pass/fail.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { ClusterService } from "../server/cluster-service";
import { loadConfig } from "../server/config";
import { EmbeddedCluster } from "../server/embedded/embedded-cluster";
import { perPort, resetSocketCounts, socketCounts } from "./socket-count";

const TOPICS = Number(process.env.BENCH_TOPICS ?? 100);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 10);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? Number.NaN;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-bench-"));
  const config = loadConfig({
    QUORUM_DATA_DIR: dataDir,
    QUORUM_BROKER_PORTS: "auto",
    QUORUM_CONTROLLER_PORTS: "auto",
    QUORUM_LOG_LEVEL: "warn",
  });
  if (!config.embedded) throw new Error("embedded config expected");
  const cluster = new EmbeddedCluster(config.embedded);
  try {
    await cluster.start();
    const kafka = new Kafka({ clientId: "bench", brokers: cluster.bootstrap, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const names = Array.from({ length: TOPICS }, (_, i) => `bench-${String(i).padStart(4, "0")}`);
    await admin.createTopics({
      topics: names.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 3 })),
      waitForLeaders: true,
      timeout: 120_000,
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.sendBatch({
      topicMessages: names.map((topic) => ({
        topic,
        messages: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, value: "x" })),
      })),
    });
    await producer.disconnect();
    for (let g = 0; g < GROUPS; g++) {
      const topic = names[g % names.length] ?? "";
      await admin.setOffsets({
        groupId: `bench-group-${g}`,
        topic,
        partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: "0" })),
      });
    }
    await admin.disconnect();

    const service = new ClusterService("bench", "bench", [], cluster);
    const snapMs: number[] = [];
    const topicsMs: number[] = [];
    const groupsMs: number[] = [];
    const topicMs: number[] = [];
    let requests = 0;
    const ports = cluster.bootstrap.map((a) => Number(a.slice(a.lastIndexOf(":") + 1)));
    resetSocketCounts(ports);
    let partitions = 0;
    let groups = 0;
    for (let i = 0; i < RUNS; i++) {
      const [snap, ms] = await timed(() => service.gateway.takeSnapshot(cluster.bootstrap, 4000));
      snapMs.push(ms);
      requests = snap.requests;
      partitions = snap.topics.reduce((a, t) => a + t.partitions.length, 0);
      groups = snap.groups.length;
      service.invalidate();
      topicsMs.push((await timed(() => service.topics()))[1]);
      service.invalidate();
      groupsMs.push((await timed(() => service.consumerGroups()))[1]);
      service.invalidate();
      topicMs.push((await timed(() => service.topic(names[i % names.length] ?? "")))[1]);
    }
    // Concurrency: 20 callers at once share one snapshot.
    service.invalidate();
    const [, concurrentMs] = await timed(() => Promise.all(Array.from({ length: 20 }, () => service.topics())));

    const f = (x: number) => x.toFixed(1);
    console.log(`cluster: 3 brokers, ${TOPICS} topics × ${PARTITIONS} partitions (RF 3) + internal, ${GROUPS} groups`);
    console.log(
      `snapshot: ${partitions} partitions, ${groups} groups, ${requests} Kafka requests (3 + 6·B = 21 on a healthy cluster, once the API versions are known)`,
    );
    const during = socketCounts();
    const readsOpened = new Map(during.opened);
    const readsMax = new Map(during.maxOpen);

    // A page watching: the monitor refreshes every QUORUM_MONITOR_INTERVAL_MS (500) for 10 s.
    resetSocketCounts(ports);
    const unsubscribe = service.monitor.subscribe(() => {});
    await new Promise((r) => setTimeout(r, 10_000));
    unsubscribe();
    const watching = socketCounts();
    console.log(`takeSnapshot            median ${f(median(snapMs))} ms  p90 ${f(p90(snapMs))} ms  (${RUNS} runs)`);
    console.log(`GET topics (fresh)      median ${f(median(topicsMs))} ms  p90 ${f(p90(topicsMs))} ms`);
    console.log(`GET consumer-groups     median ${f(median(groupsMs))} ms  p90 ${f(p90(groupsMs))} ms`);
    console.log(`GET topic (+configs)    median ${f(median(topicMs))} ms  p90 ${f(p90(topicMs))} ms`);
    console.log(`20 concurrent GET topics: ${f(concurrentMs)} ms in all (one shared snapshot)`);
    console.log(`sockets per broker port (this process: the cluster's gateway and the lab's node probes):`);
    console.log(
      `  ${RUNS} snapshots + ${RUNS * 3} fresh reads: opened ${perPort(readsOpened, ports)}; most open at once ${perPort(readsMax, ports)}`,
    );
    console.log(
      `  a page watching for 10 s: opened ${perPort(watching.opened, ports)}; most open at once ${perPort(watching.maxOpen, ports)}`,
    );
  } finally {
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
