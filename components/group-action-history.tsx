"use client";
import { useLocale, useTranslations } from "next-intl";
import { useGroupActionsQuery } from "@/lib/hooks/api/group-actions";
import type { GroupActionRecord } from "@/lib/types";
import { useErrorText } from "./use-error-text";
import { useFormat } from "./use-format";

const MAX_CHANGES_SHOWN = 6;

const SUMMARY_KEYS = {
  "reset-offsets": "resetOffsets",
  "delete-offsets": "deleteOffsets",
  "delete-group": "deleteGroup",
} as const satisfies Record<GroupActionRecord["action"], string>;

/** The group's timeline of actions done through Quorum: who reset what, from what to what. */
export function GroupActionHistory({ cluster, group }: { cluster: string; group: string }) {
  const t = useTranslations("groups.actions");
  const locale = useLocale();
  const f = useFormat();
  const errorText = useErrorText();
  const actions = useGroupActionsQuery(cluster, group);
  const list = [...(actions.data ?? [])].reverse();
  /**
   * The server records its summary in English (it names the reset's target too): shown as written
   * in English; in another language worded from the action and its changes (the command below
   * names the target).
   */
  const summary = (a: GroupActionRecord) =>
    locale === "en"
      ? a.summary
      : t(`summary.${SUMMARY_KEYS[a.action]}`, {
          count: a.changes.length,
          topics: [...new Set(a.changes.map((c) => c.topic))].join(", "),
          topic: a.changes[0]?.topic ?? "",
        });
  const by = (who: string) => (who === "console" ? t("by.console") : who === "API client" ? t("by.api") : who);
  return (
    <section>
      <h2 className="mb-2 text-lg font-semibold">{t("title")}</h2>
      {actions.error ? (
        <p className="text-sm text-rose-700">{errorText(actions.error)}</p>
      ) : list.length === 0 ? (
        <p className="text-sm text-slate-500">{t("none")}</p>
      ) : (
        <ol className="space-y-2" data-testid="group-actions">
          {list.map((a) => (
            <li key={`${a.ts}-${a.action}`} className="rounded-md border border-slate-200 bg-white p-3 text-sm">
              <div className="flex flex-wrap items-baseline gap-2">
                <time className="font-mono text-xs text-slate-500">{f.dateTime(a.ts)}</time>
                <span className="font-medium">{by(a.by)}</span>
                <span>{summary(a)}</span>
              </div>
              {a.changes.length > 0 && (
                <p className="mt-1 font-mono text-xs text-slate-600">
                  {a.changes
                    .slice(0, MAX_CHANGES_SHOWN)
                    .map((c) => `${c.topic}-${c.partition}: ${c.from ?? "—"} → ${c.to ?? t("deleted")}`)
                    .join("; ")}
                  {a.changes.length > MAX_CHANGES_SHOWN && t("more", { count: a.changes.length - MAX_CHANGES_SHOWN })}
                </p>
              )}
              <p className="mt-1 break-all font-mono text-xs text-slate-400">$ {a.command}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
