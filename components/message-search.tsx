"use client";
import { useState } from "react";
import { type SearchEnd, useMessageSearch } from "@/lib/hooks/api/messages";
import { parseJsonPath } from "@/lib/json-path";
import { ExportButtons, type MessagesContext, Notices, partitionNumbers } from "./message-common";
import { MessageTable } from "./message-table";

type Mode = "substring" | "regex" | "jsonpath";

const sel = "rounded-md border border-slate-300 px-2 py-1 text-sm";

const END_WORDS: Record<SearchEnd, string> = {
  end: "Reached the end of every partition searched (as it was when the search began).",
  max_messages: "Stopped at the budget of messages read.",
  max_seconds: "Stopped at the time budget.",
  max_matches: "Stopped at the most matches asked for.",
  cancelled: "Cancelled.",
};

/** Checks the browser can make of a search before sending it (the server checks everything again). */
function checkLocally(mode: Mode, pattern: string, path: string): string | null {
  if (mode === "jsonpath") {
    try {
      parseJsonPath(path);
      return null;
    } catch (err) {
      return `path: ${(err as Error).message}`;
    }
  }
  if (pattern === "") return "Type what to look for.";
  if (mode === "regex")
    try {
      new RegExp(pattern);
    } catch (err) {
      return `pattern: ${(err as Error).message}`;
    }
  return null;
}

