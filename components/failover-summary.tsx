"use client";
import { useLocale, useTranslations } from "next-intl";
import { useClusterStream } from "@/lib/hooks/use-cluster-stream";
import type { ClusterEvent } from "@/lib/types";
import { formatTime } from "./event-timeline";

type LeaderChanged = Extract<ClusterEvent, { type: "leader-changed" }>;

/**
 * After a broker goes down: which partitions it led, where leadership went and how long each move
 * took (from the moment the broker was seen down), what went offline, and whether it came back.
 */
export function FailoverSummary({ topic }: { topic?: string }) {
  const { events } = useClusterStream();
  const t = useTranslations("overview.failover");
  const locale = useLocale();
  const at = events.findLastIndex((e) => e.type === "broker-down");
  const down = events[at] as (ClusterEvent & { type: "broker-down"; broker: number }) | undefined;
  if (!down) return null;
  // Events are in arrival order; ids of different server runs do not compare.
  const after = events.slice(at + 1).filter((e) => e.ts - down.ts <= 60_000);
  const inScope = (e: ClusterEvent) => !topic || ("topic" in e && e.topic === topic);
  const moves = after.filter(
    (e): e is LeaderChanged =>
      e.type === "leader-changed" &&
      e.from === down.broker &&
      e.to !== e.from && // a re-election of the same broker is not a move
      inScope(e) &&
      !e.topic.startsWith("__"),
  );
  const offline = after.filter((e) => e.type === "partition-offline" && inScope(e));
  const shrunk = after.filter((e) => e.type === "isr-shrunk" && inScope(e)).length;
  const back = after.find((e) => e.type === "broker-up" && "broker" in e && e.broker === down.broker);
  const slowest = Math.max(0, ...moves.map((m) => m.ts - down.ts));

  return (
    <section className="rounded-lg border border-violet-200 bg-violet-50/50 p-4" data-testid="failover-summary">
      <h2 className="font-semibold">
        {t("title", { broker: String(down.broker), time: formatTime(down.ts, locale) })}
        {back && (
          <span className="ml-2 text-sm font-normal text-emerald-700">
            · {t("back", { time: formatTime(back.ts, locale) })}
          </span>
        )}
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        {moves.length > 0
          ? t("movedWithin", { count: String(moves.length), ms: String(slowest) })
          : t("moved", { count: String(moves.length) })}
        ; {t("shrunk", { count: String(shrunk) })}
        {offline.length > 0 && (
          <span className="text-rose-700">; {t("offline", { count: String(offline.length) })}</span>
        )}
        . {t("stays")}
      </p>
      {moves.length > 0 && (
        <table className="mt-2 text-xs" data-testid="failover-moves">
          <thead className="text-slate-500">
            <tr>
              <th className="pr-4 text-left font-medium">{t("partition")}</th>
              <th className="pr-4 text-left font-medium">{t("leader")}</th>
              <th className="text-right font-medium">{t("took")}</th>
            </tr>
          </thead>
          <tbody className="font-mono">
            {moves.slice(0, 50).map((m) => (
              <tr key={m.id}>
                <td className="pr-4">
                  {m.topic}-{m.partition}
                </td>
                <td className="pr-4">
                  {m.from} → {m.to}
                </td>
                <td className="text-right">{t("ms", { ms: String(m.ts - down.ts) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
