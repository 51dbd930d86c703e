import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { FakeGateway, partition, topic } from "@/test/fakes/cluster";
import { documentedSeries, readScrape, type Scrape, sampleValue } from "@/test/helpers/prometheus";
import { ClusterService } from "../cluster-service";
import { HistoryStore } from "../history/history-store";
import { DEFAULT_MONITOR_OPTIONS } from "../monitor/monitor";
import type { Quorum } from "../quorum";
import { DemoWorkload } from "../workload/demo";
import { quorumTelemetry } from "./quorum-view";
import {
  type ClusterTelemetry,
  countDrillFinished,
  countDrillStarted,
  countSnapshotFailure,
  metricsContentType,
  observeHttpRequest,
  observeSnapshot,
  renderMetrics,
  type TelemetryView,
  telemetry,
} from "./registry";

async function scrape(view: TelemetryView): Promise<Scrape> {
  return readScrape(await renderMetrics(view));
}

const value = sampleValue;

const cluster = (id: string, over: Partial<ClusterTelemetry> = {}): ClusterTelemetry => ({
  id,
  kafkaRequests: 0,
  eventStreams: 0,
  events: new Map(),
  drills: false,
  historyRows: null,
  workload: null,
  ...over,
});

describe("the console's own metrics", () => {
  it("are made once per process, however many copies of the module the bundle holds", async () => {
    const first = telemetry();
    vi.resetModules();
    const copy = await import("./registry");
    expect(copy.telemetry()).toBe(first);
    expect(copy.telemetry().registry).toBe(first.registry);
    expect(metricsContentType()).toBe("text/plain; version=0.0.4; charset=utf-8");
  });

  it("serve every series the README documents, each with its documented type, and the process's own", async () => {
    const docs = documentedSeries();
    expect(docs.size).toBeGreaterThanOrEqual(16);
    observeHttpRequest("/api/clusters/[cluster]/overview", "GET", 200, 0.003);
    observeSnapshot("docs", 0.02, 7);
    const { families } = await scrape({
      clusters: [
        cluster("docs", {
          events: new Map([["broker-down", 1]]),
          drills: true,
          historyRows: 3,
          workload: { running: false, produced: 0, failed: 0, consumed: new Map([["billing", 0]]) },
        }),
      ],
      historyFileBytes: 4096,
    });
    const served = new Map([...families].filter(([name]) => name.startsWith("quorum_")).map(([n, f]) => [n, f.type]));
    expect(served).toEqual(docs);
    for (const [name, family] of families)
      if (name.startsWith("quorum_")) expect(family.metrics.length, name).toBeGreaterThan(0);
    for (const name of ["process_cpu_seconds_total", "process_resident_memory_bytes", "nodejs_eventloop_lag_seconds"])
      expect(families.has(name), name).toBe(true);
  });

  it("read what Quorum counts at scrape time, and forget a cluster that is gone", async () => {
    const view: TelemetryView = {
      clusters: [
        cluster("a", { kafkaRequests: 120, eventStreams: 2, events: new Map([["leader-changed", 4]]), historyRows: 9 }),
        cluster("b", {
          kafkaRequests: 7,
          workload: { running: true, produced: 500, failed: 3, consumed: new Map([["billing", 480]]) },
        }),
      ],
      historyFileBytes: 8192,
    };
    let families = await scrape(view);
    expect(value(families, "quorum_kafka_requests_total", { cluster: "a" })).toBe(120);
    expect(value(families, "quorum_kafka_requests_total", { cluster: "b" })).toBe(7);
    expect(value(families, "quorum_event_stream_subscribers", { cluster: "a" })).toBe(2);
    expect(value(families, "quorum_events_total", { cluster: "a", type: "leader-changed" })).toBe(4);
    expect(value(families, "quorum_history_rows", { cluster: "a" })).toBe(9);
    expect(value(families, "quorum_history_rows", { cluster: "b" })).toBeUndefined(); // not recording
    expect(value(families, "quorum_history_file_bytes")).toBe(8192);
    expect(value(families, "quorum_workload_running", { cluster: "b" })).toBe(1);
    expect(value(families, "quorum_workload_messages_produced_total", { cluster: "b" })).toBe(500);
    expect(value(families, "quorum_workload_messages_failed_total", { cluster: "b" })).toBe(3);
    expect(value(families, "quorum_workload_messages_consumed_total", { cluster: "b", group: "billing" })).toBe(480);
    expect(value(families, "quorum_workload_running", { cluster: "a" })).toBeUndefined(); // no workload there

    // The next scrape reads again: totals as they are now, and nothing of a cluster removed.
    families = await scrape({ clusters: [cluster("a", { kafkaRequests: 130 })], historyFileBytes: null });
    expect(value(families, "quorum_kafka_requests_total", { cluster: "a" })).toBe(130);
    expect(value(families, "quorum_kafka_requests_total", { cluster: "b" })).toBeUndefined();
    expect(value(families, "quorum_workload_messages_produced_total", { cluster: "b" })).toBeUndefined();
    expect(value(families, "quorum_history_file_bytes")).toBe(0); // not open
  });

  it("label an HTTP request by its route pattern and a method from a fixed set", async () => {
    const route = "/api/clusters/[cluster]/topics/[topic]";
    const before = await scrape({ clusters: [], historyFileBytes: null });
    const count = (f: Scrape, labels: Record<string, string>) => value(f, "quorum_http_requests_total", labels) ?? 0;
    observeHttpRequest(route, "GET", 200, 0.01);
    observeHttpRequest(route, "GET", 200, 0.02);
    observeHttpRequest(route, "DELETE", 403, 0.001);
    observeHttpRequest(route, "BREW", 405, 0.001);
    const after = await scrape({ clusters: [], historyFileBytes: null });
    const delta = (labels: Record<string, string>) => count(after, labels) - count(before, labels);
    expect(delta({ route, method: "GET", status: "200" })).toBe(2);
    expect(delta({ route, method: "DELETE", status: "403" })).toBe(1);
    expect(delta({ route, method: "OTHER", status: "405" })).toBe(1);
    const get = { route, method: "GET", status: "200" };
    const bucket = (s: Scrape, le: string) =>
      value(s, "quorum_http_request_duration_seconds_bucket", { ...get, le }) ?? 0;
    expect(
      (value(after, "quorum_http_request_duration_seconds_count", get) ?? 0) -
        (value(before, "quorum_http_request_duration_seconds_count", get) ?? 0),
    ).toBe(2);
    expect(bucket(after, "0.01") - bucket(before, "0.01")).toBe(1);
    expect(bucket(after, "0.025") - bucket(before, "0.025")).toBe(2);
  });

  it("count snapshots, their Kafka requests and failures, and drills, starting at 0 where they can happen", async () => {
    const view: TelemetryView = {
      clusters: [cluster("lab", { drills: true }), cluster("ext")],
      historyFileBytes: null,
    };
    let families = await scrape(view);
    expect(value(families, "quorum_snapshot_failures_total", { cluster: "ext" })).toBe(0);
    expect(value(families, "quorum_drills_started_total", { cluster: "lab", kind: "rolling-restart" })).toBe(0);
    expect(
      value(families, "quorum_drills_finished_total", { cluster: "lab", kind: "failover", outcome: "aborted" }),
    ).toBe(0);
    expect(value(families, "quorum_drills_started_total", { cluster: "ext" })).toBeUndefined(); // no drills there

    observeSnapshot("lab", 0.04, 9);
    observeSnapshot("lab", 0.3, 11);
    countSnapshotFailure("ext");
    countDrillStarted("lab", "failover");
    countDrillFinished("lab", "failover", "done");
    families = await scrape(view);
    const lab = { cluster: "lab" };
    expect(value(families, "quorum_snapshot_duration_seconds_count", lab)).toBe(2);
    expect(value(families, "quorum_snapshot_duration_seconds_sum", lab)).toBeCloseTo(0.34);
    expect(value(families, "quorum_snapshot_duration_seconds_bucket", { ...lab, le: "0.05" })).toBe(1);
    expect(value(families, "quorum_snapshot_kafka_requests_sum", lab)).toBe(20);
    expect(value(families, "quorum_snapshot_kafka_requests_bucket", { ...lab, le: "8" })).toBe(0);
    expect(value(families, "quorum_snapshot_kafka_requests_bucket", { ...lab, le: "16" })).toBe(2);
    expect(value(families, "quorum_snapshot_failures_total", { cluster: "ext" })).toBe(1);
    expect(value(families, "quorum_drills_started_total", { cluster: "lab", kind: "failover" })).toBe(1);
    expect(value(families, "quorum_drills_finished_total", { cluster: "lab", kind: "failover", outcome: "done" })).toBe(
      1,
    );
  });
});

