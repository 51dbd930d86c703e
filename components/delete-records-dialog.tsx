"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useDeleteRecordsMutation } from "@/lib/hooks/api/topics";
import type { DeleteRecordsReport, TopicDetail } from "@/lib/types";
import { CliCommand } from "./cli-command";
import { Modal } from "./modal";
import { useErrorText } from "./use-error-text";
import { useFormat } from "./use-format";

const field = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5";

/**
 * DeleteRecords on one partition: choose it and an offset (by default its log end, so every record
 * goes), preview what would go with the CLI command, then confirm; the answer names the new log start.
 */
export function DeleteRecordsDialog({
  cluster,
  topic,
  onClose,
}: {
  cluster: string;
  topic: TopicDetail;
  onClose: () => void;
}) {
  const t = useTranslations("topics.deleteRecords");
  const errorText = useErrorText();
  const { number } = useFormat();
  const first = topic.partitions[0];
  const [partition, setPartition] = useState(first?.partition ?? 0);
  const chosen = topic.partitions.find((p) => p.partition === partition);
  const [offset, setOffset] = useState(String(first?.latestOffset ?? 0));
  const [preview, setPreview] = useState<DeleteRecordsReport | null>(null);
  const [done, setDone] = useState<DeleteRecordsReport | null>(null);
  const run = useDeleteRecordsMutation(cluster, topic.name);

  const wanted = Number(offset);
  const end = chosen?.latestOffset ?? null;
  const offsetError =
    offset.trim() === "" || !Number.isSafeInteger(wanted) || wanted < 0
      ? t("offsetWhole")
      : end !== null && wanted > end
        ? t("offsetPastEnd", { end: number(end) })
        : null;
  // Any change of the choice makes the preview stale: it must be asked for again.
  const change = (f: () => void) => {
    f();
    setPreview(null);
    run.reset();
  };
  const request = { partitions: [{ partition, offset: wanted }] };
  const report = done ?? preview;

  return (
    <Modal title={t("title", { topic: topic.name })} onClose={onClose} testId="delete-records-dialog">
      <p>{t("intro")}</p>
      <div className="grid grid-cols-2 gap-3">
        <label className="block">
          <span className="font-medium">{t("partition")}</span>
          <select
            value={partition}
            disabled={done !== null}
            onChange={(e) =>
              change(() => {
                const p = Number(e.target.value);
                setPartition(p);
                setOffset(String(topic.partitions.find((x) => x.partition === p)?.latestOffset ?? 0));
              })
            }
            data-testid="delete-records-partition"
            className={field}
          >
            {topic.partitions.map((p) => (
              <option key={p.partition} value={p.partition}>
                {p.partition}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="font-medium">{t("beforeOffset")}</span>
          <input
            type="number"
            min={0}
            value={offset}
            disabled={done !== null}
            onChange={(e) => change(() => setOffset(e.target.value))}
            data-testid="delete-records-offset"
            className={field}
          />
        </label>
      </div>
      <p className="text-xs text-slate-600" data-testid="delete-records-range">
        {t("range", { partition, start: number(chosen?.earliestOffset ?? null), end: number(end) })}{" "}
        {end !== null && wanted === end && !offsetError && t("allGo")}
      </p>
      {offsetError && offset.trim() !== "" && <p className="text-xs text-rose-700">{offsetError}</p>}
      {run.error && (
        <p className="text-rose-700" data-testid="delete-records-error">
          {errorText(run.error)}
        </p>
      )}

      {report && (
        <div
          className={`rounded-md p-3 ${done ? "bg-emerald-50 text-emerald-900" : "bg-amber-50 text-amber-900"}`}
          data-testid={done ? "delete-records-result" : "delete-records-preview"}
        >
          <table className="w-full text-left tabular-nums">
            <thead>
              <tr>
                <th className="pr-3">{t("partition")}</th>
                <th className="pr-3 text-right">{t("logStart")}</th>
                <th className="pr-3 text-right">{done ? t("nowStartsAt") : t("wouldStartAt")}</th>
                <th className="pr-3 text-right">{done ? t("recordsDeleted") : t("recordsToDelete")}</th>
                <th className="text-right">{t("logEnd")}</th>
              </tr>
            </thead>
            <tbody>
              {report.partitions.map((p) => (
                <tr key={p.partition} data-testid={`delete-records-row-${p.partition}`}>
                  <td className="pr-3">{p.partition}</td>
                  <td className="pr-3 text-right">{number(p.beforeOffset)}</td>
                  <td className="pr-3 text-right font-semibold" data-testid={`delete-records-new-start-${p.partition}`}>
                    {number(p.logStartOffset)}
                  </td>
                  <td className="pr-3 text-right" data-testid={`delete-records-count-${p.partition}`}>
                    {number(Math.max(0, p.logStartOffset - p.beforeOffset))}
                  </td>
                  <td className="text-right">{number(p.logEndOffset)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {done && (
            <p className="mt-2">
              {t("done", {
                partition: String(done.partitions[0]?.partition ?? ""),
                offset: number(done.partitions[0]?.logStartOffset ?? null),
              })}
            </p>
          )}
          <CliCommand command={report.command} />
        </div>
      )}

      <div className="flex justify-end gap-2">
        <button type="button" onClick={onClose} className="rounded-md border px-3 py-1.5">
          {done ? t("close") : t("cancel")}
        </button>
        {!done && !preview && (
          <button
            type="button"
            disabled={Boolean(offsetError) || run.isPending}
            data-testid="delete-records-preview-submit"
            onClick={() => run.mutate(request, { onSuccess: setPreview })}
            className="rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white disabled:opacity-50"
          >
            {run.isPending ? t("previewing") : t("preview")}
          </button>
        )}
        {!done && preview && (
          <button
            type="button"
            disabled={run.isPending}
            data-testid="delete-records-submit"
            onClick={() => run.mutate({ ...request, execute: true }, { onSuccess: setDone })}
            className="rounded-md bg-rose-600 px-3 py-1.5 font-medium text-white disabled:opacity-50"
          >
            {run.isPending
              ? t("deleting")
              : t("submit", {
                  count: number(
                    preview.partitions.reduce((a, p) => a + Math.max(0, p.logStartOffset - p.beforeOffset), 0),
                  ),
                })}
          </button>
        )}
      </div>
    </Modal>
  );
}
