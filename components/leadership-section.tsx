"use client";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { type LeadershipParams, useLeadershipQuery } from "@/lib/hooks/api/leadership";
import { ErrorPanel } from "./error-panel";
import { LeadershipHeatMap } from "./leadership-heat-map";
import { LeadershipMap } from "./leadership-map";
import { useFormat } from "./use-format";

const PAGE = 50;
/** Typing in the filter asks the server once it pauses this long. */
const FILTER_DEBOUNCE_MS = 200;

/**
 * The overview's partition leadership, from its own query (GET …/leadership) so that it never
 * holds up the counts or the broker cards: every partition on a small cluster (the server sends
 * them up to QUORUM_LEADERSHIP_MAP_MAX_PARTITIONS), else the per-topic heat map, one page of topics.
 */
export function LeadershipSection({ cluster, unreachable }: { cluster: string; unreachable: boolean }) {
  const [params, setParams] = useState<LeadershipParams>({ q: "", offset: 0, limit: PAGE, sort: "name" });
  const [filter, setFilter] = useState("");
  const [view, setView] = useState<"partitions" | "heat-map">("partitions");
  const leadership = useLeadershipQuery(cluster, params);
  const t = useTranslations("overview.leadership");
  const format = useFormat();

  useEffect(() => {
    const timer = setTimeout(
      () => setParams((p) => (p.q === filter ? p : { ...p, q: filter, offset: 0 })),
      FILTER_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [filter]);

  const d = leadership.data;
  const stale = leadership.isError || unreachable;
  const small = d?.mode === "partitions";
  const shown = small ? view : "heat-map";

  return (
    <section data-testid="leadership-section" data-mode={d?.mode}>
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold">{t("title")}</h2>
        {d &&
          (small ? (
            <fieldset className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 text-xs">
              <legend className="sr-only">{t("view")}</legend>
              {(["partitions", "heat-map"] as const).map((v) => (
                <button
                  key={v}
                  type="button"
                  onClick={() => setView(v)}
                  aria-pressed={view === v}
                  data-testid={`leadership-view-${v}`}
                  className={`rounded px-2.5 py-1 ${view === v ? "bg-slate-800 text-white" : "text-slate-600 hover:bg-slate-100"}`}
                >
                  {v === "partitions" ? t("perPartition") : t("perTopic")}
                </button>
              ))}
            </fieldset>
          ) : (
            <span className="text-xs text-slate-500" data-testid="leadership-summarised">
              {t("summarised", {
                partitions: format.number(d.totals.partitions),
                max: format.number(d.maxPartitions),
              })}
            </span>
          ))}
      </div>
      {!d ? (
        leadership.error ? (
          <ErrorPanel error={leadership.error} />
        ) : (
          <div
            className="grid h-40 animate-pulse place-items-center rounded-lg border border-slate-200 bg-slate-50 text-sm text-slate-400"
            data-testid="leadership-loading"
          >
            {t("loading")}
          </div>
        )
      ) : shown === "partitions" ? (
        <LeadershipMap
          rows={d.partitionRows ?? []}
          brokers={d.brokers.map((b) => ({ id: b.broker, status: b.status }))}
          maxRows={d.maxPartitions}
          stale={stale}
        />
      ) : (
        <LeadershipHeatMap
          cluster={cluster}
          data={d}
          stale={stale}
          loading={leadership.isPlaceholderData}
          controls={{
            filter,
            onFilter: setFilter,
            sort: params.sort,
            onSort: (sort) => setParams((p) => ({ ...p, sort, offset: 0 })),
            onPage: (offset) => setParams((p) => ({ ...p, offset })),
          }}
        />
      )}
    </section>
  );
}
