"use client";
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useBrokerMetricsQuery } from "@/lib/hooks/api/history";
import { LATEST_MINUTES, latestOf, pivotNodes } from "@/lib/metric-series";
import type { BrokerMetricsHistory, NodeMetricKey } from "@/lib/types";
import { DataTable } from "./data-table";
import { type BrokersT, chartMarkersOf, metricFormat, NODE_COLORS } from "./metric-format";
import { RangePicker } from "./range-picker";
import { useErrorText } from "./use-error-text";

const HistoryChart = dynamic(() => import("./history-chart").then((m) => m.HistoryChart), {
  ssr: false,
  loading: () => <div className="h-48 rounded-lg border border-slate-200 bg-white" />,
});

type Node = BrokerMetricsHistory["nodes"][number];

/** Each chart: the value it draws (its title is `brokers.metrics.charts.<key>`) and how it writes it. */
const BROKER_CHARTS: { key: NodeMetricKey; format: (v: number) => string }[] = [
  { key: "bytesIn", format: metricFormat.bytesRate },
  { key: "bytesOut", format: metricFormat.bytesRate },
  { key: "produceP99Ms", format: metricFormat.ms },
  { key: "fetchP99Ms", format: metricFormat.ms },
  { key: "messagesIn", format: metricFormat.rate },
  { key: "produceRequests", format: metricFormat.rate },
  { key: "handlerIdle", format: metricFormat.share },
  { key: "underReplicated", format: metricFormat.count },
  { key: "isrShrinks", format: metricFormat.rate },
  { key: "heapUsed", format: metricFormat.bytes },
  { key: "gcMsPerSec", format: metricFormat.rate },
];
const CONTROLLER_CHARTS: typeof BROKER_CHARTS = [
  { key: "logEndOffset", format: metricFormat.count },
  { key: "commitLatencyMs", format: metricFormat.ms },
  { key: "heapUsed", format: metricFormat.bytes },
];

/** The latest values of each broker, one row each (the charts below show their course). */
function LatestTable({ brokers }: { brokers: Node[] }) {
  const t = useTranslations("brokers.metrics.columns");
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
        t("broker"),
        { label: t("bytesIn"), numeric: true },
        { label: t("bytesOut"), numeric: true },
        { label: t("messagesIn"), numeric: true },
        { label: t("produceP99"), numeric: true },
        { label: t("fetchP99"), numeric: true },
        { label: t("handlerIdle"), numeric: true },
        { label: t("underReplicated"), numeric: true },
        { label: t("heap"), numeric: true },
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
  prefix: "broker" | "controller";
}) {
  const t = useTranslations("brokers");
  const series = nodes.map((n, i) => ({
    key: `n${n.id}`,
    label: t(`metrics.series.${prefix}`, { id: n.id }),
    color: NODE_COLORS[i % NODE_COLORS.length] ?? "#334155",
  }));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {charts.map((c) => (
        <div key={c.key}>
          <h3 className="mb-1 text-sm font-medium text-slate-700">{t(`metrics.charts.${c.key}`)}</h3>
          <HistoryChart
            points={pivotNodes(nodes, c.key)}
            series={series}
            testId={`metrics-chart-${prefix}-${c.key}`}
            empty={t("metrics.empty")}
            markers={chartMarkersOf(markers, t)}
            format={c.format}
            height="h-48"
          />
        </div>
      ))}
    </div>
  );
}

/** Why a cluster has no broker metrics, in a sentence (`t`: the `brokers` namespace's translator). */
export function noMetricsReason(kind: "embedded" | "external" | undefined, t: BrokersT): string {
  return kind === "embedded" ? t("metrics.off.embedded") : t("metrics.off.external");
}

/** The Brokers page's metrics: latest values per broker, then each value's course per broker, with the timeline's events marked. */
export function BrokerMetrics({ cluster, kind }: { cluster: string; kind: "embedded" | "external" | undefined }) {
  const t = useTranslations("brokers");
  const errorText = useErrorText();
  const [minutes, setMinutes] = useState(15);
  const q = useBrokerMetricsQuery(cluster, minutes);
  // The latest values are the last samples, whatever range the charts show (a long range's last
  // point is a bucket's average).
  const latest = useBrokerMetricsQuery(cluster, LATEST_MINUTES);
  const data = q.data;
  const brokers = (data?.nodes ?? []).filter((n) => n.role === "broker");
  const latestBrokers = (latest.data?.nodes ?? []).filter((n) => n.role === "broker");
  const controllers = (data?.nodes ?? []).filter((n) => n.role === "controller");
  return (
    <section data-testid="broker-metrics" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h2 className="text-lg font-semibold">{t("metrics.heading")}</h2>
          <p className="text-sm text-slate-600">
            {t("metrics.intro", { seconds: Math.round((data?.sampleMs ?? 5000) / 1000) })}
          </p>
        </div>
        <RangePicker minutes={minutes} onChange={setMinutes} testId="broker-metrics-range" />
      </div>
      {q.error && <p className="text-sm text-rose-700">{errorText(q.error)}</p>}
      {data && !data.enabled && (
        <p className="text-sm text-slate-600" data-testid="broker-metrics-off">
          {noMetricsReason(kind, t)}
        </p>
      )}
      {latestBrokers.length > 0 && <LatestTable brokers={latestBrokers} />}
      {brokers.length > 0 && (
        <NodeCharts nodes={brokers} charts={BROKER_CHARTS} markers={data?.markers ?? []} prefix="broker" />
      )}
      {controllers.length > 0 && (
        <>
          <h3 className="text-base font-semibold">{t("metrics.controllers")}</h3>
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
