"use client";
import { useTranslations } from "next-intl";
import { download, toCsv, toJsonLines } from "@/lib/message-export";
import type { KafkaMessage, RequestedFormat } from "@/lib/types";

export interface MessagesContext {
  cluster: string;
  topic: string;
  partitions: number;
  valueFormat: RequestedFormat;
  /** Reads one record again without the size cap. */
  showAll: (m: KafkaMessage) => Promise<KafkaMessage | null>;
}

/** Download buttons for the messages on screen. */
export function ExportButtons({ messages, name }: { messages: KafkaMessage[]; name: string }) {
  const t = useTranslations("messages.export");
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const btn =
    "rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50";
  return (
    <div className="flex items-center gap-2 text-xs text-slate-500">
      {t("label", { count: messages.length })}
      <button
        type="button"
        className={btn}
        disabled={messages.length === 0}
        data-testid="export-jsonl"
        onClick={() => download(`${name}-${stamp}.jsonl`, toJsonLines(messages), "application/x-ndjson")}
      >
        {t("jsonLines")}
      </button>
      <button
        type="button"
        className={btn}
        disabled={messages.length === 0}
        data-testid="export-csv"
        onClick={() => download(`${name}-${stamp}.csv`, toCsv(messages), "text/csv")}
      >
        {t("csv")}
      </button>
    </div>
  );
}

/** Notices of the API (offsets out of range, no message after a time, …), in words. */
export function Notices({ notices }: { notices: string[] }) {
  if (notices.length === 0) return null;
  return (
    <ul
      className="space-y-1 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900"
      data-testid="notices"
    >
      {notices.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}

/** 0 … n−1. */
export function partitionNumbers(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
