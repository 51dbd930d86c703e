import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES } from "@/server/http/api-routes";
import { type RunningApp, startApp } from "../helpers/app";
import { documentedSeries, readScrape, type Scrape, sampleSum, sampleValue } from "../helpers/prometheus";
import { rawRequest } from "../helpers/raw-http";

// GET /metrics on a Quorum started as `npm start` does, with a lab of its own (one broker, one
// controller): every series the README documents, read by a Prometheus text-format parser after a
// few API calls, and 100 scrapes that cost Kafka nothing.

const root = path.resolve(__dirname, "../..");
const TOPIC = "metrics-it";
let app: RunningApp;
let base: string;

const api = async (method: string, p: string, body?: unknown) => {
  const res = await rawRequest(base, {
    method,
    path: p,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.body ? JSON.parse(res.body) : null };
};

async function scrapeText(): Promise<string> {
  const res = await rawRequest(base, { method: "GET", path: "/metrics" });
  expect(res.status, res.body.slice(0, 300)).toBe(200);
  expect(res.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
  return res.body;
}

const scrape = async (): Promise<Scrape> => readScrape(await scrapeText());

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await check();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An event stream held open until `close` is called. */
function openStream(p: string): Promise<{ status: number; close(): void }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: p, agent: false }, (res) =>
      resolve({ status: res.statusCode ?? 0, close: () => req.destroy() }),
    );
    req.on("error", reject);
  });
}

beforeAll(async () => {
  fs.mkdirSync(path.join(root, "test-results"), { recursive: true });
  app = await startApp({
    logFile: path.join(root, "test-results", "metrics-server.log"),
    env: {
      QUORUM_BROKERS: "1",
      QUORUM_CONTROLLERS: "1",
      QUORUM_BROKER_HEAP_MB: "256",
      QUORUM_CONTROLLER_HEAP_MB: "192",
      QUORUM_DEMO: "false",
      QUORUM_LAB_SASL: "false",
      // Quorum's own background Kafka traffic kept to the monitor's idle looks (one every 2 s with
      // no event stream open) and a probe of each node every 10 s; the history samples once a minute.
      QUORUM_HISTORY_SAMPLE_MS: "60000",
      QUORUM_PROBE_INTERVAL_MS: "10000",
    },
  });
  base = app.baseURL;
}, 300_000);

afterAll(async () => {
  await app?.stop();
});

