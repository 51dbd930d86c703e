"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { TAIL_KEEP, useMessageTail } from "@/lib/hooks/api/messages";
import { ExportButtons, type MessagesContext, partitionNumbers } from "./message-common";
import { MessageTable } from "./message-table";
import { useErrorText } from "./use-error-text";
import { useFormat } from "./use-format";

/**
 * A live tail from the log end: new messages on top, at most `maxRate` a second sent by the server
 * (the rest counted as skipped). Pause closes the stream, so the server stops reading; resuming
 * starts again at the log end (what was written meanwhile is not shown).
 */
export function MessageTail({ ctx }: { ctx: MessagesContext }) {
  const t = useTranslations("messages.tail");
  const errorText = useErrorText();
  const { number } = useFormat();
  const [running, setRunning] = useState(true);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [maxRate, setMaxRate] = useState("20");
  const [everPaused, setEverPaused] = useState(false);
  const params = {
    partition: chosen.size > 0 ? [...chosen].sort((a, b) => a - b).join(",") : undefined,
    maxRate: /^\d+$/.test(maxRate) ? maxRate : "20",
    valueFormat: ctx.valueFormat,
  };
  const tail = useMessageTail(ctx.cluster, ctx.topic, params, running);
  const toggle = (p: number) =>
    setChosen((s) => {
      const n = new Set(s);
      if (n.has(p)) n.delete(p);
      else n.add(p);
      return n;
    });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-4 rounded-lg border border-slate-200 bg-white p-3 text-sm">
        <button
          type="button"
          className={`rounded-md px-4 py-1.5 text-sm font-semibold text-white ${running ? "bg-amber-600 hover:bg-amber-700" : "bg-emerald-600 hover:bg-emerald-700"}`}
          onClick={() => {
            if (running) setEverPaused(true);
            setRunning(!running);
          }}
          data-testid="tail-toggle"
        >
          {running ? t("pause") : t("resume")}
        </button>
        <span className="flex items-center gap-2" data-testid="tail-status" data-connected={tail.connected}>
          <span
            className={`inline-block h-2 w-2 rounded-full ${tail.connected ? "animate-pulse bg-emerald-500" : "bg-slate-300"}`}
          />
          {tail.connected ? t("live") : running ? t("connecting") : t("paused")}
        </span>
        <fieldset className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
          {t("partitions")}
          {partitionNumbers(ctx.partitions).map((p) => (
            <label key={p}>
              <input type="checkbox" checked={chosen.has(p)} onChange={() => toggle(p)} /> {p}
            </label>
          ))}
          <span className="text-slate-400">{chosen.size === 0 ? t("allPartitions") : ""}</span>
        </fieldset>
        {/* biome-ignore lint/a11y/noLabelWithoutControl: the input is inside it, placed by the sentence's <input> tag */}
        <label className="text-xs text-slate-600">
          {t.rich("maxRate", {
            input: () => (
              <input
                className="w-16 rounded-md border border-slate-300 px-2 py-0.5 font-mono"
                value={maxRate}
                onChange={(e) => setMaxRate(e.target.value)}
                data-testid="tail-max-rate"
              />
            ),
          })}
        </label>
        <button type="button" className="text-xs text-slate-600 hover:underline" onClick={tail.clear}>
          {t("clear")}
        </button>
      </div>
      {tail.error && (
        <p className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="tail-error">
          {errorText(tail.error)}
        </p>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
        <span data-testid="tail-stats">
          {tail.stats
            ? t("stats", {
                seen: number(tail.stats.seen),
                sent: number(tail.stats.sent),
                skipped: number(tail.stats.skipped),
                rate: params.maxRate,
              })
            : t("waiting")}
          {everPaused && ` · ${t("pausedNote")}`}
          {tail.messages.length >= TAIL_KEEP && ` · ${t("kept", { count: TAIL_KEEP })}`}
        </span>
        <ExportButtons messages={tail.messages} name={`${ctx.topic}-tail`} />
      </div>
      <MessageTable
        messages={tail.messages}
        testId="tail-table"
        onShowAll={ctx.showAll}
        empty={running ? t("emptyRunning") : t("emptyPaused")}
      />
    </div>
  );
}
