import fs from "node:fs";
import path from "node:path";
import parsePrometheusTextFormat, { type PrometheusFamily } from "parse-prometheus-text-format";

const README = path.resolve(__dirname, "../../README.md");

/** The series the README's "The console's own metrics" table documents, with their types (as the parser names them). */
export function documentedSeries(): Map<string, PrometheusFamily["type"]> {
  const text = fs.readFileSync(README, "utf8");
  const from = text.indexOf("### The console's own metrics");
  const section = text.slice(from, text.indexOf("\n## ", from));
  const rows = [...section.matchAll(/^\| `(quorum_[a-z_]+)` \| (counter|gauge|histogram) \|/gm)];
  return new Map(rows.map((m) => [m[1] as string, (m[2] as string).toUpperCase() as PrometheusFamily["type"]]));
}

/**
 * A scrape read with parse-prometheus-text-format: `families` by name, with their types, and
 * `samples`, each series' samples with their labels. The parser folds a histogram's labelled
 * samples into one (it expects none), so for `samples` the histograms' TYPE lines are left out and
 * their `_bucket`, `_sum` and `_count` series read as untyped families of their own.
 */
export interface Scrape {
  families: Map<string, PrometheusFamily>;
  samples: Map<string, PrometheusFamily["metrics"]>;
}

export function readScrape(text: string): Scrape {
  const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
  const samples = new Map<string, PrometheusFamily["metrics"]>();
  // Without its TYPE, each of a histogram's lines starts a family of its own name: gathered here.
  for (const f of parsePrometheusTextFormat(text.replace(/^# TYPE \S+ histogram$/gm, "")))
    samples.set(f.name, [...(samples.get(f.name) ?? []), ...f.metrics]);
  return { families, samples };
}

/** The value of the sample of series `name` whose labels include `labels`; undefined when there is none. */
export function sampleValue(s: Scrape, name: string, labels: Record<string, string> = {}): number | undefined {
  const sample = s.samples
    .get(name)
    ?.find((m) => Object.entries(labels).every(([k, v]) => (m.labels?.[k] ?? "") === v));
  return sample?.value === undefined ? undefined : Number(sample.value);
}

/** The sum of the samples of series `name` whose labels include `labels` (0 when there is none). */
export function sampleSum(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  return (s.samples.get(name) ?? [])
    .filter((m) => Object.entries(labels).every(([k, v]) => (m.labels?.[k] ?? "") === v))
    .reduce((a, m) => a + Number(m.value ?? 0), 0);
}
