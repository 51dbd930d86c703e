// npm run bench:scale [10k|40k|100k] — Quorum on a large cluster, next to Kafka's own CLI.
//
// Builds (or reuses, when the shape matches) a cluster in .cache/bench-scale/<shape>, run by
// Quorum exactly as `npm start` runs it, and prints: the start time (a restart when the data was
// there), what filling it took, medians and p90s of the API reads (warm), Kafka requests and time
// per monitor refresh, next-server RSS, the same look by kafka-topics --describe and
// kafka-consumer-groups --describe --all-groups with their ratio to Quorum's, the pages in Chromium
// (first rows after navigation; a typed filter until the list shows its result), the snapshot's
// heap per 10,000 partitions, a graceful stop of the broker with the most leaderships (when Kafka's
// metadata shows the leaderships moved, and when the last leader change reached an event stream)
// and a clean stop of the whole lab (nodes killed: should be none). Numbers, not pass/fail.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { chromium } from "@playwright/test";
import getPort from "get-port";
import { KafkaPool } from "../server/kafka/pool";
import { takeSnapshot } from "../server/kafka/snapshot";
import { kafkaLibs } from "../test/helpers/kafka-configs";
import { readSse } from "../test/helpers/sse";
import { commitGroups, createTopics, produceRecords, SHAPES, type Shape, topicName } from "./scale-cluster";

const execFileAsync = promisify(execFile);
const root = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 5);

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => {
  const s = sorted(xs);
  const mid = Math.floor(s.length / 2);
  return s.length === 0
    ? Number.NaN
    : s.length % 2
      ? (s[mid] as number)
      : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const p90 = (xs: number[]) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))] ?? Number.NaN;
const ms = (x: number) => `${Math.round(x).toLocaleString("en-US")} ms`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const say = (s: string) => console.log(s);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

interface Marker {
  shape: Shape;
  brokerPorts: number[];
  controllerPort: number;
  filled: boolean;
}

/** Every descendant of `pid`, from /proc. */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    let kids: number[] = [];
    try {
      kids = fs.readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return;
    }
    for (const k of kids) {
      out.push(k);
      walk(k);
    }
  };
  walk(pid);
  return out;
}

function statusField(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

/** The Next.js server process under `npm start`'s process. */
function nextServerPid(startPid: number): number | null {
  for (const pid of descendants(startPid)) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      const comm = fs.readFileSync(`/proc/${pid}/comm`, "utf8");
      if (comm.startsWith("next-server") || (cmd.includes("next") && !cmd.includes("java"))) return pid;
    } catch {}
  }
  return null;
}

async function kafkaCli(mainClass: string, args: string[]): Promise<{ ms: number; lines: number; stdout: string }> {
  const t0 = performance.now();
  const { stdout } = await execFileAsync(
    "java",
    ["-Xmx512m", "-XX:+UseSerialGC", "-cp", `${kafkaLibs()}${path.sep}*`, mainClass, ...args],
    { timeout: 600_000, maxBuffer: 256 << 20 },
  );
  return { ms: performance.now() - t0, lines: stdout.split("\n").filter((l) => l.trim()).length, stdout };
}

/** `kcat -L -J`: who leads each partition, by an independent client. */
async function kcatLeaders(bootstrap: string[]): Promise<Map<string, number>> {
  const { stdout } = await execFileAsync("kcat", ["-b", bootstrap.join(","), "-L", "-J", "-m", "10"], {
    maxBuffer: 256 << 20,
    timeout: 30_000,
  });
  const md = JSON.parse(stdout) as { topics: { topic: string; partitions: { partition: number; leader: number }[] }[] };
  const out = new Map<string, number>();
  for (const t of md.topics) for (const p of t.partitions) out.set(`${t.topic}-${p.partition}`, p.leader);
  return out;
}

