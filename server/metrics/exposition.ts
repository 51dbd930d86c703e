import "server-only";
import parsePrometheusTextFormat from "parse-prometheus-text-format";

/** One sample line of a Prometheus text exposition: its labels and value. */
export interface ExposedSample {
  labels: Record<string, string>;
  value: number;
}

/**
 * The samples of a Prometheus text exposition by sample name (parse-prometheus-text-format reads
 * it). A summary or histogram family gives its `_count` and `_sum` samples (and a summary its
 * quantiles under its own name with a `quantile` label), as they appear on the wire.
 */
export function exposedSamples(text: string): Map<string, ExposedSample[]> {
  const out = new Map<string, ExposedSample[]>();
  const add = (name: string, labels: Record<string, string>, raw: string | undefined) => {
    if (raw === undefined) return;
    const value = Number(raw);
    const list = out.get(name);
    if (list) list.push({ labels, value });
    else out.set(name, [{ labels, value }]);
  };
  // The parser reads a line only once it ends: an answer cut after its last value keeps that value.
  for (const family of parsePrometheusTextFormat(text.endsWith("\n") ? text : `${text}\n`)) {
    for (const m of family.metrics) {
      const labels = m.labels ?? {};
      if (family.type === "SUMMARY" || family.type === "HISTOGRAM") {
        add(`${family.name}_count`, labels, m.count);
        add(`${family.name}_sum`, labels, m.sum);
        for (const [q, v] of Object.entries(m.quantiles ?? {})) add(family.name, { ...labels, quantile: q }, v);
      } else {
        add(family.name, labels, m.value);
      }
    }
  }
  return out;
}

/**
 * The sum of a sample's values over the lines whose labels include `match` (e.g. every `version`
 * of Produce's request count); null when no line matches or a value is not a number.
 */
export function sumOf(
  samples: Map<string, ExposedSample[]>,
  name: string,
  match: Record<string, string> = {},
): number | null {
  const lines = (samples.get(name) ?? []).filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v));
  if (lines.length === 0) return null;
  let total = 0;
  for (const l of lines) {
    if (!Number.isFinite(l.value)) return null;
    total += l.value;
  }
  return total;
}
