import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exposedSamples, sumOf } from "./exposition";
import { NODE_METRIC_KEYS, READ_SAMPLE_NAMES, readingOf, valuesFromList, valuesOf } from "./node-values";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "../../test/fixtures", name), "utf8");

describe("a node's Prometheus exposition", () => {
  it("reads the lab exporter's answer: counters, gauges with labels, the GC summary's sum, NaN as unknown", () => {
    const samples = exposedSamples(fixture("jmx-exporter-broker.txt"));
    const r = readingOf(samples, 1000);
    expect(r.gauges.heapMax).toBe(335544320);
    expect(r.gauges.heapUsed).toBeGreaterThan(0);
    expect(r.gauges.underReplicated).toBe(0);
    expect(r.gauges.logEndOffset).toBe(24);
    // A broker that never committed to the metadata log reports NaN: not a number to draw.
    expect(r.gauges.commitLatencyMs).toBeNull();
    expect(r.counters.handlerIdleNs).toBe(2.136070432e9);
    // The GC summary's `_sum` over both collectors.
    expect(r.counters.gcSeconds).toBeCloseTo(
      (sumOf(samples, "jvm_gc_collection_seconds_sum", { gc: "G1 Young Generation" }) ?? Number.NaN) +
        (sumOf(samples, "jvm_gc_collection_seconds_sum", { gc: "G1 Old Generation" }) ?? Number.NaN),
    );
    // No Produce request yet: Kafka has not made its meter, which is a count of 0.
    expect(r.counters.produceRequests).toBe(0);
    // A broker is no controller: unknown, not 0.
    expect(r.gauges.activeController).toBeNull();
  });

  it("reads the controller's own series", () => {
    const r = readingOf(exposedSamples(fixture("jmx-exporter-controller.txt")), 0);
    expect(r.gauges.activeController).toBe(1);
    expect(r.gauges.offlinePartitions).toBe(0);
    expect(r.gauges.logEndOffset).toBeGreaterThan(0);
  });

  it("sums a counter over its versions and keeps only the lines matching the labels", () => {
    const samples = exposedSamples(
      [
        "# TYPE kafka_network_requestmetrics_requests_total counter",
        'kafka_network_requestmetrics_requests_total{request="Produce",version="9"} 10.0',
        'kafka_network_requestmetrics_requests_total{request="Produce",version="11"} 5.0',
        'kafka_network_requestmetrics_requests_total{request="Fetch",version="17"} 7.0',
      ].join("\n"),
    );
    expect(sumOf(samples, "kafka_network_requestmetrics_requests_total", { request: "Produce" })).toBe(15);
    expect(sumOf(samples, "kafka_network_requestmetrics_requests_total", { request: "Fetch" })).toBe(7);
    expect(sumOf(samples, "kafka_network_requestmetrics_requests_total", { request: "Metadata" })).toBeNull();
  });

  it("every sample name Quorum reads is one the rules file makes or the exporter serves", () => {
    const rules = fs.readFileSync(path.join(__dirname, "../../kafka/jmx-exporter.yaml"), "utf8");
    const served = new Set([
      ...exposedSamples(fixture("jmx-exporter-broker.txt")).keys(),
      ...exposedSamples(fixture("jmx-exporter-controller.txt")).keys(),
    ]);
    for (const name of READ_SAMPLE_NAMES) {
      // Produce's request count appears at the first Produce request, which the fixtures predate.
      if (name === "kafka_network_requestmetrics_requests_total") expect(rules).toContain(name);
      else expect(served.has(name), name).toBe(true);
    }
  });
});

describe("a node's values between two readings", () => {
  const text = (bytesIn: number, idleNs: number, gc: number, produce: number, p99: number) =>
    exposedSamples(
      [
        `kafka_server_brokertopicmetrics_bytesin_total ${bytesIn}`,
        `kafka_server_kafkarequesthandlerpool_requesthandleridle_total ${idleNs}`,
        `# TYPE jvm_gc_collection_seconds summary`,
        `jvm_gc_collection_seconds_count{gc="G1 Young Generation"} 3`,
        `jvm_gc_collection_seconds_sum{gc="G1 Young Generation"} ${gc}`,
        `kafka_network_requestmetrics_requests_total{request="Produce",version="11"} ${produce}`,
        `kafka_network_requestmetrics_totaltimems{quantile="0.99",request="Produce"} ${p99}`,
      ].join("\n"),
    );

  it("derives rates per second from the counters' increase, and takes gauges as read", () => {
    const a = readingOf(text(1000, 1e9, 0.1, 100, 3), 10_000);
    const b = readingOf(text(6000, 5.5e9, 0.15, 150, 7), 15_000);
    const v = valuesOf(a, b, 12_500);
    expect(v.bytesIn).toBe(1000);
    expect(v.produceRequests).toBe(10);
    expect(v.handlerIdle).toBeCloseTo(0.9);
    expect(v.gcMsPerSec).toBeCloseTo(10);
    expect(v.produceP99Ms).toBe(7);
  });

  it("gives no rate on the first reading, across a gap, or when a counter went down (a restart)", () => {
    const a = readingOf(text(1000, 1e9, 0.1, 100, 3), 10_000);
    expect(valuesOf(null, a, 12_500).bytesIn).toBeNull();
    expect(valuesOf(a, readingOf(text(9000, 9e9, 0.2, 200, 3), 30_000), 12_500).bytesIn).toBeNull();
    const restarted = valuesOf(a, readingOf(text(10, 1e8, 0.01, 1, 2), 15_000), 12_500);
    expect(restarted.bytesIn).toBeNull();
    expect(restarted.produceP99Ms).toBe(2);
  });

  it("keeps values in the store's order, and a short list reads as unknowns", () => {
    const v = valuesFromList([1, 2]);
    expect(v.bytesIn).toBe(1);
    expect(v.bytesOut).toBe(2);
    expect(NODE_METRIC_KEYS.slice(2).every((k) => v[k] === null)).toBe(true);
  });
});
