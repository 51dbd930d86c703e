"use client";
import { useState } from "react";
import { TAIL_KEEP, useMessageTail } from "@/lib/hooks/api/messages";
import { ExportButtons, type MessagesContext, partitionNumbers } from "./message-common";
import { MessageTable } from "./message-table";

/**
 * A live tail from the log end: new messages on top, at most `maxRate` a second sent by the server
 * (the rest counted as skipped). Pause closes the stream, so the server stops reading; resuming
 * starts again at the log end (what was written meanwhile is not shown).
 */
export function MessageTail({ ctx }: { ctx: MessagesContext }) {
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
          {running ? "Pause" : "Resume"}
        </button>
        <span className="flex items-center gap-2" data-testid="tail-status" data-connected={tail.connected}>
          <span
            className={`inline-block h-2 w-2 rounded-full ${tail.connected ? "animate-pulse bg-emerald-500" : "bg-slate-300"}`}
          />
          {tail.connected ? "Live from the log end" : running ? "Connecting…" : "Paused"}
        </span>
        <fieldset className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
          Partitions:
          {partitionNumbers(ctx.partitions).map((p) => (
            <label key={p}>
              <input type="checkbox" checked={chosen.has(p)} onChange={() => toggle(p)} /> {p}
            </label>
          ))}
          <span className="text-slate-400">{chosen.size === 0 ? "(none ticked: all)" : ""}</span>
        </fieldset>
        <label className="text-xs text-slate-600">
          At most{" "}
          <input
            className="w-16 rounded-md border border-slate-300 px-2 py-0.5 font-mono"
            value={maxRate}
            onChange={(e) => setMaxRate(e.target.value)}
            data-testid="tail-max-rate"
          />{" "}
          / s
        </label>
        <button type="button" className="text-xs text-slate-600 hover:underline" onClick={tail.clear}>
          Clear
        </button>
      </div>
      {tail.error && (
        <p className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="tail-error">
          {tail.error.message}
        </p>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
        <span data-testid="tail-stats">
          {tail.stats
            ? `${tail.stats.seen.toLocaleString("en-US")} new since the tail began · ${tail.stats.sent.toLocaleString("en-US")} shown · ${tail.stats.skipped.toLocaleString("en-US")} skipped over the cap of ${params.maxRate}/s`
            : "Waiting for new messages…"}
          {everPaused && " · messages written while paused are not shown"}
          {tail.messages.length >= TAIL_KEEP && ` · the last ${TAIL_KEEP} kept`}
        </span>
        <ExportButtons messages={tail.messages} name={`${ctx.topic}-tail`} />
      </div>
      <MessageTable
        messages={tail.messages}
        testId="tail-table"
        onShowAll={ctx.showAll}
        empty={running ? "Nothing new yet: produce a message and it shows here." : "Paused."}
      />
    </div>
  );
}
