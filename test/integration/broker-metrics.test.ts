import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as metricsRoute from "@/app/api/clusters/[cluster]/broker-metrics/route";
import type { BrokerMetricsHistory, NodeMetricPoint } from "@/lib/types";
import type { ClusterService } from "@/server/cluster-service";
import type { ClusterDefinition } from "@/server/clusters/cluster-config";
import { HistoryStore } from "@/server/history/history-store";
import { BrokerMetricsSampler } from "@/server/metrics/sampler";
import { metricsTargets } from "@/server/metrics/targets";
import { getQuorum, serviceFor } from "@/server/quorum";
import { clusterDeps, DemoWorkload } from "@/server/workload/demo";
import { eventually, startTestCluster, type TestCluster } from "../helpers/cluster";
import { kcatMetadata } from "../helpers/kcat";
import { call, serveThroughRoutes } from "../helpers/routes";

const SAMPLE_MS = 5000;

/**
 * One broker's exporter read by this test on its own (fetch and parse-prometheus-text-format, none
 * of Quorum's reading code): the counters and the p99 gauge the comparison needs.
 */
async function exporterRead(url: string) {
  const text = await (await fetch(url)).text();
  const families = parsePrometheusTextFormat(text.endsWith("\n") ? text : `${text}\n`);
  const value = (name: string, labels: Record<string, string> = {}) => {
    const f = families.find((x) => x.name === name);
    const m = f?.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
    return m?.value === undefined ? Number.NaN : Number(m.value);
  };
  return {
    at: Date.now(),
    bytesIn: value("kafka_server_brokertopicmetrics_bytesin_total"),
    bytesOut: value("kafka_server_brokertopicmetrics_bytesout_total"),
    produceP99: value("kafka_network_requestmetrics_totaltimems", { request: "Produce", quantile: "0.99" }),
  };
}
type Read = Awaited<ReturnType<typeof exporterRead>>;

