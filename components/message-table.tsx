"use client";
import { useTranslations } from "next-intl";
import { Fragment, useState } from "react";
import type { KafkaMessage } from "@/lib/types";
import { DataTable } from "./data-table";
import { DecodedView, preview } from "./message-value";
import { useErrorText } from "./use-error-text";
import { useFormat } from "./use-format";

/** ISO time in the browser's zone, to the millisecond. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/**
 * Messages as rows; a row opens to show its key, value and headers whole (JSON folded). A value
 * cut at the size cap offers "show all", which reads that one record again without the cap.
 */
export function MessageTable({
  messages,
  testId,
  onShowAll,
  empty,
}: {
  messages: KafkaMessage[];
  testId: string;
  onShowAll?: (m: KafkaMessage) => Promise<KafkaMessage | null>;
  empty: string;
}) {
  const t = useTranslations("messages.table");
  const errorText = useErrorText();
  const { number } = useFormat();
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [whole, setWhole] = useState<Map<string, KafkaMessage>>(new Map());
  const [loading, setLoading] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const id = (m: KafkaMessage) => `${m.partition}:${m.offset}`;
  const toggle = (k: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(k)) n.delete(k);
      else n.add(k);
      return n;
    });
  const showAll = async (m: KafkaMessage) => {
    if (!onShowAll) return;
    setLoading(id(m));
    setFailed(null);
    try {
      const full = await onShowAll(m);
      if (full) setWhole((w) => new Map(w).set(id(m), full));
      else setFailed(t("gone", { offset: m.offset }));
    } catch (err) {
      setFailed(errorText(err as Error));
    } finally {
      setLoading(null);
    }
  };
  return (
    <DataTable
      testId={testId}
      columns={[
        { label: t("columns.partition"), numeric: true },
        { label: t("columns.offset"), numeric: true },
        t("columns.timestamp"),
        t("columns.key"),
        t("columns.value"),
        t("columns.headers"),
        { label: t("columns.size"), numeric: true },
        t("columns.codec"),
      ]}
    >
      {messages.length === 0 ? (
        <tr>
          <td colSpan={8} className="px-4 py-6 text-center text-sm text-slate-500" data-testid={`${testId}-empty`}>
            {empty}
          </td>
        </tr>
      ) : (
        messages.map((shown) => {
          const k = id(shown);
          const m = whole.get(k) ?? shown;
          const isOpen = open.has(k);
          const cut = m.value?.truncated || m.key?.truncated || m.headers.some((h) => h.value?.truncated);
          return (
            <Fragment key={k}>
              <tr
                className={`cursor-pointer align-top hover:bg-slate-50 ${isOpen ? "bg-slate-50" : ""}`}
                onClick={() => toggle(k)}
                data-testid="message-row"
                data-offset={m.offset}
                data-partition={m.partition}
              >
                <td className="px-4 py-1.5 text-right tabular-nums">{m.partition}</td>
                <td className="px-4 py-1.5 text-right font-mono tabular-nums" data-testid="message-offset">
                  {m.offset}
                </td>
                <td className="whitespace-nowrap px-4 py-1.5 font-mono text-xs">
                  {formatTimestamp(m.timestamp)}
                  <span
                    className="ml-1 rounded bg-slate-100 px-1 text-[10px] text-slate-500"
                    title={m.timestampType === "CreateTime" ? t("createTimeTitle") : t("logAppendTimeTitle")}
                  >
                    {m.timestampType === "CreateTime" ? t("createTime") : t("logAppendTime")}
                  </span>
                </td>
                <td className="max-w-[10rem] truncate px-4 py-1.5 font-mono text-xs" data-testid="message-key">
                  {m.key === null ? <span className="italic text-slate-400">{t("null")}</span> : preview(m.key, 40)}
                </td>
                <td className="max-w-[28rem] truncate px-4 py-1.5 font-mono text-xs" data-testid="message-value">
                  {m.value === null ? (
                    <span className="italic text-slate-400">{t("tombstone")}</span>
                  ) : (
                    preview(m.value)
                  )}
                  {cut && <span className="ml-1 rounded bg-amber-100 px-1 text-[10px] text-amber-800">{t("cut")}</span>}
                </td>
                <td className="px-4 py-1.5 text-xs text-slate-600">
                  {m.headers.length === 0 ? "" : t("headerCount", { count: m.headers.length })}
                </td>
                <td className="px-4 py-1.5 text-right tabular-nums text-xs">{t("size", { size: number(m.size) })}</td>
                <td className="px-4 py-1.5 text-xs">{m.compression}</td>
              </tr>
              {isOpen && (
                <tr className="bg-slate-50" data-testid="message-detail">
                  <td colSpan={8} className="px-4 pb-3">
                    <div className="grid gap-3 md:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
                      <div className="space-y-2">
                        <div>
                          <div className="text-xs font-semibold uppercase text-slate-500">{t("key")}</div>
                          <DecodedView data={m.key} testId="detail-key" />
                        </div>
                        <div>
                          <div className="text-xs font-semibold uppercase text-slate-500">{t("headers")}</div>
                          {m.headers.length === 0 ? (
                            <span className="text-xs text-slate-400">{t("none")}</span>
                          ) : (
                            <ul className="space-y-1" data-testid="detail-headers">
                              {m.headers.map((h, i) => (
                                // biome-ignore lint/suspicious/noArrayIndexKey: headers are an ordered list and may repeat a key
                                <li key={`${h.key}-${i}`} className="font-mono text-xs">
                                  <span className="text-violet-700">{h.key}</span>:{" "}
                                  {h.value === null ? <i className="text-slate-400">{t("null")}</i> : h.value.data}
                                </li>
                              ))}
                            </ul>
                          )}
                        </div>
                      </div>
                      <div>
                        <div className="flex items-center gap-2 text-xs font-semibold uppercase text-slate-500">
                          {t("value")}
                          {cut && onShowAll && (
                            <button
                              type="button"
                              className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium normal-case text-slate-700 hover:bg-slate-100"
                              onClick={(e) => {
                                e.stopPropagation();
                                void showAll(m);
                              }}
                              disabled={loading === k}
                              data-testid="show-all"
                            >
                              {loading === k
                                ? t("loading")
                                : t("showAll", { size: m.value ? number(m.value.size) : "" })}
                            </button>
                          )}
                        </div>
                        {failed && loading === null && cut && <p className="text-xs text-rose-700">{failed}</p>}
                        <DecodedView data={m.value} testId="detail-value" />
                      </div>
                    </div>
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })
      )}
    </DataTable>
  );
}
