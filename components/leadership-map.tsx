"use client";
import { useTranslations } from "next-intl";
import { useRef } from "react";
import type { PartitionInfo } from "@/lib/types";
import { type ReplicaState, replicaState } from "./replica-chip";

type Row = PartitionInfo & { topic: string };

/** Each replica state's look, its letter in a cell, and its words (overview.leadershipMap.state.<key>, .legend.<key>). */
const cell: Record<ReplicaState, { cls: string; letter: string; key: string }> = {
  leader: { cls: "bg-emerald-600 text-white", letter: "L", key: "leader" },
  "in-sync": { cls: "bg-emerald-100 text-emerald-800", letter: "F", key: "inSync" },
  "out-of-sync": {
    cls: "bg-amber-100 text-amber-800 border border-dashed border-amber-500",
    letter: "O",
    key: "outOfSync",
  },
  offline: { cls: "bg-rose-100 text-rose-700", letter: "×", key: "offline" },
};

/**
 * Brokers × partitions: who leads, who follows in sync, who lags, whose replica is offline. A cell
 * that changed since the last render flashes, so a failover is seen as it happens.
 */
export function LeadershipMap({
  rows,
  brokers,
  maxRows = 150,
  stale = false,
}: {
  rows: Row[];
  /** The map's rows, in order: a broker not `up` is marked with its status. */
  brokers: { id: number; status: string }[];
  maxRows?: number;
  /** The cluster does not answer: what is shown is the last state seen. */
  stale?: boolean;
}) {
  const t = useTranslations("overview.leadershipMap");
  const status = useTranslations("common.status");
  const previous = useRef(new Map<string, string>());
  const shown = rows.slice(0, maxRows);
  const ids = brokers.map((b) => b.id);
  const next = new Map<string, string>();
  const grid = shown.map((p) => {
    const offline = p.leader < 0;
    return {
      p,
      offline,
      cells: ids.map((b) => {
        const key = `${p.topic}-${p.partition}-${b}`;
        const state = p.replicas.includes(b) ? replicaState(p, b) : null;
        const sig = state ?? "none";
        const changed = previous.current.has(key) && previous.current.get(key) !== sig;
        next.set(key, sig);
        return { b, key, state, changed };
      }),
    };
  });
  previous.current = next;

  if (rows.length === 0) return <p className="text-sm text-slate-500">{t("empty")}</p>;
  const byTopic = new Map<string, typeof grid>();
  for (const g of grid) byTopic.set(g.p.topic, [...(byTopic.get(g.p.topic) ?? []), g]);
  return (
    <div className="rounded-lg border border-slate-200 bg-white" data-testid="leadership-map" data-stale={stale}>
      {stale && (
        <p className="border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900">{t("stale")}</p>
      )}
      <div className={`flex flex-wrap gap-x-8 gap-y-4 p-3 ${stale ? "opacity-50" : ""}`}>
        {[...byTopic.entries()].map(([topic, parts]) => (
          <table key={topic} className="text-xs">
            <caption className="pb-1 text-left font-mono font-semibold text-slate-700">{topic}</caption>
            <thead>
              <tr className="text-slate-500">
                <th className="pr-2 text-left font-normal">{t("partition")}</th>
                {parts.map(({ p, offline }) => (
                  <th
                    key={p.partition}
                    className={`w-7 text-center font-mono font-normal ${offline ? "text-rose-600" : ""}`}
                  >
                    {p.partition}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {brokers.map((b, i) => (
                <tr key={b.id}>
                  <th
                    className={`whitespace-nowrap pr-2 text-left font-normal ${b.status === "up" ? "text-slate-600" : "text-rose-600"}`}
                    data-testid={`map-broker-${topic}-${b.id}`}
                  >
                    {t("broker", { id: String(b.id) })}
                    {b.status !== "up" && ` (${status.has(b.status) ? status(b.status) : b.status})`}
                  </th>
                  {parts.map(({ p, offline, cells }) => {
                    const c = cells[i];
                    return (
                      <td key={p.partition} className={`p-0.5 text-center ${offline ? "bg-rose-50" : ""}`}>
                        {c?.state ? (
                          <span
                            key={c.changed ? `${c.key}-${c.state}` : c.key}
                            data-testid={`map-${p.topic}-${p.partition}-${b.id}`}
                            data-state={c.state}
                            title={t("cellTitle", {
                              partition: `${p.topic}-${p.partition}`,
                              broker: String(b.id),
                              state: t(`state.${cell[c.state].key}`),
                            })}
                            className={`inline-grid h-6 w-6 place-items-center rounded font-mono font-semibold ${cell[c.state].cls} ${c.changed ? "flash" : ""}`}
                          >
                            {cell[c.state].letter}
                          </span>
                        ) : (
                          <span className="inline-block h-6 w-6 rounded bg-slate-50" />
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      <div className="flex flex-wrap gap-4 border-t border-slate-100 px-3 py-2 text-xs text-slate-600">
        {(Object.keys(cell) as ReplicaState[]).map((s) => (
          <span key={s} className="flex items-center gap-1">
            <span className={`inline-grid h-4 w-5 place-items-center rounded text-[10px] ${cell[s].cls}`}>
              {cell[s].letter}
            </span>
            {t(`legend.${cell[s].key}`)}
          </span>
        ))}
        {rows.length > maxRows && <span>{t("showing", { shown: String(maxRows), total: String(rows.length) })}</span>}
      </div>
    </div>
  );
}
