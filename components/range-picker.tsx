"use client";
import { useTranslations } from "next-intl";

/** The time ranges a metrics chart offers, in minutes, and their words (common.ranges.<key>). */
export const RANGES = [
  { minutes: 15, key: "m15" },
  { minutes: 60, key: "h1" },
  { minutes: 360, key: "h6" },
  { minutes: 1440, key: "h24" },
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
  const t = useTranslations("common.ranges");
  return (
    <fieldset className="inline-flex rounded-md border border-slate-300 bg-white text-xs" data-testid={testId}>
      <legend className="sr-only">{t("legend")}</legend>
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
          {t(r.key)}
        </button>
      ))}
    </fieldset>
  );
}
