"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useMessageSearch } from "@/lib/hooks/api/messages";
import { parseJsonPath } from "@/lib/json-path";
import { ExportButtons, type MessagesContext, Notices, partitionNumbers } from "./message-common";
import { MessageTable } from "./message-table";
import { useErrorText } from "./use-error-text";
import { useFormat } from "./use-format";

type Mode = "substring" | "regex" | "jsonpath";

const sel = "rounded-md border border-slate-300 px-2 py-1 text-sm";

type Translate = (key: string, values?: Record<string, string | number>) => string;

/**
 * Checks the browser can make of a search before sending it (the server checks everything again);
 * `t` reads messages.search. The parser's and the browser's own words follow in English.
 */
function checkLocally(mode: Mode, pattern: string, path: string, t: Translate): string | null {
  if (mode === "jsonpath") {
    try {
      parseJsonPath(path);
      return null;
    } catch (err) {
      return t("badPath", { error: (err as Error).message });
    }
  }
  if (pattern === "") return t("typeSomething");
  if (mode === "regex")
    try {
      new RegExp(pattern);
    } catch (err) {
      return t("badPattern", { error: (err as Error).message });
    }
  return null;
}

/** A server-side search: matches stream in with the count read and the rate; cancel closes the request. */
export function MessageSearch({ ctx }: { ctx: MessagesContext }) {
  const t = useTranslations("messages.search");
  const errorText = useErrorText();
  const format = useFormat();
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
    const problem = checkLocally(mode, pattern, path, t);
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
  const error = local ?? (search.error ? errorText(search.error) : null);

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
            {t("match")}
            <select
              className={`${sel} mt-1 block`}
              value={mode}
              onChange={(e) => setMode(e.target.value as Mode)}
              data-testid="search-mode"
            >
              <option value="substring">{t("substring")}</option>
              <option value="regex">{t("regex")}</option>
              <option value="jsonpath">{t("jsonpath")}</option>
            </select>
          </label>
          {mode === "jsonpath" ? (
            <>
              <label className="text-xs text-slate-600">
                {t("path")}
                <input
                  className={`${sel} mt-1 block w-48 font-mono`}
                  // i18n-exempt: an example JSON path, as one is typed
                  placeholder="order.items[0].qty"
                  value={path}
                  onChange={(e) => setPath(e.target.value)}
                  data-testid="search-path"
                />
              </label>
              <label className="text-xs text-slate-600">
                {t("is")}
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
                  {t("operand")}
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
              {mode === "regex" ? t("regexLabel") : t("textLabel")}
              <input
                className={`${sel} mt-1 block w-full font-mono`}
                value={pattern}
                onChange={(e) => setPattern(e.target.value)}
                data-testid="search-pattern"
              />
            </label>
          )}
          <fieldset className="text-xs text-slate-600">
            {t("in")}
            <div className="mt-1 flex gap-2 py-1">
              {(["key", "value", "headers"] as const).map((f) => (
                <label key={f}>
                  <input
                    type="checkbox"
                    checked={fields[f]}
                    onChange={(e) => setFields((x) => ({ ...x, [f]: e.target.checked }))}
                  />{" "}
                  {t(`fields.${f}`)}
                </label>
              ))}
            </div>
          </fieldset>
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <label className="text-xs text-slate-600">
            {t("partition")}
            <select className={`${sel} mt-1 block`} value={partition} onChange={(e) => setPartition(e.target.value)}>
              <option value="">{t("all")}</option>
              {partitionNumbers(ctx.partitions).map((n) => (
                <option key={n} value={String(n)}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label className="text-xs text-slate-600">
            {t("from")}
            <select
              className={`${sel} mt-1 block`}
              value={seek}
              onChange={(e) => setSeek(e.target.value as "oldest" | "offset")}
            >
              <option value="oldest">{t("theOldest")}</option>
              <option value="offset">{t("anOffset")}</option>
            </select>
          </label>
          {seek === "offset" && (
            <label className="text-xs text-slate-600">
              {t("offset")}
              <input
                className={`${sel} mt-1 block w-28 font-mono`}
                value={offset}
                onChange={(e) => setOffset(e.target.value)}
              />
            </label>
          )}
          <label className="text-xs text-slate-600">
            {t("maxMessages")}
            <input
              className={`${sel} mt-1 block w-28 font-mono`}
              value={maxMessages}
              onChange={(e) => setMaxMessages(e.target.value)}
              data-testid="search-max-messages"
            />
          </label>
          <label className="text-xs text-slate-600">
            {t("maxSeconds")}
            <input
              className={`${sel} mt-1 block w-16 font-mono`}
              value={maxSeconds}
              onChange={(e) => setMaxSeconds(e.target.value)}
              data-testid="search-max-seconds"
            />
          </label>
          <label className="text-xs text-slate-600">
            {t("maxMatches")}
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
              {t("cancel")}
            </button>
          ) : (
            <button
              type="submit"
              className="rounded-md bg-emerald-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-emerald-700"
              data-testid="search-start"
            >
              {t("start")}
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
            {t.rich("scanned", {
              count: format.number(p?.scanned ?? 0),
              b: (c) => <b data-testid="search-scanned">{c}</b>,
            })}
          </span>
          <span>
            {t.rich("matched", {
              count: format.number(search.done?.matched ?? Math.max(p?.matched ?? 0, search.matches.length)),
              b: (c) => <b data-testid="search-matched">{c}</b>,
            })}
          </span>
          <span>{t("rate", { rate: format.number(p?.rate ?? 0) })}</span>
          <span>
            {(p?.elapsedMs ?? 0) < 1000
              ? t("elapsedMs", { ms: p?.elapsedMs ?? 0 })
              : t("elapsedSeconds", { seconds: ((p?.elapsedMs ?? 0) / 1000).toFixed(1) })}
          </span>
          <span className="text-slate-600" data-testid="search-state">
            {search.running
              ? t("searching")
              : search.done
                ? t(`end.${search.done.reason}`)
                : search.cancelled
                  ? t("cancelled")
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
        empty={search.running ? t("emptyRunning") : t("empty")}
      />
    </div>
  );
}
