"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useRef } from "react";
import type { LeadershipCounts, LeadershipSummary } from "@/lib/types";
import { useFormat } from "./use-format";

/** A translator of overview.heatMap, and a number formatter, as the component has them. */
type Words = (key: string, values?: Record<string, string | number>) => string;
type Num = (n: number) => string;

/** The shade of a cell: the share of the row's partitions this broker leads. Literal classes, for Tailwind. */
const SHADES = [
  { upTo: 0.2, cls: "bg-emerald-600/15 text-emerald-950" },
  { upTo: 0.4, cls: "bg-emerald-600/30 text-emerald-950" },
  { upTo: 0.6, cls: "bg-emerald-600/50 text-emerald-950" },
  { upTo: 0.8, cls: "bg-emerald-600/80 text-white" },
  { upTo: 1, cls: "bg-emerald-700 text-white" },
] as const;

function shade(c: LeadershipCounts, partitions: number): string {
  if (c.replicas === 0 && c.leaders === 0) return "bg-slate-50 text-slate-300";
  if (c.leaders === 0) return "bg-slate-100 text-slate-500";
  const share = partitions > 0 ? c.leaders / partitions : 0;
  return (SHADES.find((s) => share <= s.upTo) ?? SHADES[4]).cls;
}

function cellTitle(t: Words, n: Num, where: string, broker: number, c: LeadershipCounts, partitions: number): string {
  const b = String(broker);
  if (c.replicas === 0 && c.leaders === 0) return t("cell.noReplica", { where, broker: b });
  const parts = [
    t("cell.leads", { where, broker: b, leaders: n(c.leaders), partitions: n(partitions) }),
    c.notPreferred ? ` (${t("cell.notPreferred", { count: n(c.notPreferred) })})` : "",
    `; ${t("cell.replicas", { replicas: n(c.replicas), inSync: n(c.inSync) })}`,
    c.outOfSync ? `, ${t("cell.outOfSync", { count: n(c.outOfSync) })}` : "",
    c.offline ? `, ${t("cell.offline", { count: n(c.offline) })}` : "",
  ];
  return parts.join("");
}

function Cell({
  c,
  partitions,
  where,
  testId,
  changed,
  big = false,
}: {
  c: LeadershipCounts;
  partitions: number;
  where: string;
  testId: string;
  changed: boolean;
  big?: boolean;
}) {
  const t = useTranslations("overview.heatMap");
  const n = useFormat().number;
  const empty = c.replicas === 0 && c.leaders === 0;
  return (
    <td className="p-0.5">
      <div
        // A new key restarts the flash animation when the leader count changes.
        key={changed ? `${testId}-${c.leaders}` : testId}
        data-testid={testId}
        data-leaders={c.leaders}
        data-out-of-sync={c.outOfSync}
        data-offline={c.offline}
        title={cellTitle(t, n, where, c.broker, c, partitions)}
        className={`relative flex items-center justify-center rounded font-mono tabular-nums ${big ? "h-11 flex-col text-sm font-semibold" : "h-7 text-xs"} ${shade(c, partitions)} ${changed ? "flash" : ""}`}
      >
        {empty ? "·" : n(c.leaders)}
        {big && !empty && (
          <span className="text-[10px] font-normal opacity-80">
            {c.offline > 0
              ? t("cell.replicasOffline", { count: n(c.offline), replicas: n(c.replicas) })
              : c.outOfSync > 0
                ? t("cell.replicasOutOfSync", { count: n(c.outOfSync), replicas: n(c.replicas) })
                : t("cell.replicasInSync", { replicas: n(c.replicas) })}
          </span>
        )}
        {(c.outOfSync > 0 || c.offline > 0) && (
          <span className="absolute top-0.5 right-0.5 flex gap-0.5">
            {c.outOfSync > 0 && (
              <span className="h-1.5 w-1.5 rounded-full bg-amber-500 ring-1 ring-white" data-marker="out-of-sync" />
            )}
            {c.offline > 0 && (
              <span className="h-1.5 w-1.5 rounded-full bg-rose-600 ring-1 ring-white" data-marker="offline" />
            )}
          </span>
        )}
        {c.notPreferred > 0 && !big && (
          <span
            className="absolute bottom-0.5 left-0.5 h-1.5 w-1.5 rounded-full bg-sky-500 ring-1 ring-white"
            data-marker="not-preferred"
          />
        )}
      </div>
    </td>
  );
}

