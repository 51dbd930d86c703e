"use client";

/** The time ranges a metrics chart offers, in minutes. */
export const RANGES = [
  { minutes: 15, label: "15 min" },
  { minutes: 60, label: "1 h" },
  { minutes: 360, label: "6 h" },
  { minutes: 1440, label: "24 h" },
] as const;

export function RangePicker({
  minutes,
  onChange,
  testId,
}: {
  minutes: number;
  onChange: (minutes: number) => void;
  testId: string;
}) {
  return (
    <fieldset className="inline-flex rounded-md border border-slate-300 bg-white text-xs" data-testid={testId}>
      <legend className="sr-only">Time range</legend>
      {RANGES.map((r) => (
        <button
          key={r.minutes}
          type="button"
          aria-pressed={r.minutes === minutes}
          onClick={() => onChange(r.minutes)}
          className={`px-2.5 py-1 first:rounded-l-md last:rounded-r-md ${
            r.minutes === minutes ? "bg-slate-800 text-white" : "text-slate-700 hover:bg-slate-100"
          }`}
        >
          {r.label}
        </button>
      ))}
    </fieldset>
  );
}
