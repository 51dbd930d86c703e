import { useTranslations } from "next-intl";
import type { ListSnapshot } from "@/lib/types";
import { useFormat } from "./use-format";

type Translate = (key: string, values?: Record<string, string | number>) => string;

/** How old the snapshot is in words: "just now", "3 s ago", "2 min ago" (`t`: common.listStatus). */
export function ageText(ms: number, t: Translate): string {
  if (ms < 1000) return t("justNow");
  if (ms < 60_000) return t("secondsAgo", { s: String(Math.round(ms / 1000)) });
  return t("minutesAgo", { m: String(Math.round(ms / 60_000)) });
}

/**
 * "N of M <things>" (matched of all in the cluster) and how old the cluster picture is, saying when
 * part of it could not be read. `noun` is in the page's language.
 */
export function ListStatus({
  testId,
  noun,
  matched,
  total,
  snapshot,
  scope,
}: {
  testId: string;
  noun: string;
  matched: number;
  total: number;
  snapshot: ListSnapshot;
  /** The name patterns the user's grants cover, when they do not cover every name. */
  scope?: string[];
}) {
  const t = useTranslations("common.listStatus");
  const format = useFormat();
  return (
    <p className="flex flex-wrap gap-x-3 text-sm text-slate-600">
      <span data-testid={testId}>
        {t("count", { matched: format.number(matched), total: format.number(total), noun })}
      </span>
      <span
        className="text-slate-400"
        data-testid={`${testId}-age`}
        // Rendered on the server first (the topics page): the browser's clock and locale may word it otherwise.
        suppressHydrationWarning
        title={t("snapshotTaken", { time: format.time(snapshot.takenAt) })}
      >
        {t("asOf", { age: ageText(snapshot.ageMs, t) })}
      </span>
      {scope && (
        <span className="text-slate-500" data-testid={`${testId}-scope`}>
          {scope.length ? t("scope", { noun, patterns: scope.join(", ") }) : t("noScope", { noun })}
        </span>
      )}
      {!snapshot.complete && (
        <span className="text-amber-700" data-testid={`${testId}-partial`}>
          {t("partial")}
        </span>
      )}
    </p>
  );
}
