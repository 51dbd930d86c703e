// npm run bench:messages — how fast Quorum reads messages, on a real cluster in a temp dir:
// 1. one page of 1,000 messages of 1 KiB from one partition (oldest and newest), server time
//    (browse + JSON body), median of BENCH_RUNS runs; the goal is ≤ 300 ms;
// 2. a filter-free scan of BENCH_SCAN_MESSAGES messages of 200 bytes through the reader (every
//    value decoded as text), against `kcat -C -e -o beginning | wc -l` on the same data in the
//    same run, with the process's RSS while scanning. Numbers, not pass/fail.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { messagesQuerySchema } from "../lib/schemas/messages";
import { ClusterService } from "../server/cluster-service";
import { loadConfig } from "../server/config";
import { EmbeddedCluster } from "../server/embedded/embedded-cluster";
import { browseMessages } from "../server/messages/browse";
import { decodeData } from "../server/messages/decode";
import { readRecords } from "../server/messages/reader";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const SCAN = Number(process.env.BENCH_SCAN_MESSAGES ?? 200_000);
const SCAN_RUNS = Number(process.env.BENCH_SCAN_RUNS ?? 3);
/** The scan's Fetch size (the reader's default when unset: 4 MiB). */
const FETCH_BYTES = process.env.BENCH_FETCH_BYTES ? Number(process.env.BENCH_FETCH_BYTES) : undefined;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** `count` lines of `size` bytes (a counter, then filler) produced with kcat into partition 0. */
function produce(bootstrap: string, topic: string, count: number, size: number) {
  const chunk = 50_000;
  for (let start = 0; start < count; start += chunk) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      const head = `${topic} message ${i} `;
      lines.push(head + "x".repeat(Math.max(0, size - head.length)));
    }
    execFileSync("kcat", ["-b", bootstrap, "-P", "-t", topic, "-p", "0", "-X", "linger.ms=20"], {
      input: `${lines.join("\n")}\n`,
      maxBuffer: 1 << 30,
    });
  }
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-bench-"));
  const config = loadConfig({
    QUORUM_DATA_DIR: dataDir,
    QUORUM_BROKERS: process.env.BENCH_BROKERS ?? "1",
    QUORUM_BROKER_PORTS: "auto",
    QUORUM_CONTROLLER_PORTS: "auto",
    QUORUM_BROKER_HEAP_MB: "512",
    QUORUM_LOG_LEVEL: "warn",
  });
  if (!config.embedded) throw new Error("embedded config expected");
  const cluster = new EmbeddedCluster(config.embedded);
  try {
    await cluster.start();
    const service = new ClusterService("bench", "bench", [], cluster);
    const bootstrap = cluster.bootstrap.join(",");
    for (const name of ["bench-1k", "bench-scan"])
      await service.createTopic({ name, partitions: 1, replicationFactor: 1, configs: {} });
    produce(bootstrap, "bench-1k", 1000, 1024);
    produce(bootstrap, "bench-scan", SCAN, 200);

    // 1. One page of 1,000 × 1 KiB.
    const pageMs: Record<string, number[]> = { oldest: [], newest: [] };
    let count = 0;
    for (let i = 0; i < RUNS + 2; i++) {
      for (const seek of ["oldest", "newest"] as const) {
        const t0 = performance.now();
        const page = await browseMessages(
          service,
          "bench-1k",
          messagesQuerySchema.parse({ partition: "0", seek, limit: "1000" }),
        );
        const body = JSON.stringify(page);
        const ms = performance.now() - t0;
        count = page.messages.length;
        if (body.length < 1_000_000) throw new Error("the page is too small");
        if (i >= 2) pageMs[seek]?.push(ms); // two warm-up runs: JIT and connections
      }
    }
    console.log(`cluster: ${config.embedded.brokers} broker(s); runs: ${RUNS}`);
    console.log(
      `page of ${count} × 1 KiB, oldest: median ${median(pageMs.oldest ?? []).toFixed(1)} ms; newest: median ${median(pageMs.newest ?? []).toFixed(1)} ms (goal ≤ 300 ms)`,
    );

    // 2. Scan throughput against kcat.
    const layout = await service.gateway.topicLayout(service.read.seeds(), "bench-scan", 5000);
    const broker = layout?.partitions[0]?.leaderAddress;
    if (!broker) throw new Error("no leader for bench-scan");
    globalThis.gc?.();
    const idle = process.memoryUsage().rss;
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const quorumRates: number[] = [];
    let scanned = 0;
    for (let run = 0; run < SCAN_RUNS; run++) {
      scanned = 0;
      let bytes = 0;
      const t0 = performance.now();
      const src = { topic: "bench-scan", partition: 0, broker, isolation: "read_committed" as const };
      for await (const chunk of readRecords(service.gateway, src, 0n, BigInt(SCAN), {
        timeoutMs: 10_000,
        maxBytes: FETCH_BYTES,
      })) {
        for (const r of chunk) {
          bytes += decodeData(r.value, "text", 16_384)?.data.length ?? 0;
          scanned++;
        }
      }
      const s = (performance.now() - t0) / 1000;
      if (scanned !== SCAN || bytes === 0) throw new Error(`scanned ${scanned} of ${SCAN}`);
      quorumRates.push(scanned / s);
    }
    clearInterval(sampler);
    const kcatRates: number[] = [];
    for (let run = 0; run < SCAN_RUNS; run++) {
      const t0 = performance.now();
      const r = spawnSync("sh", ["-c", `kcat -C -b ${bootstrap} -t bench-scan -p 0 -e -o beginning -q | wc -l`], {
        encoding: "utf8",
      });
      const s = (performance.now() - t0) / 1000;
      const lines = Number(r.stdout.trim());
      if (lines !== SCAN) throw new Error(`kcat read ${lines} of ${SCAN}`);
      kcatRates.push(lines / s);
    }
    const q = median(quorumRates);
    const k = median(kcatRates);
    console.log(
      `scan of ${scanned} × 200 B (median of ${SCAN_RUNS}): Quorum reader ${Math.round(q).toLocaleString("en")} msg/s, kcat | wc -l ${Math.round(k).toLocaleString("en")} msg/s, ratio ${(q / k).toFixed(2)} (goal ≥ 0.5)`,
    );
    console.log(
      `RSS: idle ${mib(idle)} MiB, peak during the scans ${mib(peak)} MiB (+${mib(peak - idle)} MiB; goal ≤ +100 MiB)`,
    );
    await service.gateway.close();
  } finally {
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
