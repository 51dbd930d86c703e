"use client";
import { useLocale, useTranslations } from "next-intl";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";

export interface Series {
  key: string;
  label: string;
  color: string;
  /** Plotted against the right axis (e.g. a rate beside a count). */
  right?: boolean;
}

/** A clock time with seconds, 00–23 h, as the page's language writes it. */
const clock = (locale: string) => (ts: number) =>
  new Date(ts).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });

const known = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** A chart marker: a vertical line, with words unless it is faint (frequent, e.g. leaders moving). */
export interface ChartMarkerLine {
  ts: number;
  label: string;
  faint?: boolean;
}

/**
 * The words each marker shows: markers closer than `share` of the chart's time span would print
 * over each other, so going back from the newest, a worded marker takes the older ones just before
 * it as "+N" ("broker 3 up +2") and they show their line only. Faint markers never show words.
 * Sorted by time.
 */
export function wordedMarkers<M extends ChartMarkerLine>(
  markers: M[],
  spanMs: number,
  share = 0.08,
): (M & { words: string | null })[] {
  const out = [...markers].sort((a, b) => a.ts - b.ts).map((m) => ({ ...m, words: null as string | null }));
  let head: (typeof out)[number] | null = null;
  let more = 0;
  const close = () => {
    if (head && more > 0) head.words = `${head.label} +${more}`;
  };
  for (const m of [...out].reverse()) {
    if (m.faint) continue;
    if (head && head.ts - m.ts < spanMs * share) {
      more++;
      continue;
    }
    close();
    head = m;
    more = 0;
    m.words = m.label;
  }
  close();
  return out;
}

/**
 * The stretches without samples: from the last sample before each blank point to the first after
 * it (or to the blank point itself when nothing came after: nothing sampled lately).
 */
export function gapSpans<T extends { ts: number }>(points: T[], isSample: (p: T) => boolean): [number, number][] {
  const spans: [number, number][] = [];
  points.forEach((p, i) => {
    if (isSample(p)) return;
    const before = points.slice(0, i).findLast(isSample);
    const after = points.slice(i + 1).find(isSample);
    const from = before?.ts ?? p.ts;
    const to = after?.ts ?? p.ts;
    if (to > from) spans.push([from, to]);
  });
  return spans;
}

const plain = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** The tooltip: the time and each series' value there, or that no sample was taken there. */
function HistoryTooltip({
  active,
  payload,
  label,
  format = plain,
}: TooltipContentProps & { format?: (v: number) => string }) {
  const t = useTranslations("common.chart");
  const time = clock(useLocale());
  if (!active) return null;
  const values = (payload ?? []).filter((e) => known(e.value));
  return (
    <div className="rounded border border-slate-200 bg-white px-2 py-1 text-xs shadow-sm">
      <div className="font-medium text-slate-700">{time(Number(label))}</div>
      {values.length === 0 ? (
        <div className="text-slate-500">{t("noSampleHere")}</div>
      ) : (
        values.map((e) => (
          <div key={String(e.dataKey)} style={{ color: e.color }}>
            {e.name}: {known(e.value) && format(e.value)}
          </div>
        ))
      )}
    </div>
  );
}

/**
 * A time series chart of history points. A point whose series values are all null is a gap the
 * server marked (no sample there): the lines break across it instead of joining its neighbours,
 * the stretch without samples is shaded, the tooltip there says so, and a sample alone between
 * two gaps is drawn as a dot (a line needs two). `testId` carries the sample count, the gap count
 * and the last sample's values for tests.
 */
