"use client";
import dynamic from "next/dynamic";
import { useState } from "react";
import { useBrokerMetricsQuery } from "@/lib/hooks/api/history";
import { latestOf, pivotNodes } from "@/lib/metric-series";
import type { BrokerMetricsHistory, NodeMetricKey } from "@/lib/types";
import { DataTable } from "./data-table";
import { chartMarkersOf, metricFormat, NODE_COLORS } from "./metric-format";
import { RangePicker } from "./range-picker";

const HistoryChart = dynamic(() => import("./history-chart").then((m) => m.HistoryChart), {
  ssr: false,
  loading: () => <div className="h-48 rounded-lg border border-slate-200 bg-white" />,
});

type Node = BrokerMetricsHistory["nodes"][number];

const BROKER_CHARTS: { key: NodeMetricKey; title: string; format: (v: number) => string }[] = [
  { key: "bytesIn", title: "Bytes in / s", format: metricFormat.bytesRate },
  { key: "bytesOut", title: "Bytes out / s", format: metricFormat.bytesRate },
  { key: "produceP99Ms", title: "Produce p99 (total time)", format: metricFormat.ms },
  { key: "fetchP99Ms", title: "Fetch p99 (total time)", format: metricFormat.ms },
  { key: "messagesIn", title: "Messages in / s", format: metricFormat.rate },
  { key: "produceRequests", title: "Produce requests / s", format: metricFormat.rate },
  { key: "handlerIdle", title: "Request handler idle", format: metricFormat.share },
  { key: "underReplicated", title: "Under-replicated partitions (led here)", format: metricFormat.count },
  { key: "isrShrinks", title: "ISR shrinks / s", format: metricFormat.rate },
  { key: "heapUsed", title: "JVM heap used", format: metricFormat.bytes },
  { key: "gcMsPerSec", title: "GC time (ms / s)", format: metricFormat.rate },
];
const CONTROLLER_CHARTS: typeof BROKER_CHARTS = [
  { key: "logEndOffset", title: "Metadata log end offset", format: metricFormat.count },
  { key: "commitLatencyMs", title: "Metadata commit latency (avg)", format: metricFormat.ms },
  { key: "heapUsed", title: "JVM heap used", format: metricFormat.bytes },
];

/** The latest values of each broker, one row each (the charts below show their course). */
function LatestTable({ brokers }: { brokers: Node[] }) {
  const cell = (n: Node, key: NodeMetricKey, format: (v: number) => string) => {
    const v = latestOf(n, key);
    return (
      <td
        className="px-4 py-2 text-right tabular-nums"
        data-testid={`broker-metric-${n.id}-${key}`}
        data-value={v ?? ""}
      >
        {v === null ? "—" : format(v)}
      </td>
    );
  };
  return (
    <DataTable
      testId="broker-metrics-latest"
      columns={[
        "Broker",
        { label: "Bytes in / s", numeric: true },
        { label: "Bytes out / s", numeric: true },
        { label: "Messages in / s", numeric: true },
        { label: "Produce p99", numeric: true },
        { label: "Fetch p99", numeric: true },
        { label: "Handler idle", numeric: true },
        { label: "Under-replicated", numeric: true },
        { label: "Heap", numeric: true },
      ]}
    >
      {brokers.map((n) => (
        <tr key={n.id} data-testid={`broker-metrics-row-${n.id}`}>
          <td className="px-4 py-2 font-semibold">{n.id}</td>
          {cell(n, "bytesIn", metricFormat.bytesRate)}
          {cell(n, "bytesOut", metricFormat.bytesRate)}
          {cell(n, "messagesIn", metricFormat.rate)}
          {cell(n, "produceP99Ms", metricFormat.ms)}
          {cell(n, "fetchP99Ms", metricFormat.ms)}
          {cell(n, "handlerIdle", metricFormat.share)}
          {cell(n, "underReplicated", metricFormat.count)}
          {cell(n, "heapUsed", metricFormat.bytes)}
        </tr>
      ))}
    </DataTable>
  );
}

function NodeCharts({
  nodes,
  charts,
  markers,
  prefix,
}: {
  nodes: Node[];
  charts: typeof BROKER_CHARTS;
  markers: BrokerMetricsHistory["markers"];
  prefix: string;
}) {
  const series = nodes.map((n, i) => ({
    key: `n${n.id}`,
    label: `${prefix} ${n.id}`,
    color: NODE_COLORS[i % NODE_COLORS.length] ?? "#334155",
  }));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {charts.map((c) => (
        <div key={c.key}>
          <h3 className="mb-1 text-sm font-medium text-slate-700">{c.title}</h3>
          <HistoryChart
            points={pivotNodes(nodes, c.key)}
            series={series}
            testId={`metrics-chart-${prefix}-${c.key}`}
            empty="No samples yet in this range."
            markers={chartMarkersOf(markers)}
            format={c.format}
            height="h-48"
          />
        </div>
      ))}
    </div>
  );
}

/** Why a cluster has no broker metrics, in a sentence. */
export function noMetricsReason(kind: "embedded" | "external" | undefined): string {
  return kind === "embedded"
    ? "The lab runs without its JMX exporters (QUORUM_LAB_METRICS=false, or `npm run kafka:fetch` found no Maven to fetch the exporter)."
    : 'This cluster names no metrics endpoints: give its entry in the config file a "metrics" map of node ids to Prometheus URLs.';
}

/** The Brokers page's metrics: latest values per broker, then each value's course per broker, with the timeline's events marked. */
export function BrokerMetrics({ cluster, kind }: { cluster: string; kind: "embedded" | "external" | undefined }) {
  const [minutes, setMinutes] = useState(15);
  const q = useBrokerMetricsQuery(cluster, minutes);
  const data = q.data;
  const brokers = (data?.nodes ?? []).filter((n) => n.role === "broker");
  const controllers = (data?.nodes ?? []).filter((n) => n.role === "controller");
  return (
    <section data-testid="broker-metrics" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h2 className="text-lg font-semibold">Metrics</h2>
          <p className="text-sm text-slate-600">
            Read from each node&apos;s Prometheus endpoint every {Math.round((data?.sampleMs ?? 5000) / 1000)} s. A line
            that ends is a node that stopped answering. Red lines mark brokers stopping and starting, faint amber ones
            partition leaders moving.
          </p>
        </div>
        <RangePicker minutes={minutes} onChange={setMinutes} testId="broker-metrics-range" />
      </div>
      {q.error && <p className="text-sm text-rose-700">{q.error.message}</p>}
      {data && !data.enabled && (
        <p className="text-sm text-slate-600" data-testid="broker-metrics-off">
          {noMetricsReason(kind)}
        </p>
      )}
      {brokers.length > 0 && <LatestTable brokers={brokers} />}
      {brokers.length > 0 && (
        <NodeCharts nodes={brokers} charts={BROKER_CHARTS} markers={data?.markers ?? []} prefix="broker" />
      )}
      {controllers.length > 0 && (
        <>
          <h3 className="text-base font-semibold">Controllers</h3>
          <NodeCharts
            nodes={controllers}
            charts={CONTROLLER_CHARTS}
            markers={data?.markers ?? []}
            prefix="controller"
          />
        </>
      )}
    </section>
  );
}