async function main() {
  const shape = SHAPES[process.argv[2] ?? process.env.BENCH_SHAPE ?? "10k"];
  if (!shape) throw new Error(`shapes: ${Object.keys(SHAPES).join(", ")}`);
  const partitions = shape.topics * shape.partitionsPerTopic;
  const dir = path.join(root, ".cache", "bench-scale", shape.name);
  const markerFile = path.join(dir, "bench-shape.json");
  let marker: Marker | null = null;
  try {
    marker = JSON.parse(fs.readFileSync(markerFile, "utf8")) as Marker;
  } catch {}
  // Same shape: reuse the data (a fill cut short goes on where it stopped); another shape: start over.
  if (!marker || JSON.stringify(marker.shape) !== JSON.stringify(shape)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const brokerPorts: number[] = [];
    for (let i = 0; i < shape.brokers; i++) brokerPorts.push(await getPort({ exclude: brokerPorts }));
    marker = { shape, brokerPorts, controllerPort: await getPort({ exclude: brokerPorts }), filled: false };
    fs.writeFileSync(markerFile, JSON.stringify(marker));
  }
  const reused = marker.filled;
  const port = await getPort();
  const base = `http://127.0.0.1:${port}`;
  const logFile = path.join(root, `bench-scale-${shape.name}-server.log`);
  say(
    `shape ${shape.name}: ${shape.brokers} brokers, ${shape.topics.toLocaleString("en-US")} topics × ${shape.partitionsPerTopic} partitions = ${partitions.toLocaleString("en-US")} (RF ${shape.replicationFactor}), ${shape.groups.toLocaleString("en-US")} groups; data in ${path.relative(root, dir)} (${reused ? "reused" : "new"})`,
  );

  const log = fs.openSync(logFile, "w");
  const server: ChildProcess = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      QUORUM_DATA_DIR: dir,
      QUORUM_BROKERS: String(shape.brokers),
      QUORUM_CONTROLLERS: "1",
      QUORUM_BROKER_PORTS: marker.brokerPorts.join(","),
      QUORUM_CONTROLLER_PORTS: String(marker.controllerPort),
      QUORUM_BROKER_HEAP_MB: String(shape.brokerHeapMb),
      QUORUM_CONTROLLER_HEAP_MB: "512",
      // V8 flags for the server under test (e.g. a smaller young generation), to compare memory.
      ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
    },
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const browser = await chromium.launch({
    executablePath: fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  const pool = new KafkaPool({ tls: null, sasl: null });
  const bootstrap = marker.brokerPorts.map((p) => `127.0.0.1:${p}`);
  const results: string[] = [];
  const row = (what: string, value: string) => {
    results.push(`| ${what} | ${value} |`);
    say(`${what}: ${value}`);
  };
  let stopped = false;
  const stopServer = async () => {
    if (stopped) return;
    stopped = true;
    if (server.exitCode === null && server.signalCode === null) {
      const t0 = performance.now();
      server.kill("SIGTERM");
      const timer = setTimeout(() => server.kill("SIGKILL"), 600_000);
      await exited;
      clearTimeout(timer);
      const text = fs.readFileSync(logFile, "utf8");
      const killed = (text.match(/killing it \(SIGKILL\)/g) ?? []).length;
      row(
        "Clean stop of the whole lab (SIGTERM to npm start)",
        `${ms(performance.now() - t0)}, nodes killed: ${killed}`,
      );
    }
  };

  try {
    const api = async <T>(p: string, init?: RequestInit): Promise<T> => {
      const res = await fetch(`${base}${p}`, init);
      if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    // Start: from the first HTTP answer (the build is not counted) until every broker is up.
    let listening = 0;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`Quorum exited during start: see ${logFile}`);
      try {
        const res = await fetch(`${base}/api/clusters/local`);
        listening ||= performance.now();
        if (res.ok && ((await res.json()) as { status: string }).status === "ok") break;
      } catch {}
      await sleep(250);
    }
    const startedPid = nextServerPid(server.pid as number);
    if (startedPid) row("next-server RSS once the cluster is up", mb(statusField(startedPid, "VmRSS")));
    row(
      reused ? "Restart after a clean stop (all brokers up)" : "Start of a new lab (all brokers up)",
      ms(performance.now() - listening),
    );

    if (!reused) {
      const t0 = performance.now();
      await createTopics(pool, bootstrap, shape, say);
      const t1 = performance.now();
      await produceRecords(pool, bootstrap, shape);
      const t2 = performance.now();
      await commitGroups(pool, bootstrap, shape, say);
      const t3 = performance.now();
      row(
        "Filling the cluster",
        `${ms(t3 - t0)} (topics ${ms(t1 - t0)}, records ${ms(t2 - t1)}, ${shape.groups} groups' offsets ${ms(t3 - t2)})`,
      );
      fs.writeFileSync(markerFile, JSON.stringify({ ...marker, filled: true }));
    }

    // Wait until the monitor's picture has the whole shape.
    type Overview = {
      partitions: number | null;
      groups: number | null;
      snapshot: { durationMs: number; requests: number; complete: boolean } | null;
    };
    for (;;) {
      const o = await api<Overview>("/api/clusters/local/overview");
      if ((o.partitions ?? 0) >= partitions && (o.groups ?? 0) >= shape.groups && o.snapshot?.complete) break;
      await sleep(1000);
    }

    // API reads, warm.
    const endpoints: [string, string][] = [
      ["GET overview", "/api/clusters/local/overview"],
      ["GET topics (first page)", "/api/clusters/local/topics?offset=0&limit=100"],
      ["GET consumer-groups (first page, with lag)", "/api/clusters/local/consumer-groups?offset=0&limit=100"],
    ];
    const medians = new Map<string, number>();
    const snapshotMs: number[] = [];
    let requests = 0;
    for (const [what, p] of endpoints) {
      for (let i = 0; i < 3; i++) await fetch(`${base}${p}`).then((r) => r.arrayBuffer());
      const times: number[] = [];
      let bytes = 0;
      let encoding = "";
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const res = await fetch(`${base}${p}`, { headers: { "accept-encoding": "gzip, br" } });
        const body = await res.arrayBuffer();
        times.push(performance.now() - t0);
        bytes = Number(res.headers.get("content-length") ?? body.byteLength);
        encoding = res.headers.get("content-encoding") ?? "identity";
        if (p.endsWith("/overview")) {
          const o = JSON.parse(Buffer.from(body).toString("utf8")) as Overview;
          if (o.snapshot) {
            snapshotMs.push(o.snapshot.durationMs);
            requests = o.snapshot.requests;
          }
        }
        await sleep(50);
      }
      medians.set(what, median(times));
      row(what, `median ${ms(median(times))}, p90 ${ms(p90(times))} (${RUNS} runs; ${body(bytes)} ${encoding})`);
    }
    function body(bytes: number) {
      return bytes > 10_000 ? `${(bytes / 1024).toFixed(0)} KiB` : `${bytes} B`;
    }
    row(
      "Monitor refresh (snapshot)",
      `${requests} Kafka requests, median ${ms(median(snapshotMs))} (${shape.brokers} brokers)`,
    );

    const nextPid = nextServerPid(server.pid as number);
    const rss = () => (nextPid ? statusField(nextPid, "VmRSS") : Number.NaN);
    row("next-server RSS after the reads", `${mb(rss())} (peak ${nextPid ? mb(statusField(nextPid, "VmHWM")) : "?"})`);

    // Kafka's CLI on the same cluster.
    const topicsCli = await kafkaCli("org.apache.kafka.tools.TopicCommand", [
      "--bootstrap-server",
      bootstrap.join(","),
      "--describe",
    ]);
    const groupsCli = await kafkaCli("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", [
      "--bootstrap-server",
      bootstrap.join(","),
      "--describe",
      "--all-groups",
    ]);
    const quorumPair =
      (medians.get("GET topics (first page)") ?? 0) + (medians.get("GET consumer-groups (first page, with lag)") ?? 0);
    row(
      "Kafka CLI kafka-topics --describe / kafka-consumer-groups --describe --all-groups",
      `${ms(topicsCli.ms)} (${topicsCli.lines.toLocaleString("en-US")} lines) / ${ms(groupsCli.ms)} (${groupsCli.lines.toLocaleString("en-US")} lines); CLI pair ÷ Quorum pair = ${((topicsCli.ms + groupsCli.ms) / quorumPair).toFixed(0)}×`,
    );
    // The bench's groups' lag, summed by the CLI and by Quorum's list (pages of 1,000): equal, or the table says not.
    let cliLag = 0;
    for (const line of groupsCli.stdout.split("\n")) {
      const f = line.trim().split(/\s+/);
      if (f[0]?.startsWith("scale-group-") && /^\d+$/.test(f[5] ?? "")) cliLag += Number(f[5]);
    }
    let quorumLag = 0;
    for (let offset = 0; ; offset += 1000) {
      const page = await api<{ items: { totalLag: number | null }[]; matched: number }>(
        `/api/clusters/local/consumer-groups?q=scale-group-&limit=1000&offset=${offset}`,
      );
      for (const g of page.items) quorumLag += g.totalLag ?? 0;
      if (offset + 1000 >= page.matched) break;
    }
    row(
      "Lag of the bench's groups: kafka-consumer-groups / Quorum",
      `${cliLag.toLocaleString("en-US")} / ${quorumLag.toLocaleString("en-US")} (${cliLag === quorumLag ? "equal" : "NOT equal"})`,
    );
    const t0k = performance.now();
    await kcatLeaders(bootstrap);
    row("kcat -L (all metadata, parsed)", ms(performance.now() - t0k));

    // Pages in Chromium.
    const pageTimes = async (what: string, url: string, selector: string) => {
      const times: number[] = [];
      for (let i = 0; i < PAGE_RUNS; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        const t0 = performance.now();
        await page.goto(`${base}${url}`, { waitUntil: "commit" });
        await page.locator(selector).first().waitFor({ timeout: 120_000 });
        times.push(performance.now() - t0);
        // The last load, once settled, as a picture of the page at this size.
        if (i === PAGE_RUNS - 1) {
          await sleep(3000);
          const file = `bench-scale-${shape.name}-${what.toLowerCase().replace(/ /g, "-")}.png`;
          await page.screenshot({ path: path.join(root, file) });
        }
        await context.close();
      }
      row(
        `${what} page in Chromium: first rows`,
        `median ${ms(median(times))}, p90 ${ms(p90(times))} (${PAGE_RUNS} loads)`,
      );
    };
    await pageTimes("Topics", "/clusters/local/topics", '[data-testid^="topic-link-scale-"]');
    await pageTimes("Consumer groups", "/clusters/local/consumer-groups", '[data-testid^="group-row-scale-group-"]');
    await pageTimes("Overview", "/clusters/local", '[data-testid^="broker-card-"]');

    {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${base}/clusters/local/topics`);
      await page.locator('[data-testid^="topic-link-scale-"]').first().waitFor({ timeout: 120_000 });
      const search = page.getByTestId("topic-search");
      const times: number[] = [];
      for (let i = 0; i < PAGE_RUNS; i++) {
        const prefix = topicName(37 * (i + 1)).slice(0, -1); // e.g. scale-0003: ten topics
        await search.fill(prefix.slice(0, -1));
        await sleep(300);
        const t0 = performance.now();
        await search.press(prefix.slice(-1));
        await page.waitForFunction(
          (p) => {
            const links = [...document.querySelectorAll('[data-testid^="topic-link-"]')];
            return links.length > 0 && links.every((a) => a.getAttribute("data-testid")?.includes(p));
          },
          prefix,
          { polling: "raf", timeout: 30_000 },
        );
        times.push(performance.now() - t0);
      }
      row(
        "Topics page: typing a filter until the list shows it",
        `median ${ms(median(times))}, p90 ${ms(p90(times))} (${PAGE_RUNS} filters)`,
      );
      await context.close();
    }
    row("next-server RSS after the pages", `${mb(rss())} (peak ${nextPid ? mb(statusField(nextPid, "VmHWM")) : "?"})`);

    // The snapshot's heap, in this process.
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      gc();
      const before = process.memoryUsage().heapUsed;
      const snap = await takeSnapshot(pool, bootstrap, 60_000);
      gc();
      const after = process.memoryUsage().heapUsed;
      const count = snap.topics.reduce((a, t) => a + t.partitions.length, 0);
      row(
        "Snapshot heap (held, after GC)",
        `${mb(after - before)} for ${count.toLocaleString("en-US")} partitions and ${snap.groups.length.toLocaleString("en-US")} groups = ${mb(((after - before) / count) * 10_000)} per 10k partitions`,
      );
    }

    // Graceful stop of the broker with the most leaderships.
    const leaders = await kcatLeaders(bootstrap);
    const counts = new Map<number, number>();
    for (const l of leaders.values()) counts.set(l, (counts.get(l) ?? 0) + 1);
    const [victim = 0, led = 0] = [...counts].filter(([b]) => b >= 0).sort((a, b) => b[1] - a[1])[0] ?? [];
    const victimAddress = (await api<{ id: number; host: string; port: number }[]>("/api/clusters/local/brokers"))
      .filter((b) => b.id === victim)
      .map((b) => `${b.host}:${b.port}`);
    const others = bootstrap.filter((a) => !victimAddress.includes(a));
    const ledBefore = new Set([...leaders].filter(([, l]) => l === victim).map(([k]) => k));
    const events = new AbortController();
    const moved = new Set<string>();
    let lastEventAt = 0;
    const stream = readSse(
      await fetch(`${base}/api/clusters/local/events`, { signal: events.signal }),
      ({ event, data }) => {
        const e = data as { topic?: string; partition?: number };
        if ((event === "leader-changed" || event === "partition-offline") && e.topic !== undefined) {
          const k = `${e.topic}-${e.partition}`;
          if (ledBefore.has(k) && !moved.has(k)) {
            moved.add(k);
            lastEventAt = performance.now();
          }
        }
      },
    );
    await sleep(1000);
    const tStop = performance.now();
    // The request answers once the broker is down; Kafka's metadata is watched meanwhile.
    const stopRequest = api(`/api/clusters/local/brokers/${victim}/stop`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mode: "graceful", confirm: true }),
    });
    let metaAt = 0;
    for (let i = 0; i < 600 && !metaAt; i++) {
      // Asked of the other brokers: the stopping one answers from its own view until it exits.
      const now = await kcatLeaders(others).catch(() => null);
      if (now && [...ledBefore].every((k) => now.get(k) !== victim)) metaAt = performance.now();
      else await sleep(100);
    }
    for (let i = 0; i < 300 && moved.size < ledBefore.size; i++) await sleep(100);
    await stream.close();
    events.abort();
    await stopRequest;
    const downAt = performance.now();
    row(
      `Graceful stop of broker ${victim} (leading ${led.toLocaleString("en-US")} partitions)`,
      `Kafka's metadata showed every leadership moved ${metaAt ? ms(metaAt - tStop) : "never (60 s)"} after the stop request; the event stream had the last of them (${moved.size.toLocaleString("en-US")} of ${ledBefore.size.toLocaleString("en-US")}) at ${lastEventAt ? ms(lastEventAt - tStop) : "never"}; the process had exited by ${ms(downAt - tStop)}`,
    );
    const tStart = performance.now();
    // A dropped connection does not say the start failed: the broker's status below does.
    await api(`/api/clusters/local/brokers/${victim}/start`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    }).catch((err: unknown) => say(`  start request: ${String(err)}`));
    for (;;) {
      const brokers = await api<{ id: number; status: string }[]>("/api/clusters/local/brokers");
      if (brokers.find((b) => b.id === victim)?.status === "up") break;
      await sleep(500);
    }
    row(`Broker ${victim} back up after its start request`, ms(performance.now() - tStart));
  } finally {
    await pool.close();
    await browser.close();
    await stopServer();
    say("");
    say(`| ${shape.name} | measured |`);
    say("|---|---|");
    for (const r of results) say(r);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
