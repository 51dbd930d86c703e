"use client";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { ApiError } from "@/lib/api-client";
import { usePartitionForKeyQuery, useProduceMutation } from "@/lib/hooks/api/messages";
import { produceSchema } from "@/lib/schemas/messages";
import { CliCommand } from "./cli-command";
import { partitionNumbers } from "./message-common";
import { useErrorText } from "./use-error-text";

interface Header {
  id: number;
  key: string;
  value: string;
}

const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm font-mono";

/** The key as typed, debounced: the partition preview asks the server once typing pauses. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * Produce one message: key, value (text or JSON, checked with the route's own schema), headers,
 * a partition or the one the default partitioner picks for the key (shown before sending), acks.
 * Shows where it landed and the same message as kcat and kafka-console-producer commands.
 */
export function ProduceForm({
  cluster,
  topic,
  partitions,
  bootstrap,
  disabledReason,
  onProduced,
}: {
  cluster: string;
  topic: string;
  partitions: number;
  bootstrap: string;
  disabledReason: string | null;
  onProduced: () => void;
}) {
  const t = useTranslations("messages.produce");
  const errorText = useErrorText();
  const [key, setKey] = useState("");
  const [noKey, setNoKey] = useState(false);
  const [value, setValue] = useState("");
  const [tombstone, setTombstone] = useState(false);
  const [valueType, setValueType] = useState<"text" | "json">("text");
  const [headers, setHeaders] = useState<Header[]>([]);
  const [nextId, setNextId] = useState(1);
  const [partition, setPartition] = useState("");
  const [acks, setAcks] = useState<"-1" | "0" | "1">("-1");
  const [issue, setIssue] = useState<{ field: string; message: string } | null>(null);
  const produce = useProduceMutation(cluster, topic);
  const debouncedKey = useDebounced(noKey ? null : key, 250);
  const choice = usePartitionForKeyQuery(cluster, topic, debouncedKey, partition === "" && disabledReason === null);

  const body = {
    key: noKey ? null : key,
    value: tombstone ? null : value,
    valueType,
    headers: headers.map((h) => ({ key: h.key, value: h.value })),
    ...(partition === "" ? {} : { partition: Number(partition) }),
    acks: Number(acks) as -1 | 0 | 1,
  };
  const submit = () => {
    const parsed = produceSchema.safeParse(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      // The route's own schema, checked here first: its refusal reads as the API's would (code's words first).
      setIssue({
        field: first?.path.join(".") ?? "",
        message: first ? errorText(new ApiError(400, "validation_failed", first.message)) : t("invalid"),
      });
      return;
    }
    setIssue(null);
    produce.mutate(parsed.data, { onSuccess: onProduced });
  };
  const err = produce.error instanceof ApiError ? produce.error : null;
  const fieldError = (f: string) =>
    issue && (issue.field === f || issue.field.startsWith(`${f}.`))
      ? issue.message
      : err?.field === f
        ? errorText(err)
        : null;
  const result = produce.data;
  const disabled = disabledReason !== null;

  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <form
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        data-testid="produce-form"
      >
        {disabled && (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="produce-disabled">
            {disabledReason}
          </p>
        )}
        <fieldset disabled={disabled} className="space-y-3 disabled:opacity-60">
          <div>
            <div className="flex items-center justify-between">
              <label htmlFor="produce-key" className="text-sm font-medium text-slate-700">
                {t("key")}
              </label>
              <label className="text-xs text-slate-600">
                <input type="checkbox" checked={noKey} onChange={(e) => setNoKey(e.target.checked)} /> {t("noKey")}
              </label>
            </div>
            <input
              id="produce-key"
              className={input}
              value={key}
              disabled={noKey}
              onChange={(e) => setKey(e.target.value)}
              data-testid="produce-key"
            />
          </div>
          <div>
            <div className="flex items-center justify-between">
              <label htmlFor="produce-value" className="text-sm font-medium text-slate-700">
                {t("value")}
              </label>
              <div className="flex items-center gap-3 text-xs text-slate-600">
                <label>
                  <input
                    type="radio"
                    name="valueType"
                    checked={valueType === "text"}
                    onChange={() => setValueType("text")}
                    data-testid="produce-type-text"
                  />{" "}
                  {t("text")}
                </label>
                <label>
                  <input
                    type="radio"
                    name="valueType"
                    checked={valueType === "json"}
                    onChange={() => setValueType("json")}
                    data-testid="produce-type-json"
                  />{" "}
                  {t("json")}
                </label>
                <label>
                  <input type="checkbox" checked={tombstone} onChange={(e) => setTombstone(e.target.checked)} />{" "}
                  {t("tombstone")}
                </label>
              </div>
            </div>
            <textarea
              id="produce-value"
              className={`${input} h-28 ${fieldError("value") ? "border-rose-400" : ""}`}
              value={value}
              disabled={tombstone}
              onChange={(e) => setValue(e.target.value)}
              data-testid="produce-value"
            />
            {fieldError("value") && (
              <span className="text-xs text-rose-700" data-testid="produce-value-error">
                {fieldError("value")}
              </span>
            )}
          </div>
          <div>
            <div className="flex items-center justify-between">
              <span className="text-sm font-medium text-slate-700">{t("headers")}</span>
              <button
                type="button"
                className="text-xs font-medium text-emerald-700 hover:underline"
                onClick={() => {
                  setHeaders((h) => [...h, { id: nextId, key: "", value: "" }]);
                  setNextId((n) => n + 1);
                }}
                data-testid="produce-add-header"
              >
                {t("addHeader")}
              </button>
            </div>
            {headers.map((h, i) => (
              <div key={h.id} className="mt-1 flex gap-2">
                <input
                  className={`${input} mt-0`}
                  placeholder={t("headerKey")}
                  value={h.key}
                  onChange={(e) =>
                    setHeaders((hs) => hs.map((x) => (x.id === h.id ? { ...x, key: e.target.value } : x)))
                  }
                  data-testid={`produce-header-key-${i}`}
                />
                <input
                  className={`${input} mt-0`}
                  placeholder={t("headerValue")}
                  value={h.value}
                  onChange={(e) =>
                    setHeaders((hs) => hs.map((x) => (x.id === h.id ? { ...x, value: e.target.value } : x)))
                  }
                  data-testid={`produce-header-value-${i}`}
                />
                <button
                  type="button"
                  className="px-2 text-slate-400 hover:text-rose-600"
                  aria-label={t("removeHeader")}
                  onClick={() => setHeaders((hs) => hs.filter((x) => x.id !== h.id))}
                >
                  ×
                </button>
              </div>
            ))}
            {fieldError("headers") && <span className="text-xs text-rose-700">{fieldError("headers")}</span>}
          </div>
          <div className="flex flex-wrap items-end gap-4">
            <label className="text-sm font-medium text-slate-700">
              {t("partition")}
              <select
                className={`${input} font-sans`}
                value={partition}
                onChange={(e) => setPartition(e.target.value)}
                data-testid="produce-partition"
              >
                <option value="">{t("byKey")}</option>
                {partitionNumbers(partitions).map((p) => (
                  <option key={p} value={String(p)}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm font-medium text-slate-700">
              {t("acks")}
              <select
                className={`${input} font-sans`}
                value={acks}
                onChange={(e) => setAcks(e.target.value as "-1" | "0" | "1")}
                data-testid="produce-acks"
              >
                <option value="-1">{t("acksAll")}</option>
                <option value="1">{t("acksLeader")}</option>
                <option value="0">{t("acksNone")}</option>
              </select>
            </label>
            <span className="pb-1.5 text-xs text-slate-600" data-testid="produce-partition-preview">
              {partition !== ""
                ? t("goesTo", { partition })
                : choice.data
                  ? choice.data.partition === null
                    ? t("noKeyRoundRobin")
                    : t("keyToPartition", { partition: choice.data.partition })
                  : ""}
            </span>
          </div>
          {issue && !["value", "headers"].some((f) => issue.field.startsWith(f)) && (
            <p className="text-sm text-rose-700">
              {issue.field}: {issue.message}
            </p>
          )}
          {err && !err.field?.startsWith("value") && (
            <p className="text-sm text-rose-700" data-testid="produce-error">
              {errorText(err)}
            </p>
          )}
          <button
            type="submit"
            className="rounded-md bg-emerald-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-emerald-700 disabled:opacity-50"
            disabled={produce.isPending}
            data-testid="produce-send"
          >
            {produce.isPending ? t("sending") : t("send")}
          </button>
        </fieldset>
      </form>
      <div className="space-y-2">
        {result ? (
          <div className="rounded-lg border border-emerald-200 bg-emerald-50 p-4" data-testid="produce-result">
            <p className="text-sm text-emerald-900">
              {t.rich(result.offset !== null ? "result" : "resultNoOffset", {
                partition: result.partition,
                offset: result.offset ?? "",
                how: result.partitioner === "explicit" ? t("partitionChosen") : result.partitioner,
                part: (c) => <b data-testid="produce-result-partition">{c}</b>,
                off: (c) => <b data-testid="produce-result-offset">{c}</b>,
              })}
            </p>
            {/* i18n-exempt: kcat is the tool's name */}
            <CliCommand command={result.commands.kcat} label="kcat" />
            <CliCommand command={result.commands.consoleProducer} label={t("consoleProducer")} />
          </div>
        ) : (
          <p className="text-sm text-slate-500">
            {t.rich("hint", { bootstrap, code: (c) => <code className="font-mono">{c}</code> })}
          </p>
        )}
      </div>
    </div>
  );
}
