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

/** The charts' markers: brokers and controllers in red with words, leaders moving as faint lines. */
export function chartMarkersOf(markers: ChartMarker[]): { ts: number; label: string; faint: boolean }[] {
  return markers.map((m) => ({ ts: m.ts, label: m.label, faint: m.kind === "leaders-moved" }));
}