describe("GET /metrics on the production server", () => {
  it("serves every documented series, parsed as Prometheus' text format, with the API calls counted by route pattern and status", async () => {
    expect(
      (await api("POST", "/api/clusters/local/topics", { name: TOPIC, partitions: 1, replicationFactor: 1 })).status,
    ).toBe(201);
    expect((await api("GET", "/api/clusters/local/overview")).status).toBe(200);
    expect((await api("GET", "/api/clusters/nope/overview")).status).toBe(404);
    // Refused at the boundary, before any route: a foreign Host, a path no route serves.
    const foreign = await rawRequest(base, { method: "GET", path: "/api/clusters", headers: { Host: "evil.example" } });
    expect(foreign.status).toBe(403);
    expect((await api("GET", "/api/clusters/local/nope")).status).toBe(404);
    const stream = await openStream("/api/clusters/local/events");
    expect(stream.status).toBe(200);
    try {
      const open = await scrape();
      expect(sampleValue(open, "quorum_event_stream_subscribers", { cluster: "local" })).toBe(1);
    } finally {
      stream.close();
    }
    await until("the stream's end seen", 10_000, async () =>
      sampleValue(await scrape(), "quorum_event_stream_subscribers", { cluster: "local" }) === 0 ? true : undefined,
    );
    // The monitor tells the topic's creation at its next look.
    const s = await until("the topic-created event counted", 30_000, async () => {
      const got = await scrape();
      return (sampleValue(got, "quorum_events_total", { cluster: "local", type: "topic-created" }) ?? 0) >= 1
        ? got
        : undefined;
    });

    // Every series of the README's table, with its type, and the process's own.
    const docs = documentedSeries();
    expect(docs.size).toBeGreaterThanOrEqual(16);
    for (const [name, type] of docs) {
      expect(s.families.get(name)?.type, name).toBe(type);
      expect(s.families.get(name)?.metrics.length, name).toBeGreaterThan(0);
    }
    for (const name of ["process_cpu_seconds_total", "process_resident_memory_bytes", "nodejs_heap_size_used_bytes"])
      expect(s.families.has(name), name).toBe(true);

    // The calls above, by route pattern, method and status.
    const count = (route: string, method: string, status: string) =>
      sampleValue(s, "quorum_http_requests_total", { route, method, status });
    expect(count("/api/clusters/[cluster]/topics", "POST", "201")).toBe(1);
    expect(count("/api/clusters/[cluster]/overview", "GET", "200")).toBeGreaterThanOrEqual(1);
    expect(count("/api/clusters/[cluster]/overview", "GET", "404")).toBe(1);
    expect(count("/api/clusters/[cluster]/events", "GET", "200")).toBe(1);
    expect(count("/api/clusters", "GET", "403")).toBe(1);
    expect(count("unmatched", "GET", "404")).toBe(1);
    expect(count("/metrics", "GET", "200")).toBeGreaterThanOrEqual(2);
    expect(sampleValue(s, "quorum_http_request_duration_seconds_count", { route: "/metrics", status: "200" })).toBe(
      count("/metrics", "GET", "200"),
    );
    // Route labels are patterns from the table, never a path asked.
    const patterns = new Set([...API_ROUTES.map((r) => r.pattern), "unmatched"]);
    const routes = new Set((s.samples.get("quorum_http_requests_total") ?? []).map((m) => m.labels?.route));
    for (const route of routes) expect(patterns.has(route as string), String(route)).toBe(true);

    const local = { cluster: "local" };
    expect(sampleValue(s, "quorum_snapshot_duration_seconds_count", local)).toBeGreaterThan(0);
    expect(sampleValue(s, "quorum_snapshot_kafka_requests_sum", local)).toBeGreaterThan(0);
    expect(sampleValue(s, "quorum_snapshot_failures_total", local)).toBe(0);
    expect(sampleValue(s, "quorum_kafka_requests_total", local)).toBeGreaterThanOrEqual(
      sampleValue(s, "quorum_snapshot_kafka_requests_sum", local) ?? 0,
    );
    expect(sampleValue(s, "quorum_history_rows", local)).toBeGreaterThanOrEqual(0);
    expect(sampleValue(s, "quorum_history_file_bytes")).toBeGreaterThan(0);
    expect(sampleValue(s, "quorum_workload_running", local)).toBe(0);
    expect(sampleValue(s, "quorum_workload_messages_produced_total", local)).toBe(0);
    expect(sampleValue(s, "quorum_drills_started_total", { ...local, kind: "failover" })).toBe(0);
  });

  it("costs Kafka no request, scraped 100 times", async () => {
    // Two witnesses, each within a window that begins just after one of the monitor's looks and
    // has none of its own (they come every 2 s with no event stream open): Quorum's pool, which
    // counts each request as it writes it to a broker (quorum_kafka_requests_total), and the
    // kernel, which counts the bytes each of Quorum's TCP connections to a broker sent (`ss`),
    // whoever in the process wrote them. A window a look or a probe fell into is taken again.
    const brokers = ((await api("GET", "/api/clusters/local/brokers")).body as { port: number }[]).map((b) => b.port);
    expect(brokers.length).toBe(1);
    const pid = serverPid(new URL(base).port);
    const ticks = async () => (await api("GET", "/api/clusters/local/monitor")).body.ticks as number;
    const looks = (x: Scrape) => sampleValue(x, "quorum_snapshot_kafka_requests_count", { cluster: "local" }) ?? 0;
    const requests = (x: Scrape) => sampleSum(x, "quorum_kafka_requests_total");

    /** A window of `scrapes` scrapes (and `extra`, when given, in its middle). */
    async function window(scrapes: number, extra?: () => Promise<void>) {
      const seen = looks(await scrape());
      await until("a look of the monitor", 10_000, async () => (looks(await scrape()) > seen ? true : undefined));
      const ticks0 = await ticks();
      const bytes0 = bytesSent(pid, brokers);
      const first = await scrape();
      const began = performance.now();
      let last = first;
      for (let i = 1; i < scrapes; i++) {
        if (extra && i === scrapes / 2) await extra();
        last = await scrape();
      }
      const ms = performance.now() - began;
      const bytes1 = bytesSent(pid, brokers);
      const ticks1 = await ticks();
      return {
        quiet: ticks1 === ticks0,
        requests: requests(last) - requests(first),
        snapshots: looks(last) - looks(first),
        bytes: bytes1 - bytes0,
        msPerScrape: ms / scrapes,
      };
    }

    const tries: Awaited<ReturnType<typeof window>>[] = [];
    let clean: (typeof tries)[number] | undefined;
    for (let attempt = 0; attempt < 8 && !clean; attempt++) {
      const w = await window(100);
      tries.push(w);
      if (!w.quiet) continue; // a look of the monitor: not the scrapes' doing
      expect(w.requests, JSON.stringify(w)).toBe(0);
      expect(w.snapshots, JSON.stringify(w)).toBe(0);
      if (w.bytes === 0) clean = w; // else a probe of the node: again
    }
    console.log(`metrics: 100 scrapes, ${JSON.stringify(tries)}`);
    expect(clean, JSON.stringify(tries)).toBeDefined();

    // The control: the same window with one read that asks Kafka (the topic's configs: DescribeConfigs,
    // no snapshot) is seen by both witnesses.
    let control: (typeof tries)[number] | undefined;
    for (let attempt = 0; attempt < 8 && !control; attempt++) {
      const w = await window(100, async () => {
        expect((await api("GET", `/api/clusters/local/topics/${TOPIC}/configs`)).status).toBe(200);
      });
      if (w.quiet) control = w;
    }
    console.log(`metrics: 100 scrapes and one DescribeConfigs, ${JSON.stringify(control)}`);
    expect(control?.requests).toBeGreaterThan(0);
    expect(control?.snapshots).toBe(0);
    expect(control?.bytes).toBeGreaterThan(0);
  });
});

/** The pid of the process listening on `port` (the Next.js server `npm start` runs). */
function serverPid(port: string): number {
  const out = execFileSync("ss", ["-Hltnp", `sport = :${port}`], { encoding: "utf8" });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`no process listens on ${port}: ${out}`);
  return Number(pid);
}

/** Bytes the kernel says process `pid`'s TCP connections to `ports` on loopback have sent so far. */
function bytesSent(pid: number, ports: number[]): number {
  const filter = ports.map((p) => `dport = :${p}`).join(" or ");
  const out = execFileSync("ss", ["-Htinp", "state", "established", `( ${filter} )`], { encoding: "utf8" });
  let total = 0;
  let mine = false;
  for (const line of out.split("\n")) {
    if (/^\S/.test(line)) mine = line.includes(`pid=${pid},`);
    else if (mine) total += Number(/bytes_sent:(\d+)/.exec(line)?.[1] ?? 0);
  }
  return total;
}
