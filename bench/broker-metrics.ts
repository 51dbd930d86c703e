// npm run bench:metrics — what sampling broker metrics costs the Node process.
// Starts a lab of BENCH_BROKERS brokers (default 3) and one controller, each with its JMX exporter,
// in a temp dir. Then alternates BENCH_WINDOWS windows (default 4 each) of BENCH_WINDOW_MS (default
// 20 s): with the broker metrics sampler scraping every node every BENCH_SAMPLE_MS (default 5 s,
// as Quorum does), and without it. Per window it reads the process's CPU time (process.cpuUsage)
// and prints the share of one core; then the medians with and without, and the difference: the
// sampler's cost. Also the median time of one round (all nodes scraped, parsed, written to SQLite).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../server/config";
import { EmbeddedCluster } from "../server/embedded/embedded-cluster";
import { HistoryStore } from "../server/history/history-store";
import { BrokerMetricsSampler } from "../server/metrics/sampler";

const BROKERS = Number(process.env.BENCH_BROKERS ?? 3);
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 4);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 20_000);
const SAMPLE_MS = Number(process.env.BENCH_SAMPLE_MS ?? 5000);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The process's CPU over `ms`, as a share of one core (percent). */
async function cpuShare(ms: number): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await sleep(ms);
  const c = process.cpuUsage(c0);
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
  return (100 * (c.user + c.system)) / wallUs;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-bench-metrics-"));
  const config = loadConfig({
    QUORUM_DATA_DIR: path.join(dir, "lab"),
    QUORUM_BROKERS: String(BROKERS),
    QUORUM_CONTROLLERS: "1",
    QUORUM_BROKER_PORTS: "auto",
    QUORUM_CONTROLLER_PORTS: "auto",
    QUORUM_BROKER_HEAP_MB: "320",
  });
  if (!config.embedded) throw new Error("embedded config expected");
  const lab = new EmbeddedCluster(config.embedded);
  const store = new HistoryStore(path.join(dir, "history.sqlite"), 2000);
  try {
    await lab.start();
    const targets = lab.metricsEndpoints();
    console.log(
      `lab up: ${targets.length} nodes with exporters (${targets.map((t) => `${t.role} ${t.node}`).join(", ")})`,
    );
    if (targets.length === 0) throw new Error("no exporter: run npm run kafka:fetch (it needs Maven for the exporter)");
    const sampler = new BrokerMetricsSampler("bench", () => targets, store, SAMPLE_MS);
    const roundMs: number[] = [];
    const timedRound = async () => {
      const t0 = performance.now();
      const rows = await sampler.sample();
      roundMs.push(performance.now() - t0);
      if (rows.length !== targets.length) console.log(`  a round wrote ${rows.length} of ${targets.length} nodes`);
    };
    // Warm up: JIT, connections, the first rows.
    for (let i = 0; i < 3; i++) await timedRound();
    await sleep(2000);
    const on: number[] = [];
    const off: number[] = [];
    for (let w = 0; w < WINDOWS; w++) {
      const timer = setInterval(() => void timedRound(), SAMPLE_MS);
      on.push(await cpuShare(WINDOW_MS));
      clearInterval(timer);
      await sleep(1000);
      off.push(await cpuShare(WINDOW_MS));
      console.log(`window ${w + 1}: sampling ${on.at(-1)?.toFixed(3)}% of a core, idle ${off.at(-1)?.toFixed(3)}%`);
    }
    const mOn = median(on);
    const mOff = median(off);
    console.log(
      `\nsampling every ${SAMPLE_MS / 1000} s, ${targets.length} nodes (${BROKERS} brokers), ${WINDOWS} windows of ${WINDOW_MS / 1000} s each:`,
    );
    console.log(`  Node process CPU, median: ${mOn.toFixed(3)}% with the sampler, ${mOff.toFixed(3)}% without`);
    console.log(`  added by sampling: ${(mOn - mOff).toFixed(3)}% of one core (target: at most 2%)`);
    console.log(
      `  one round (scrape ${targets.length} endpoints, parse, write): median ${median(roundMs).toFixed(1)} ms over ${roundMs.length} rounds`,
    );
  } finally {
    store.close();
    await lab.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