describe("broker metrics from the lab's exporters", () => {
  let tc: TestCluster;
  let service: ClusterService;
  let store: HistoryStore;
  let sampler: BrokerMetricsSampler;
  let workload: DemoWorkload;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-metrics-it-"));

  const history = async () =>
    (await call(metricsRoute.GET, { cluster: "local" }, { method: "GET", query: "?minutes=15" }))
      .body as BrokerMetricsHistory;

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 3 });
    service = serveThroughRoutes(tc.cluster);
    service.monitor.start();
    store = new HistoryStore(path.join(dir, "history.sqlite"), 2000);
    sampler = new BrokerMetricsSampler("local", metricsTargets(service, undefined), store, SAMPLE_MS);
    getQuorum().history = { store, samplers: [], metrics: [sampler] };
    workload = new DemoWorkload(service, true, 50, clusterDeps(service));
    await workload.start();
    await eventually("the demo workload running", async () => workload.status().running || undefined, 90_000);
  });

  afterAll(async () => {
    await workload?.stop();
    service?.monitor.stop();
    store?.close();
    await tc?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("shows each broker's bytes in/out and produce p99 as its own exporter reports them at the same moment", async () => {
    const targets = tc.cluster.metricsEndpoints().filter((t) => t.role === "broker");
    expect(targets.map((t) => t.node)).toEqual([1, 2, 3]);
    // Each round: every exporter read just before and just after Quorum's own scrape. A counter
    // only grows, so Quorum's reading lies between the two reads; its rate between two rounds lies
    // between the slowest and the fastest rate those reads allow. The p99 is a gauge that may move
    // between the reads: Quorum's must lie between them, give or take 10% and 1 ms.
    const rounds: { before: Map<number, Read>; after: Map<number, Read> }[] = [];
    for (let i = 0; i < 3; i++) {
      const readAll = async () =>
        new Map(await Promise.all(targets.map(async (t) => [t.node, await exporterRead(t.url)] as const)));
      const before = await readAll();
      const rows = await sampler.sample();
      const after = await readAll();
      expect(rows.map((r) => r.node).sort((a, b) => a - b)).toEqual([1, 2, 3, 101]);
      rounds.push({ before, after });
      if (i < 2) await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
    const h = await history();
    const [prev, last] = rounds.slice(-2) as [(typeof rounds)[number], (typeof rounds)[number]];
    let totalIn = 0;
    for (const t of targets) {
      const node = h.nodes.find((n) => n.id === t.node);
      const point = node?.points.filter((p) => p.bytesIn !== null).at(-1) as NodeMetricPoint;
      expect(point, `broker ${t.node} has a sample`).toBeDefined();
      const a0 = prev.before.get(t.node) as Read;
      const b0 = prev.after.get(t.node) as Read;
      const a1 = last.before.get(t.node) as Read;
      const b1 = last.after.get(t.node) as Read;
      for (const key of ["bytesIn", "bytesOut"] as const) {
        const low = (a1[key] - b0[key]) / ((b1.at - a0.at) / 1000);
        const high = (b1[key] - a0[key]) / ((a1.at - b0.at) / 1000);
        const shown = point[key] as number;
        expect(shown, `broker ${t.node} ${key}: ${shown} in [${low}, ${high}]`).toBeGreaterThanOrEqual(
          Math.max(0, low) - 1e-6,
        );
        expect(shown, `broker ${t.node} ${key}`).toBeLessThanOrEqual(high + 1e-6);
      }
      totalIn += point.bytesIn as number;
      console.log(
        `broker ${t.node}: bytes in ${point.bytesIn?.toFixed(0)}/s, out ${point.bytesOut?.toFixed(0)}/s, produce p99 ${point.produceP99Ms} ms (exporter ${a1.produceP99}–${b1.produceP99})`,
      );
      const p99 = point.produceP99Ms as number;
      const lo = Math.min(a1.produceP99, b1.produceP99);
      const hi = Math.max(a1.produceP99, b1.produceP99);
      expect(p99, `broker ${t.node} produce p99 ${p99} vs exporter ${lo}–${hi}`).toBeGreaterThanOrEqual(lo * 0.9 - 1);
      expect(p99).toBeLessThanOrEqual(hi * 1.1 + 1);
    }
    // The workload's 50 messages a second reach the brokers.
    expect(totalIn).toBeGreaterThan(500);
  }, 120_000);

  it("an external cluster's entry may name each node's endpoint: the same brokers read as a cluster Quorum does not run", async () => {
    const endpoints = tc.cluster.metricsEndpoints();
    const def: ClusterDefinition = {
      id: "outside",
      name: "outside",
      bootstrap: tc.bootstrap,
      readOnly: true,
      tls: null,
      sasl: null,
      metrics: Object.fromEntries(endpoints.map((e) => [String(e.node), e.url])),
      origin: "config-file",
    };
    const outside = serviceFor(def, getQuorum().config);
    try {
      // Which named node is a controller is learnt from the cluster's metadata: not a broker there.
      await outside.read.snapshot(0);
      const external = new BrokerMetricsSampler("outside", metricsTargets(outside, def), store, SAMPLE_MS);
      const rows = await external.sample();
      expect(rows.map((r) => [r.node, r.role]).sort(([a], [b]) => Number(a) - Number(b))).toEqual([
        [1, "broker"],
        [2, "broker"],
        [3, "broker"],
        [101, "controller"],
      ]);
      expect(rows.find((r) => r.node === 101)?.values.activeController).toBe(1);
      expect(external.brokerTargets()).toBe(3);
    } finally {
      outside.monitor.close();
      await outside.gateway.close();
    }
  });

  it("a stopped broker's series ends in a gap, a marker says it stopped, and the under-replicated count rises", async () => {
    const stoppedAt = Date.now();
    await tc.cluster.stopBroker(3, "kill");
    // Kafka's own view: partitions with broker 3 as a replica lose it from the ISR once it is fenced.
    const shrunk = await eventually(
      "broker 3 out of an ISR (kcat)",
      () => {
        const md = kcatMetadata(tc.bootstrap);
        const n = md.partitions.filter((p) => p.replicas.includes(3) && !p.isr.includes(3)).length;
        return n > 0 ? n : undefined;
      },
      30_000,
    );
    expect(shrunk).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      await sampler.sample();
      await new Promise((r) => setTimeout(r, i < 2 ? SAMPLE_MS : 0));
    }
    const h = await eventually(
      "the marker of broker 3 stopping",
      async () => {
        const x = await history();
        return x.markers.some((m) => m.kind === "broker-down" && m.broker === 3) ? x : undefined;
      },
      20_000,
    );
    const marker = h.markers.find((m) => m.kind === "broker-down" && m.broker === 3);
    expect(marker?.ts).toBeGreaterThanOrEqual(stoppedAt);
    const b3 = h.nodes.find((n) => n.id === 3)?.points ?? [];
    const lastSample = b3.filter((p) => p.heapUsed !== null).at(-1) as NodeMetricPoint;
    expect(lastSample.ts).toBeLessThanOrEqual(stoppedAt + SAMPLE_MS);
    // After its last sample, only blanks: the line ends.
    expect(b3.filter((p) => p.ts > lastSample.ts).every((p) => p.heapUsed === null)).toBe(true);
    expect(b3.at(-1)?.heapUsed).toBeNull();
    // Brokers 1 and 2 go on.
    const b1 = h.nodes.find((n) => n.id === 1)?.points ?? [];
    expect(b1.filter((p) => p.heapUsed !== null).at(-1)?.ts).toBeGreaterThan(lastSample.ts + SAMPLE_MS);
    const health = h.health.points.filter((p) => p.reporting !== null).at(-1);
    expect(health?.reporting).toBe(2);
    expect(h.health.expected).toBe(3);
    expect(health?.underReplicated).toBeGreaterThan(0);
    const before = h.health.points.find((p) => p.reporting === 3);
    expect(before?.underReplicated).toBe(0);
  }, 120_000);
});
