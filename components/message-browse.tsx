"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useMessagesQuery } from "@/lib/hooks/api/messages";
import type { MessageSeek, ReadIsolation } from "@/lib/types";
import { ErrorPanel } from "./error-panel";
import { ExportButtons, type MessagesContext, Notices, partitionNumbers } from "./message-common";
import { MessageTable } from "./message-table";

interface Seek {
  partition: string;
  seek: MessageSeek;
  offset: string;
  /** datetime-local text, in the browser's zone. */
  time: string;
  limit: string;
  isolation: ReadIsolation;
}

const sel = "rounded-md border border-slate-300 px-2 py-1 text-sm";

/** Seek (newest N, oldest N, an offset, a time; one partition or all) and page by the API's cursors. */
export function MessageBrowse({ ctx }: { ctx: MessagesContext }) {
  const t = useTranslations("messages.browse");
  const [form, setForm] = useState<Seek>({
    partition: "",
    seek: "newest",
    offset: "0",
    time: "",
    limit: "50",
    isolation: "read_committed",
  });
  const paramsOf = (f: Seek): Record<string, string> => {
    const p: Record<string, string> = { limit: f.limit, isolation: f.isolation, valueFormat: ctx.valueFormat };
    if (f.partition !== "") p.partition = f.partition;
    p.seek = f.seek;
    if (f.seek === "offset") p.offset = f.offset.trim();
    if (f.seek === "timestamp") p.timestamp = f.time ? String(new Date(f.time).getTime()) : "";
    return p;
  };
  const [applied, setApplied] = useState<Record<string, string>>(() => paramsOf(form));
  const [cursor, setCursor] = useState<string | null>(null);
  const params: Record<string, string> = cursor
    ? {
        cursor,
        limit: applied.limit as string,
        isolation: applied.isolation as string,
        valueFormat: ctx.valueFormat,
        ...(applied.partition !== undefined ? { partition: applied.partition } : {}),
      }
    : { ...applied, valueFormat: ctx.valueFormat };
  const page = useMessagesQuery(ctx.cluster, ctx.topic, params);
  const set = (patch: Partial<Seek>) => setForm((f) => ({ ...f, ...patch }));
  const go = () => {
    setCursor(null);
    setApplied(paramsOf(form));
  };
  const data = page.data;
  const btn =
    "rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-40";

  return (
    <div className="space-y-3">
      <form
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3"
        onSubmit={(e) => {
          e.preventDefault();
          go();
        }}
        data-testid="browse-form"
      >
        <label className="text-xs text-slate-600">
          {t("partition")}
          <select
            className={`${sel} mt-1 block`}
            value={form.partition}
            onChange={(e) => set({ partition: e.target.value })}
            data-testid="browse-partition"
          >
            <option value="">{t("allPartitions")}</option>
            {partitionNumbers(ctx.partitions).map((p) => (
              <option key={p} value={String(p)}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          {t("from")}
          <select
            className={`${sel} mt-1 block`}
            value={form.seek}
            onChange={(e) => set({ seek: e.target.value as MessageSeek })}
            data-testid="browse-seek"
          >
            <option value="newest">{t("newest")}</option>
            <option value="oldest">{t("oldest")}</option>
            <option value="offset">{t("anOffset")}</option>
            <option value="timestamp">{t("aTime")}</option>
          </select>
        </label>
        {form.seek === "offset" && (
          <label className="text-xs text-slate-600">
            {t("offset")}
            <input
              className={`${sel} mt-1 block w-32 font-mono`}
              value={form.offset}
              inputMode="numeric"
              onChange={(e) => set({ offset: e.target.value })}
              data-testid="browse-offset"
            />
          </label>
        )}
        {form.seek === "timestamp" && (
          <label className="text-xs text-slate-600">
            {t("time")}
            <input
              type="datetime-local"
              step="0.001"
              className={`${sel} mt-1 block`}
              value={form.time}
              onChange={(e) => set({ time: e.target.value })}
              data-testid="browse-time"
            />
          </label>
        )}
        <label className="text-xs text-slate-600">
          {t("limit")}
          <select
            className={`${sel} mt-1 block`}
            value={form.limit}
            onChange={(e) => set({ limit: e.target.value })}
            data-testid="browse-limit"
          >
            {["20", "50", "100", "500", "1000"].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          {t("isolation")}
          {/* Kafka's isolation.level values, as a client's config writes them. */}
          <select
            className={`${sel} mt-1 block`}
            value={form.isolation}
            onChange={(e) => set({ isolation: e.target.value as ReadIsolation })}
            data-testid="browse-isolation"
            title={t("isolationTitle")}
            translate="no"
          >
            <option value="read_committed">read_committed</option>
            <option value="read_uncommitted">read_uncommitted</option>
          </select>
        </label>
        <button
          type="submit"
          className="rounded-md bg-emerald-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-emerald-700"
          data-testid="browse-go"
        >
          {t("read")}
        </button>
        <button type="button" className={btn} onClick={() => void page.refetch()} data-testid="browse-refresh">
          {t("refresh")}
        </button>
      </form>

      {page.error ? (
        <ErrorPanel error={page.error} />
      ) : (
        <>
          {data && <Notices notices={data.notices} />}
          <div className="flex flex-wrap items-center justify-between gap-2">
            <div className="flex items-center gap-2">
              <button
                type="button"
                className={btn}
                disabled={!data?.prevCursor || page.isFetching}
                onClick={() => data?.prevCursor && setCursor(data.prevCursor)}
                data-testid="page-older"
              >
                {t("older")}
              </button>
              <button
                type="button"
                className={btn}
                disabled={!data?.nextCursor || page.isFetching}
                onClick={() => data?.nextCursor && setCursor(data.nextCursor)}
                data-testid="page-newer"
              >
                {t("newer")}
              </button>
              <span className="text-xs text-slate-500" data-testid="page-range">
                {page.isFetching
                  ? t("reading")
                  : data
                    ? data.partitions
                        .filter((p) => p.to > p.from)
                        .map((p) => `p${p.partition} ${p.from}–${p.to - 1}`)
                        .join(" · ") || t("nothingInRange")
                    : ""}
              </span>
            </div>
            <ExportButtons messages={data?.messages ?? []} name={`${ctx.topic}-page`} />
          </div>
          <div
            className={page.isPlaceholderData ? "opacity-50 transition-opacity" : ""}
            aria-busy={page.isFetching}
            data-testid="messages-page"
            data-loading={page.isFetching}
          >
            <MessageTable
              messages={data?.messages ?? []}
              testId="messages-table"
              onShowAll={ctx.showAll}
              empty={page.isLoading ? t("reading") : t("empty")}
            />
          </div>
        </>
      )}
    </div>
  );
}