export interface HeatMapControls {
  filter: string;
  onFilter: (q: string) => void;
  sort: "name" | "problems";
  onSort: (s: "name" | "problems") => void;
  onPage: (offset: number) => void;
}

/**
 * Brokers × topics for a cluster too large to draw partition by partition: each cell is how many
 * of the topic's partitions the broker leads (shaded by share), with a dot for replicas out of sync
 * (amber) or offline (rose); the first row sums every topic. A failover shows as the leaders of one
 * broker's column moving to the others. Rows are one server-side page of topics.
 */
export function LeadershipHeatMap({
  cluster,
  data,
  stale,
  loading,
  controls,
}: {
  cluster: string;
  data: LeadershipSummary;
  stale: boolean;
  /** A new page or filter is being read: the rows shown are the previous ones. */
  loading: boolean;
  controls: HeatMapControls;
}) {
  const t = useTranslations("overview.heatMap");
  const status = useTranslations("common.status");
  const n = useFormat().number;
  const previous = useRef(new Map<string, number>());
  const next = new Map<string, number>();
  const changedAt = (key: string, leaders: number) => {
    next.set(key, leaders);
    const before = previous.current.get(key);
    return before !== undefined && before !== leaders;
  };
  const { totals, brokers, topics } = data;
  const total = brokers.map((b) => ({ b, changed: changedAt(`*-${b.broker}`, b.leaders) }));
  const rows = topics.rows.map((r) => ({
    r,
    cells: r.brokers.map((c) => ({ c, changed: changedAt(`${r.topic}-${c.broker}`, c.leaders) })),
  }));
  // Rows of another page or filter are not changes.
  for (const [k, v] of previous.current) if (!next.has(k)) next.set(k, v);
  previous.current = next;

  const root = `/clusters/${encodeURIComponent(cluster)}`;
  const first = topics.total === 0 ? 0 : topics.offset + 1;
  const last = Math.min(topics.offset + topics.limit, topics.total);
  return (
    <div className="rounded-lg border border-slate-200 bg-white" data-testid="leadership-heat-map" data-stale={stale}>
      {stale && (
        <p className="border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900">{t("stale")}</p>
      )}
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-100 px-3 py-2 text-sm">
        <input
          type="search"
          value={controls.filter}
          onChange={(e) => controls.onFilter(e.target.value)}
          placeholder={t("filterPlaceholder")}
          aria-label={t("filter")}
          data-testid="heat-map-filter"
          className="w-56 rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500"
        />
        <label className="flex items-center gap-1.5 text-slate-600">
          {t("sort")}
          <select
            value={controls.sort}
            onChange={(e) => controls.onSort(e.target.value === "problems" ? "problems" : "name")}
            data-testid="heat-map-sort"
            className="rounded-md border border-slate-300 bg-white px-1.5 py-1 text-sm"
          >
            <option value="name">{t("byName")}</option>
            <option value="problems">{t("problemsFirst")}</option>
          </select>
        </label>
        <span className="ml-auto text-xs text-slate-500" data-testid="heat-map-totals">
          {t("totals", { topics: n(totals.topics), partitions: n(totals.partitions) })}
          {totals.offline > 0 && (
            <span className="text-rose-700"> · {t("totalsOffline", { count: n(totals.offline) })}</span>
          )}
          {totals.underReplicated > 0 && (
            <span className="text-amber-700">
              {" "}
              · {t("totalsUnderReplicated", { count: n(totals.underReplicated) })}
            </span>
          )}
          {totals.notPreferred > 0 && (
            <span className="text-sky-700"> · {t("totalsNotPreferred", { count: n(totals.notPreferred) })}</span>
          )}
          {data.partial && <span className="text-amber-700"> · {t("partial")}</span>}
        </span>
      </div>
      <div className={`max-h-[32rem] overflow-auto ${stale ? "opacity-50" : ""} ${loading ? "opacity-70" : ""}`}>
        <table className="w-full border-separate border-spacing-0 text-xs">
          <thead className="sticky top-0 z-10 bg-white">
            <tr className="text-slate-500">
              <th className="border-b border-slate-100 px-3 py-1.5 text-left font-medium">{t("topic")}</th>
              <th className="border-b border-slate-100 px-2 py-1.5 text-right font-medium">{t("partitions")}</th>
              {brokers.map((b) => (
                <th
                  key={b.broker}
                  className={`min-w-20 border-b border-slate-100 px-1 py-1.5 text-center font-medium ${b.status === "up" ? "text-slate-600" : "text-rose-600"}`}
                  data-testid={`heat-broker-${b.broker}`}
                >
                  {t("broker", { id: String(b.broker) })}
                  {b.status !== "up" && (
                    <span className="block text-[10px] font-normal">
                      {status.has(b.status) ? status(b.status) : b.status}
                    </span>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr className="bg-slate-50/70">
              <th className="border-b border-slate-200 px-3 py-1 text-left font-semibold text-slate-700">
                {t("allTopics")}
                <span className="block text-[10px] font-normal text-slate-500">{t("leadersPerBroker")}</span>
              </th>
              <td className="border-b border-slate-200 px-2 text-right font-mono tabular-nums text-slate-700">
                {n(totals.partitions)}
              </td>
              {total.map(({ b, changed }) => (
                <Cell
                  key={b.broker}
                  c={b}
                  partitions={totals.partitions}
                  where={t("allTopicsWhere")}
                  testId={`heat-total-${b.broker}`}
                  changed={changed}
                  big
                />
              ))}
            </tr>
            {rows.map(({ r, cells }) => (
              <tr key={r.topic} className="hover:bg-slate-50" data-testid={`heat-row-${r.topic}`}>
                <th className="max-w-64 truncate px-3 py-0.5 text-left font-normal">
                  <Link
                    href={`${root}/topics/${encodeURIComponent(r.topic)}`}
                    className="font-mono text-slate-800 hover:text-sky-700 hover:underline"
                    title={r.topic}
                  >
                    {r.topic}
                  </Link>
                </th>
                <td className="whitespace-nowrap px-2 text-right font-mono tabular-nums text-slate-600">
                  {r.offline > 0 && (
                    <span className="mr-1 rounded bg-rose-100 px-1 text-[10px] text-rose-700">
                      {t("rowOffline", { count: n(r.offline) })}
                    </span>
                  )}
                  {r.underReplicated > 0 && (
                    <span className="mr-1 rounded bg-amber-100 px-1 text-[10px] text-amber-800">
                      {t("rowUrp", { count: n(r.underReplicated) })}
                    </span>
                  )}
                  {n(r.partitions)}
                </td>
                {cells.map(({ c, changed }) => (
                  <Cell
                    key={c.broker}
                    c={c}
                    partitions={r.partitions}
                    where={r.topic}
                    testId={`heat-${r.topic}-${c.broker}`}
                    changed={changed}
                  />
                ))}
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={brokers.length + 2} className="px-3 py-4 text-center text-sm text-slate-500">
                  {controls.filter ? t("noMatch", { filter: controls.filter }) : t("noTopics")}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-t border-slate-100 px-3 py-2 text-xs text-slate-600">
        <span className="flex items-center gap-1">
          {t("legend.leaders")}
          <span className="inline-block h-3 w-4 rounded bg-slate-100" title={t("legend.none")} />
          {SHADES.map((s) => (
            <span
              key={s.upTo}
              className={`inline-block h-3 w-4 rounded ${s.cls}`}
              title={t("legend.upTo", { percent: String(s.upTo * 100) })}
            />
          ))}
          <span className="text-slate-500">{t("legend.share")}</span>
        </span>
        <span className="flex items-center gap-1">
          <span className="h-2 w-2 rounded-full bg-amber-500" /> {t("legend.outOfSync")}
        </span>
        <span className="flex items-center gap-1">
          <span className="h-2 w-2 rounded-full bg-rose-600" /> {t("legend.offline")}
        </span>
        <span className="flex items-center gap-1">
          <span className="h-1.5 w-1.5 rounded-full bg-sky-500" /> {t("legend.notPreferred")}
        </span>
        <span className="ml-auto flex items-center gap-2" data-testid="heat-map-pager">
          <span className="tabular-nums">{t("pager", { first: n(first), last: n(last), total: n(topics.total) })}</span>
          <button
            type="button"
            onClick={() => controls.onPage(Math.max(0, topics.offset - topics.limit))}
            disabled={topics.offset === 0}
            data-testid="heat-map-prev"
            className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50 disabled:opacity-40"
          >
            ‹ {t("prev")}
          </button>
          <button
            type="button"
            onClick={() => controls.onPage(topics.offset + topics.limit)}
            disabled={last >= topics.total}
            data-testid="heat-map-next"
            className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50 disabled:opacity-40"
          >
            {t("next")} ›
          </button>
        </span>
      </div>
    </div>
  );
}
