"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { type AuditFilters, auditSearch, useAuditQuery } from "@/lib/hooks/api/audit";
import { type AuditEntry, REFUSED_STATUSES } from "@/lib/schemas/audit";
import { ErrorPanel } from "./error-panel";
import { useFormat } from "./use-format";

function Summary({ entry }: { entry: AuditEntry }) {
  const target = Object.entries(entry.target)
    .filter(([k]) => k !== "cluster")
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const body = entry.summary === null ? "" : JSON.stringify(entry.summary);
  return (
    <span className="block max-w-md font-mono text-xs text-slate-600">
      <span className="block truncate" title={entry.request}>
        {entry.request}
      </span>
      {(target || body) && (
        <span className="block truncate text-slate-500" title={body}>
          {target}
          {target && body ? " · " : ""}
          {body}
        </span>
      )}
    </span>
  );
}

/** The audit trail: every change and every refused attempt, filtered, newest first, exportable as JSON lines. */
export function AuditView() {
  const t = useTranslations("admin.audit");
  const f = useFormat();
  const [filters, setFilters] = useState<AuditFilters>({ user: "", action: "", cluster: "", refused: "", hours: 24 });
  const audit = useAuditQuery(filters);
  const entries = audit.data?.pages.flatMap((p) => p.entries) ?? [];
  const set = (patch: Partial<AuditFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const input = "rounded-md border border-slate-300 px-2 py-1 text-sm";
  return (
    <div className="space-y-4">
      <div className="flex items-baseline justify-between">
        <h1 className="text-xl font-semibold">{t("title")}</h1>
        <a
          href={`/api/audit?${auditSearch(filters, { format: "jsonl" })}`}
          download
          data-testid="audit-export"
          className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100"
        >
          {t("export")}
        </a>
      </div>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      <div className="flex flex-wrap items-end gap-3" data-testid="audit-filters">
        <label className="space-y-1 text-xs text-slate-600">
          <span className="block">{t("filters.user")}</span>
          <input
            className={input}
            value={filters.user}
            onChange={(e) => set({ user: e.target.value })}
            data-testid="audit-user"
          />
        </label>
        <label className="space-y-1 text-xs text-slate-600">
          <span className="block">{t("filters.action")}</span>
          <input
            className={input}
            value={filters.action}
            placeholder="broker.stop" // i18n-exempt: an action's name
            onChange={(e) => set({ action: e.target.value })}
            data-testid="audit-action"
          />
        </label>
        <label className="space-y-1 text-xs text-slate-600">
          <span className="block">{t("filters.cluster")}</span>
          <input className={input} value={filters.cluster} onChange={(e) => set({ cluster: e.target.value })} />
        </label>
        <label className="space-y-1 text-xs text-slate-600">
          <span className="block">{t("filters.result")}</span>
          <select
            className={input}
            value={filters.refused}
            onChange={(e) => set({ refused: e.target.value as AuditFilters["refused"] })}
            data-testid="audit-refused"
          >
            <option value="">{t("results.all")}</option>
            <option value="true">{t("results.refused")}</option>
            <option value="false">{t("results.wentThrough")}</option>
          </select>
        </label>
        <label className="space-y-1 text-xs text-slate-600">
          <span className="block">{t("filters.since")}</span>
          <select className={input} value={filters.hours} onChange={(e) => set({ hours: Number(e.target.value) })}>
            <option value={1}>{t("since.hours", { count: 1 })}</option>
            <option value={24}>{t("since.hours", { count: 24 })}</option>
            <option value={24 * 7}>{t("since.days", { count: 7 })}</option>
            <option value={0}>{t("since.all")}</option>
          </select>
        </label>
      </div>
      {audit.error ? (
        <ErrorPanel error={audit.error} />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="audit-table">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-3 py-2">{t("columns.time")}</th>
                <th className="px-3 py-2">{t("columns.user")}</th>
                <th className="px-3 py-2">{t("columns.role")}</th>
                <th className="px-3 py-2">{t("columns.cluster")}</th>
                <th className="px-3 py-2">{t("columns.action")}</th>
                <th className="px-3 py-2">{t("columns.target")}</th>
                <th className="px-3 py-2">{t("columns.result")}</th>
                <th className="px-3 py-2 text-right">{t("columns.ms")}</th>
                <th className="px-3 py-2">{t("columns.from")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} className="border-b border-slate-100 align-top" data-testid="audit-row">
                  <td className="whitespace-nowrap px-3 py-2 tabular-nums">{f.dateTime(e.ts)}</td>
                  <td className="px-3 py-2">{e.user ?? <span className="text-slate-400">—</span>}</td>
                  <td className="px-3 py-2">{e.role ?? <span className="text-slate-400">—</span>}</td>
                  <td className="px-3 py-2">{e.cluster ?? <span className="text-slate-400">—</span>}</td>
                  <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
                  <td className="px-3 py-2">
                    <Summary entry={e} />
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <span
                      className={
                        REFUSED_STATUSES.includes(e.status)
                          ? "text-rose-700"
                          : e.result === "ok"
                            ? "text-emerald-700"
                            : "text-amber-700"
                      }
                    >
                      {e.status} {e.result}
                    </span>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{e.durationMs}</td>
                  <td className="px-3 py-2 font-mono text-xs">{e.address}</td>
                </tr>
              ))}
              {entries.length === 0 && !audit.isLoading && (
                <tr>
                  <td colSpan={9} className="px-3 py-6 text-center text-slate-500">
                    {t("none")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {audit.hasNextPage && (
        <button
          type="button"
          onClick={() => void audit.fetchNextPage()}
          disabled={audit.isFetchingNextPage}
          className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100"
        >
          {audit.isFetchingNextPage ? t("loading") : t("older")}
        </button>
      )}
    </div>
  );
}