describe("what a scrape reads of Quorum", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-telemetry-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads the pools', monitors', history's and workload's own counts, and asks Kafka nothing", async () => {
    const gateway = new FakeGateway({ brokers: [1, 2], controller: 101, topics: [] });
    const service = new ClusterService("tv", "tv", ["127.0.0.1:9001"], null, DEFAULT_MONITOR_OPTIONS, gateway);
    // Two looks with a topic created between them: one topic-created event, two snapshots.
    await service.monitor.step();
    gateway.state.topics.push(topic("orders", [partition(0, 1, [1, 2])]));
    await service.monitor.step();
    const closeStream = service.monitor.subscribeStream(() => {});
    const store = new HistoryStore(path.join(dir, "history.sqlite"), 2000);
    const quorum = {
      config: { dataDir: dir },
      clusters: new Map([["tv", service]]),
      drills: new Map([["tv", {}]]),
      workloads: new Map([["tv", new DemoWorkload(service, false, 20)]]),
      history: { store, samplers: [], metrics: [] },
    } as unknown as Quorum;
    try {
      const sent = gateway.requestsSent();
      expect(sent).toBeGreaterThanOrEqual(2);
      let families = await scrape(quorumTelemetry(quorum));
      for (let i = 0; i < 99; i++) families = await scrape(quorumTelemetry(quorum));
      expect(gateway.requestsSent()).toBe(sent); // 100 scrapes, no request
      expect(gateway.takes).toBe(2);
      expect(value(families, "quorum_kafka_requests_total", { cluster: "tv" })).toBe(sent);
      expect(value(families, "quorum_event_stream_subscribers", { cluster: "tv" })).toBe(1);
      expect(value(families, "quorum_events_total", { cluster: "tv", type: "topic-created" })).toBe(1);
      expect(value(families, "quorum_history_rows", { cluster: "tv" })).toBe(0);
      expect(value(families, "quorum_history_file_bytes")).toBeGreaterThan(0);
      expect(value(families, "quorum_workload_running", { cluster: "tv" })).toBe(0);
      expect(value(families, "quorum_workload_messages_consumed_total", { cluster: "tv", group: "shipping" })).toBe(0);
      expect(value(families, "quorum_drills_started_total", { cluster: "tv", kind: "failover" })).toBe(0);
      expect(value(families, "quorum_snapshot_kafka_requests_count", { cluster: "tv" })).toBe(2);
    } finally {
      closeStream();
      store.close();
    }
  });
});
