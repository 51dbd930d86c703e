"use client";
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useBrokerMetricsQuery } from "@/lib/hooks/api/history";
import { LATEST_MINUTES } from "@/lib/metric-series";
import type { HealthPoint } from "@/lib/types";
import { noMetricsReason } from "./broker-metrics";
import { chartMarkersOf, metricFormat } from "./metric-format";
import { RangePicker } from "./range-picker";
import { StatTile } from "./stat-tile";

const HistoryChart = dynamic(() => import("./history-chart").then((m) => m.HistoryChart), {
  ssr: false,
  loading: () => <div className="h-48 rounded-lg border border-slate-200 bg-white" />,
});

const shown = (v: number | null | undefined, f: (v: number) => string = metricFormat.count) =>
  v === null || v === undefined ? "—" : f(v);

/**
 * The cluster's health from its brokers' and controllers' own metrics: under-replicated and offline
 * partitions, active controllers, traffic, ISR churn, with the timeline's events marked. A point that
 * not every broker answered for says so (its sums are partial).
 */
export function HealthPanel({ cluster, kind }: { cluster: string; kind: "embedded" | "external" | undefined }) {
  const [minutes, setMinutes] = useState(15);
  const t = useTranslations("overview.health");
  const q = useBrokerMetricsQuery(cluster, minutes);
  // The tiles read the last round itself, whatever range the charts show (a long range's last point
  // is a bucket, its counts the bucket's peaks).
  const latest = useBrokerMetricsQuery(cluster, LATEST_MINUTES);
  const data = q.data;
  const points = data?.health.points ?? [];
  // The latest round, unless nothing answered lately (the last point is a blank): then unknown, not the old values.
  const final = latest.data?.health.points.at(-1);
  const last: HealthPoint | undefined = final && final.reporting !== null ? final : undefined;
  const expected = latest.data?.health.expected ?? 0;
  const partial = last?.reporting !== null && last?.reporting !== undefined && last.reporting < expected;
  const tb = useTranslations("brokers");
  const markers = chartMarkersOf(data?.markers ?? [], tb);
  return (
    <section data-testid="health-panel" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h2 className="text-lg font-semibold">{t("title")}</h2>
          <p className="text-sm text-slate-600">{t("intro")}</p>
        </div>
        <RangePicker minutes={minutes} onChange={setMinutes} testId="health-range" />
      </div>
      {data && !data.enabled ? (
        <p className="text-sm text-slate-600" data-testid="health-off">
          {noMetricsReason(kind, tb)}
        </p>
      ) : (
        <>
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
            <StatTile
              label={t("underReplicated")}
              value={shown(last?.underReplicated)}
              tone={last?.underReplicated == null ? "neutral" : last.underReplicated > 0 ? "warn" : "good"}
              testId="health-under-replicated"
            />
            <StatTile
              label={t("offlinePartitions")}
              value={shown(last?.offlinePartitions)}
              tone={last?.offlinePartitions == null ? "neutral" : last.offlinePartitions > 0 ? "bad" : "good"}
              testId="health-offline"
            />
            <StatTile
              label={t("activeControllers")}
              value={shown(last?.activeControllers)}
              tone={last?.activeControllers == null ? "neutral" : last.activeControllers === 1 ? "good" : "bad"}
              testId="health-active-controllers"
            />
            <StatTile
              label={t("bytesIn")}
              value={shown(last?.bytesIn, metricFormat.bytesRate)}
              testId="health-bytes-in"
            />
            <StatTile
              label={t("reporting")}
              value={
                last ? t("reportingValue", { reporting: String(last.reporting), expected: String(expected) }) : "—"
              }
              tone={partial ? "warn" : "neutral"}
              testId="health-reporting"
            />
          </div>
          {partial && (
            <p className="text-sm text-amber-800" data-testid="health-partial">
              {t("partial", { reporting: String(last?.reporting), expected: String(expected) })}
            </p>
          )}
          <div className="grid gap-4 lg:grid-cols-2">
            <HistoryChart
              points={points}
              series={[
                { key: "underReplicated", label: t("series.underReplicated"), color: "#d97706" },
                { key: "offlinePartitions", label: t("series.offline"), color: "#dc2626" },
              ]}
              testId="health-chart-partitions"
              empty={t("noSamples")}
              markers={markers}
              format={metricFormat.count}
              height="h-48"
            />
            <HistoryChart
              points={points}
              series={[
                { key: "bytesIn", label: t("series.bytesIn"), color: "#2563eb" },
                { key: "bytesOut", label: t("series.bytesOut"), color: "#059669" },
              ]}
              testId="health-chart-traffic"
              empty={t("noSamples")}
              markers={markers}
              format={metricFormat.bytesRate}
              height="h-48"
            />
          </div>
        </>
      )}
    </section>
  );
}
