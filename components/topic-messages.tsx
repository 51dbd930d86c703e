"use client";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { fetchWholeMessage } from "@/lib/hooks/api/messages";
import type { RequestedFormat } from "@/lib/types";
import { MessageBrowse } from "./message-browse";
import type { MessagesContext } from "./message-common";
import { MessageSearch } from "./message-search";
import { MessageTail } from "./message-tail";
import { ProduceForm } from "./produce-form";

type Mode = "browse" | "search" | "tail" | "produce";

const FORMATS: RequestedFormat[] = ["auto", "text", "json", "hex", "base64"];

/** The decoder chosen for a topic's values, remembered in this browser. */
function useValueFormat(cluster: string, topic: string): [RequestedFormat, (f: RequestedFormat) => void] {
  const key = `quorum.valueFormat.${cluster}.${topic}`;
  const [format, setFormat] = useState<RequestedFormat>("auto");
  useEffect(() => {
    const saved = window.localStorage.getItem(key);
    if (saved && (FORMATS as string[]).includes(saved)) setFormat(saved as RequestedFormat);
  }, [key]);
  return [
    format,
    (f) => {
      setFormat(f);
      window.localStorage.setItem(key, f);
    },
  ];
}

/**
 * The Messages tab of a topic: browse (seek and page), search (server-side, streamed), live tail
 * and produce, with one value decoder per topic remembered in this browser.
 */
export function TopicMessages({
  cluster,
  topic,
  partitions,
  readOnly,
  mayProduce,
  internal,
  bootstrap,
}: {
  cluster: string;
  topic: string;
  partitions: number;
  readOnly: boolean;
  /** Whether the user's role allows producing (an operator's). */
  mayProduce: boolean;
  internal: boolean;
  bootstrap: string;
}) {
  const t = useTranslations("messages");
  const [mode, setMode] = useState<Mode>("browse");
  const [valueFormat, setValueFormat] = useValueFormat(cluster, topic);
  const ctx: MessagesContext = {
    cluster,
    topic,
    partitions,
    valueFormat,
    showAll: (m) => fetchWholeMessage(cluster, topic, m, { valueFormat, isolation: "read_uncommitted" }),
  };
  const modes: Mode[] = ["browse", "search", "tail", "produce"];
  return (
    <div className="space-y-3" data-testid="topic-messages">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="inline-flex rounded-md border border-slate-300 bg-white p-0.5" role="tablist">
          {modes.map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              aria-selected={mode === m}
              data-testid={`messages-mode-${m}`}
              onClick={() => setMode(m)}
              className={`rounded px-3 py-1 text-sm font-medium ${mode === m ? "bg-emerald-600 text-white" : "text-slate-700 hover:bg-slate-100"}`}
            >
              {t(`modes.${m}`)}
            </button>
          ))}
        </div>
        <label className="flex items-center gap-2 text-sm text-slate-600">
          {t("valueFormat.label")}
          <select
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
            value={valueFormat}
            onChange={(e) => setValueFormat(e.target.value as RequestedFormat)}
            data-testid="value-format"
            title={t("valueFormat.title")}
          >
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`valueFormat.${f}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {mode === "browse" && <MessageBrowse ctx={ctx} />}
      {mode === "search" && <MessageSearch ctx={ctx} />}
      {mode === "tail" && <MessageTail ctx={ctx} />}
      {mode === "produce" && (
        <ProduceForm
          cluster={cluster}
          topic={topic}
          partitions={partitions}
          bootstrap={bootstrap}
          disabledReason={
            readOnly
              ? t("disabled.readOnly", { cluster })
              : !mayProduce
                ? t("disabled.notOperator")
                : internal
                  ? t("disabled.internal", { topic })
                  : null
          }
          onProduced={() => undefined}
        />
      )}
    </div>
  );
}