export function HistoryChart<T extends { ts: number }>({
  points,
  series,
  testId,
  empty,
  markers = [],
  format,
  height = "h-64",
}: {
  points: T[];
  series: Series[];
  testId: string;
  empty: string;
  /** Moments to mark with a vertical line and a word (e.g. a group's offsets reset); those outside the chart's time span are left out. */
  markers?: ChartMarkerLine[];
  /** How a value is written on the axis and in the tooltip (default: as is, one decimal). */
  format?: (v: number) => string;
  /** The chart's height (a Tailwind class). */
  height?: string;
}) {
  const t = useTranslations("common.chart");
  const time = clock(useLocale());
  const value = (p: T, key: string) => (p as Record<string, unknown>)[key];
  const isSample = (p: T) => series.some((s) => known(value(p, s.key)));
  const samples = points.filter(isSample);
  const gaps = gapSpans(points, isSample);
  /** Per series, the points with a value whose neighbours have none: no line reaches them. */
  const lone = (key: string) =>
    new Set(
      points.flatMap((p, i) =>
        known(value(p, key)) &&
        !known(points[i - 1] && value(points[i - 1] as T, key)) &&
        !known(points[i + 1] && value(points[i + 1] as T, key))
          ? [i]
          : [],
      ),
    );
  const last = samples[samples.length - 1];
  const spanMs = (points[points.length - 1]?.ts ?? 0) - (points[0]?.ts ?? 0);
  const attrs: Record<string, string> = {
    "data-points": String(samples.length),
    "data-gaps": String(points.length - samples.length),
  };
  for (const s of series) attrs[`data-last-${s.key.toLowerCase()}`] = String((last && value(last, s.key)) ?? "");
  if (samples.length < 2) {
    return (
      <div
        data-testid={testId}
        {...attrs}
        className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-500"
      >
        {empty}
      </div>
    );
  }
  return (
    <div data-testid={testId} {...attrs} className={`${height} rounded-lg border border-slate-200 bg-white p-2`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="ts" type="number" domain={["dataMin", "dataMax"]} tickFormatter={time} fontSize={11} />
          <YAxis yAxisId="left" fontSize={11} allowDecimals={format !== undefined} tickFormatter={format} />
          {series.some((s) => s.right) && <YAxis yAxisId="right" orientation="right" fontSize={11} />}
          <Tooltip filterNull={false} content={(props) => <HistoryTooltip {...props} format={format} />} />
          <Legend />
          {gaps.map(([x1, x2]) => (
            <ReferenceArea
              key={`gap-${x1}`}
              x1={x1}
              x2={x2}
              yAxisId="left"
              fill="#f1f5f9"
              fillOpacity={1}
              stroke="#cbd5e1"
              strokeDasharray="2 2"
              // At the bottom: a marker's words are at the top.
              label={{ value: t("noSamples"), position: "insideBottom", fontSize: 10, fill: "#64748b" }}
            />
          ))}
          {wordedMarkers(markers, spanMs).map((m) => (
            <ReferenceLine
              key={`${m.ts}-${m.label}`}
              x={m.ts}
              yAxisId="left"
              stroke={m.faint ? "#fbbf24" : "#dc2626"}
              strokeDasharray={m.faint ? "2 3" : "4 2"}
              // A faint marker (frequent, e.g. leaders moving) is a line only: its words are in the chart's caption.
              label={
                m.words === null
                  ? undefined
                  : { value: m.words, position: "insideTopLeft", fontSize: 10, fill: "#b91c1c" }
              }
            />
          ))}
          {series.map((s) => {
            const alone = lone(s.key);
            return (
              <Line
                key={s.key}
                yAxisId={s.right ? "right" : "left"}
                type="monotone"
                dataKey={s.key}
                name={s.label}
                stroke={s.color}
                dot={(d: { index: number; cx?: number; cy?: number }) =>
                  alone.has(d.index) && d.cx !== undefined && d.cy !== undefined ? (
                    <circle key={`dot-${s.key}-${d.index}`} cx={d.cx} cy={d.cy} r={2.5} fill={s.color} />
                  ) : (
                    <g key={`dot-${s.key}-${d.index}`} />
                  )
                }
                strokeWidth={2}
                isAnimationActive={false}
                connectNulls={false}
              />
            );
          })}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