/** A server-side search: matches stream in with the count read and the rate; cancel closes the request. */
export function MessageSearch({ ctx }: { ctx: MessagesContext }) {
  const search = useMessageSearch(ctx.cluster, ctx.topic);
  const [mode, setMode] = useState<Mode>("substring");
  const [pattern, setPattern] = useState("");
  const [path, setPath] = useState("");
  const [op, setOp] = useState("==");
  const [operand, setOperand] = useState("");
  const [fields, setFields] = useState({ key: true, value: true, headers: true });
  const [partition, setPartition] = useState("");
  const [seek, setSeek] = useState<"oldest" | "offset">("oldest");
  const [offset, setOffset] = useState("0");
  const [maxMessages, setMaxMessages] = useState("1000000");
  const [maxSeconds, setMaxSeconds] = useState("30");
  const [maxMatches, setMaxMatches] = useState("500");
  const [local, setLocal] = useState<string | null>(null);

  const start = () => {
    const problem = checkLocally(mode, pattern, path);
    setLocal(problem);
    if (problem) return;
    const inFields = (Object.keys(fields) as (keyof typeof fields)[]).filter((f) => fields[f]).join(",");
    search.start({
      mode,
      ...(mode === "jsonpath" ? { path, op, ...(op === "exists" ? {} : { operand }) } : { pattern }),
      in: inFields,
      partition: partition || undefined,
      seek,
      offset: seek === "offset" ? offset : undefined,
      maxMessages,
      maxSeconds,
      maxMatches,
      valueFormat: ctx.valueFormat,
    });
  };
  const p = search.progress;
  const error = local ?? search.error?.message ?? null;

  return (
    <div className="space-y-3">
      <form
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-3"
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
        data-testid="search-form"
      >
        <div className="flex flex-wrap items-end gap-3">
          <label className="text-xs text-slate-600">
            Match
            <select
              className={`${sel} mt-1 block`}
              value={mode}
              onChange={(e) => setMode(e.target.value as Mode)}
              data-testid="search-mode"
            >
              <option value="substring">contains text</option>
              <option value="regex">regex</option>
              <option value="jsonpath">JSON path</option>
            </select>
          </label>
          {mode === "jsonpath" ? (
            <>
              <label className="text-xs text-slate-600">
                Path
                <input
                  className={`${sel} mt-1 block w-48 font-mono`}
                  placeholder="order.items[0].qty"
                  value={path}
                  onChange={(e) => setPath(e.target.value)}
                  data-testid="search-path"
                />
              </label>
              <label className="text-xs text-slate-600">
                Is
                <select
                  className={`${sel} mt-1 block`}
                  value={op}
                  onChange={(e) => setOp(e.target.value)}
                  data-testid="search-op"
                >
                  {["==", "!=", ">", ">=", "<", "<=", "contains", "exists"].map((o) => (
                    <option key={o}>{o}</option>
                  ))}
                </select>
              </label>
              {op !== "exists" && (
                <label className="text-xs text-slate-600">
                  Value (JSON, or a word)
                  <input
                    className={`${sel} mt-1 block w-36 font-mono`}
                    value={operand}
                    onChange={(e) => setOperand(e.target.value)}
                    data-testid="search-operand"
                  />
                </label>
              )}
            </>
          ) : (
            <label className="min-w-64 flex-1 text-xs text-slate-600">
              {mode === "regex"
                ? "Regular expression (linear-time: no backreferences or lookarounds)"
                : "Text (byte for byte, case-sensitive)"}
              <input
                className={`${sel} mt-1 block w-full font-mono`}
                value={pattern}
                onChange={(e) => setPattern(e.target.value)}
                data-testid="search-pattern"
              />
            </label>
          )}
          <fieldset className="text-xs text-slate-600">
            In
            <div className="mt-1 flex gap-2 py-1">
              {(["key", "value", "headers"] as const).map((f) => (
                <label key={f}>
                  <input
                    type="checkbox"
                    checked={fields[f]}
                    onChange={(e) => setFields((x) => ({ ...x, [f]: e.target.checked }))}
                  />{" "}
                  {f}
                </label>
              ))}
            </div>
          </fieldset>
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <label className="text-xs text-slate-600">
            Partition
            <select className={`${sel} mt-1 block`} value={partition} onChange={(e) => setPartition(e.target.value)}>
              <option value="">all</option>
              {partitionNumbers(ctx.partitions).map((n) => (
                <option key={n} value={String(n)}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label className="text-xs text-slate-600">
            From
            <select
              className={`${sel} mt-1 block`}
              value={seek}
              onChange={(e) => setSeek(e.target.value as "oldest" | "offset")}
            >
              <option value="oldest">the oldest</option>
              <option value="offset">an offset</option>
            </select>
          </label>
          {seek === "offset" && (
            <label className="text-xs text-slate-600">
              Offset
              <input
                className={`${sel} mt-1 block w-28 font-mono`}
                value={offset}
                onChange={(e) => setOffset(e.target.value)}
              />
            </label>
          )}
          <label className="text-xs text-slate-600">
            Read at most
            <input
              className={`${sel} mt-1 block w-28 font-mono`}
              value={maxMessages}
              onChange={(e) => setMaxMessages(e.target.value)}
              data-testid="search-max-messages"
            />
          </label>
          <label className="text-xs text-slate-600">
            Seconds
            <input
              className={`${sel} mt-1 block w-16 font-mono`}
              value={maxSeconds}
              onChange={(e) => setMaxSeconds(e.target.value)}
              data-testid="search-max-seconds"
            />
          </label>
          <label className="text-xs text-slate-600">
            Matches
            <input
              className={`${sel} mt-1 block w-20 font-mono`}
              value={maxMatches}
              onChange={(e) => setMaxMatches(e.target.value)}
              data-testid="search-max-matches"
            />
          </label>
          {search.running ? (
            <button
              type="button"
              className="rounded-md bg-rose-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-rose-700"
              onClick={search.cancel}
              data-testid="search-cancel"
            >
              Cancel
            </button>
          ) : (
            <button
              type="submit"
              className="rounded-md bg-emerald-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-emerald-700"
              data-testid="search-start"
            >
              Search
            </button>
          )}
        </div>
      </form>
      {error && (
        <p className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="search-error">
          {error}
        </p>
      )}
      <Notices notices={search.notices} />
      {(search.running || p) && (
        <div
          className="flex flex-wrap items-center gap-x-4 gap-y-1 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm"
          data-testid="search-progress"
          data-running={search.running}
        >
          {search.running && <span className="inline-block h-2 w-2 animate-pulse rounded-full bg-emerald-500" />}
          <span>
            Read <b data-testid="search-scanned">{(p?.scanned ?? 0).toLocaleString("en-US")}</b>
          </span>
          <span>
            matched{" "}
            <b data-testid="search-matched">
              {(search.done?.matched ?? Math.max(p?.matched ?? 0, search.matches.length)).toLocaleString("en-US")}
            </b>
          </span>
          <span>{(p?.rate ?? 0).toLocaleString("en-US")} messages/s</span>
          <span>
            {(p?.elapsedMs ?? 0) < 1000 ? `${p?.elapsedMs ?? 0} ms` : `${((p?.elapsedMs ?? 0) / 1000).toFixed(1)} s`}
          </span>
          <span className="text-slate-600" data-testid="search-state">
            {search.running
              ? "searching…"
              : search.done
                ? END_WORDS[search.done.reason]
                : search.cancelled
                  ? "Cancelled: the server stopped reading."
                  : ""}
          </span>
        </div>
      )}
      <div className="flex justify-end">
        <ExportButtons messages={search.matches} name={`${ctx.topic}-search`} />
      </div>
      <MessageTable
        messages={search.matches}
        testId="search-table"
        onShowAll={ctx.showAll}
        empty={search.running ? "Searching…" : "No matches yet."}
      />
    </div>
  );
}
