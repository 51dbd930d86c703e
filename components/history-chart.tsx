"use client";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
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

const time = (ts: number) => new Date(ts).toLocaleTimeString("en-GB", { hour12: false });

/**
 * A time series chart of history points. A point whose series values are all null is a gap the
 * server marked (no sample there): the lines break across it instead of joining its neighbours.
 * `testId` carries the sample count, the gap count and the last sample's values for tests.
 */
export function HistoryChart<T extends { ts: number }>({
  points,
  series,
  testId,
  empty,
  markers = [],
}: {
  points: T[];
  series: Series[];
  testId: string;
  empty: string;
  /** Moments to mark with a vertical line and a word (e.g. a group's offsets reset); those outside the chart's time span are left out. */
  markers?: { ts: number; label: string }[];
}) {
  const value = (p: T, key: string) => (p as Record<string, unknown>)[key];
  const samples = points.filter((p) => series.some((s) => value(p, s.key) !== null && value(p, s.key) !== undefined));
  const last = samples[samples.length - 1];
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
    <div data-testid={testId} {...attrs} className="h-64 rounded-lg border border-slate-200 bg-white p-2">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="ts" type="number" domain={["dataMin", "dataMax"]} tickFormatter={time} fontSize={11} />
          <YAxis yAxisId="left" fontSize={11} allowDecimals={false} />
          {series.some((s) => s.right) && <YAxis yAxisId="right" orientation="right" fontSize={11} />}
          <Tooltip
            labelFormatter={(v) => time(Number(v))}
            formatter={(v) => (typeof v === "number" ? v.toFixed(1) : String(v))}
          />
          <Legend />
          {markers.map((m) => (
            <ReferenceLine
              key={`${m.ts}-${m.label}`}
              x={m.ts}
              yAxisId="left"
              stroke="#dc2626"
              strokeDasharray="4 2"
              label={{ value: m.label, position: "insideTopLeft", fontSize: 10, fill: "#b91c1c" }}
            />
          ))}
          {series.map((s) => (
            <Line
              key={s.key}
              yAxisId={s.right ? "right" : "left"}
              type="monotone"
              dataKey={s.key}
              name={s.label}
              stroke={s.color}
              dot={false}
              strokeWidth={2}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
