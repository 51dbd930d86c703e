import type { ChartMarker } from "@/lib/types";
import { formatBytes } from "./format";

/** How the metrics charts and tables write each kind of value. */
export const metricFormat = {
  bytesRate: (v: number) => `${formatBytes(Math.round(v))}/s`,
  rate: (v: number) => (v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(1)),
  ms: (v: number) => `${v >= 10 ? Math.round(v) : v.toFixed(1)} ms`,
  share: (v: number) => `${Math.round(v * 100)}%`,
  bytes: (v: number) => formatBytes(Math.round(v)),
  count: (v: number) => Math.round(v).toLocaleString("en-US"),
};

/** One colour per node, by its place in the list. */
export const NODE_COLORS = ["#2563eb", "#d97706", "#059669", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#dc2626"];

/** The `brokers` namespace's translator (`useTranslations("brokers")` or `getTranslations("brokers")`). */
export type BrokersT = (key: string, values?: Record<string, string | number>) => string;

/**
 * A marker's words in the page's language, from its kind and what it is about (the server's
 * `label` is English): "broker 2 down", "controller 3", "4 leaders moved".
 */
export function markerLabel(m: ChartMarker, t: BrokersT): string {
  switch (m.kind) {
    case "broker-down":
      return t("markers.brokerDown", { broker: m.broker ?? "?" });
    case "broker-up":
      return t("markers.brokerUp", { broker: m.broker ?? "?" });
    case "controller-changed":
      return m.controller === null || m.controller === undefined
        ? t("markers.controllerNone")
        : t("markers.controllerChanged", { controller: m.controller });
    case "quorum-lost":
      return t("markers.quorumLost");
    case "quorum-regained":
      return t("markers.quorumRegained");
    case "leaders-moved":
      return m.count === undefined ? m.label : t("markers.leadersMoved", { count: m.count });
  }
}

/** The charts' markers: brokers and controllers in red with words, leaders moving as faint lines. */
export function chartMarkersOf(markers: ChartMarker[], t: BrokersT): { ts: number; label: string; faint: boolean }[] {
  return markers.map((m) => ({ ts: m.ts, label: markerLabel(m, t), faint: m.kind === "leaders-moved" }));
}
