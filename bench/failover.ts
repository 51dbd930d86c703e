// npm run bench:failover — how fast a leader failover reaches the screen.
// Starts Quorum as `npm start` does (free ports, temp dir), opens a topic page in Chromium, and
// stops partition 0's leader repeatedly (graceful and kill). Per run it measures from the stop:
//   (a) Kafka's own time to a new leader: the first Metadata answer naming one, from a client
//       polling every 10 ms;
//   (b) the time until the page shows it, observed in the page by a MutationObserver;
//   (b − a) what Quorum adds. Prints every run and the median and max per mode.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { fetchMetadata } from "../server/kafka/metadata";
import { KafkaPool } from "../server/kafka/pool";
import { startApp } from "../test/helpers/app";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TOPIC = "bench-failover";

interface Run {
  mode: "graceful" | "kill";
  from: number;
  to: number;
  kafkaMs: number;
  screenMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

async function main() {
  const app = await startApp({ logFile: path.resolve("bench-failover-server.log") });
  const browser = await chromium.launch({
    executablePath: fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  const api = async <T>(p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${app.baseURL}${p}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as T;
  };
  type Detail = { partitions: { partition: number; leader: number; replicas: number[]; isr: number[] }[] };
  type Cluster = { bootstrap: string[] };
  try {
    const { bootstrap } = await api<Cluster>("/api/clusters/local");
    await api("/api/clusters/local/topics", { name: TOPIC, partitions: 6, replicationFactor: 3 });
    const page = await browser.newPage();
    await page.goto(`${app.baseURL}/clusters/local/topics/${TOPIC}`);
    await page.getByTestId("stream-status").and(page.locator('[data-connected="true"]')).waitFor();
    const runs: Run[] = [];
    const modes: Run["mode"][] = [...Array(RUNS).fill("graceful"), ...Array(RUNS).fill("kill")];

    for (const mode of modes) {
      // Start from a healthy, balanced cluster: everyone in sync, leaders on preferred replicas.
      await waitFor(async () => {
        const d = await api<Detail>(`/api/clusters/local/topics/${TOPIC}`);
        return d.partitions?.every((p) => p.isr.length === 3);
      }, 120_000);
      await api("/api/clusters/local/elect-leaders", { topic: TOPIC });
      const p0 = await waitFor(async () => {
        const d = await api<Detail>(`/api/clusters/local/topics/${TOPIC}`);
        const p = d.partitions?.[0];
        return p && p.leader === p.replicas[0] ? p : undefined;
      }, 30_000);
      const from = p0.leader;
      await page
        .getByTestId("leader-0")
        .filter({ hasText: new RegExp(`^${from}`) })
        .waitFor();

      // In the page: the first moment leader-0 names another broker.
      // (A script string: this file is transpiled with helpers that do not exist in the page.)
      await page.evaluate(`(() => {
        const old = ${from};
        window.__shownAt = null;
        const check = () => {
          const text = document.querySelector('[data-testid="leader-0"]')?.textContent ?? "";
          const m = /^(\\d+)/.exec(text);
          if (window.__shownAt === null && m && Number(m[1]) !== old) window.__shownAt = performance.timeOrigin + performance.now();
        };
        new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
      })()`);

      // Outside: a client asking the surviving brokers every 10 ms.
      const survivors = bootstrap.filter((_, i) => i + 1 !== from);
      let kafkaAt: number | null = null;
      let to = -1;
      let polling = true;
      const outside = new KafkaPool({ tls: null, sasl: null }, "bench-outside");
      const poller = (async () => {
        while (polling && kafkaAt === null) {
          try {
            const md = await fetchMetadata(outside, survivors, 1000, [TOPIC]);
            const leader = md.topics[0]?.partitions[0]?.leader ?? -1;
            if (leader >= 0 && leader !== from) {
              kafkaAt = Date.now();
              to = leader;
            }
          } catch {
            // a survivor busy electing: ask again
          }
          await new Promise((r) => setTimeout(r, 10));
        }
      })();

      const t0 = Date.now();
      const stop = api(`/api/clusters/local/brokers/${from}/stop`, { mode, confirm: true });
      const shownAt = await waitFor(
        async () => ((await page.evaluate("window.__shownAt")) as number | null) ?? undefined,
        30_000,
      );
      await waitFor(async () => (kafkaAt !== null ? kafkaAt : undefined), 30_000);
      polling = false;
      await poller;
      await outside.close();
      await stop;
      const run: Run = { mode, from, to, kafkaMs: (kafkaAt ?? 0) - t0, screenMs: Math.round(shownAt - t0) };
      runs.push(run);
      console.log(
        `${mode.padEnd(8)} leader ${run.from} → ${run.to}   kafka ${String(run.kafkaMs).padStart(5)} ms   screen ${String(run.screenMs).padStart(5)} ms   screen − kafka ${String(run.screenMs - run.kafkaMs).padStart(4)} ms`,
      );
      await api(`/api/clusters/local/brokers/${from}/start`, {});
    }

    console.log("");
    for (const mode of ["graceful", "kill"] as const) {
      const rs = runs.filter((r) => r.mode === mode);
      const k = rs.map((r) => r.kafkaMs);
      const s = rs.map((r) => r.screenMs);
      const d = rs.map((r) => r.screenMs - r.kafkaMs);
      console.log(
        `${mode.padEnd(8)} n=${rs.length}  (a) kafka median ${median(k)} max ${Math.max(...k)} ms   (b) screen median ${median(s)} max ${Math.max(...s)} ms   (b − a) median ${median(d)} max ${Math.max(...d)} ms`,
      );
    }
    const all = runs.map((r) => r.screenMs - r.kafkaMs);
    const graceful = runs.filter((r) => r.mode === "graceful").map((r) => r.screenMs);
    console.log(
      `all      median (b − a) ${median(all)} ms (target ≤ 500)   graceful stop → screen median ${median(graceful)} ms (target ≤ 2000)`,
    );
  } finally {
    await browser.close();
    await app.stop();
  }
}

async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
