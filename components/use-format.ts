"use client";
import { useFormatter, useTranslations } from "next-intl";
import { formatBytes } from "./format";

/**
 * Numbers, sizes, ages and times in the page's language (next-intl's formatter): "1,234,567" in
 * both English and Korean, "3m 20s" / "3분 20초", dates and times as the language writes them
 * (in the browser's time zone). Null or undefined reads "—" (unknown).
 */
export function useFormat() {
  const format = useFormatter();
  const t = useTranslations("common.units");
  const number = (n: number | null | undefined, digits?: number) =>
    n === null || n === undefined
      ? "—"
      : format.number(
          n,
          digits === undefined ? undefined : { maximumFractionDigits: digits, minimumFractionDigits: digits },
        );
  const age = (ms: number) => {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return t("seconds", { s });
    if (s < 3600) return t("minutesSeconds", { m: Math.floor(s / 60), s: s % 60 });
    return t("hoursMinutes", { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
  };
  return {
    number,
    bytes: formatBytes,
    age,
    /** A clock time with seconds (24-hour). */
    time: (ts: number) =>
      format.dateTime(new Date(ts), { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }),
    /** A date and time. */
    dateTime: (ts: number) => format.dateTime(new Date(ts), { dateStyle: "medium", timeStyle: "medium" }),
    /** How long ago (or from now), e.g. "5 minutes ago" / "5분 전". */
    relative: (ts: number, now = Date.now()) => format.relativeTime(new Date(ts), new Date(now)),
  };
}
