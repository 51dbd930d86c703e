"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useElectLeadersMutation } from "@/lib/hooks/api/brokers";
import { useReadOnly } from "@/lib/hooks/api/clusters";
import { useMay } from "@/lib/hooks/api/session";
import { useAddPartitionsMutation, useDeleteTopicMutation } from "@/lib/hooks/api/topics";
import { MAX_PARTITIONS } from "@/lib/schemas/topics";
import { sh, type Verbatim } from "@/lib/shell-quote";
import type { ElectionReport, TopicDetail } from "@/lib/types";
import { CliCommand } from "./cli-command";
import { DeleteRecordsDialog } from "./delete-records-dialog";
import { Modal } from "./modal";
import { useErrorText } from "./use-error-text";

const button =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50";

/** Add partitions, preferred leader election, delete records and delete, each naming its CLI equivalent. */
export function TopicActions({
  cluster,
  topic,
  bootstrap,
}: {
  cluster: string;
  topic: TopicDetail;
  bootstrap: string | Verbatim;
}) {
  const t = useTranslations("topics.actions");
  const errorText = useErrorText();
  const router = useRouter();
  const { readOnly, reason } = useReadOnly(cluster);
  const may = useMay(cluster);
  const [dialog, setDialog] = useState<"partitions" | "records" | "delete" | null>(null);
  const [count, setCount] = useState(String(topic.partitions.length + 1));
  const [typed, setTyped] = useState("");
  const [report, setReport] = useState<ElectionReport | null>(null);
  const add = useAddPartitionsMutation(cluster, topic.name);
  const del = useDeleteTopicMutation(cluster);
  const elect = useElectLeadersMutation(cluster);
  const current = topic.partitions.length;
  const wanted = Number(count);
  const countError =
    !Number.isInteger(wanted) || count.trim() === ""
      ? t("countWhole")
      : wanted <= current
        ? t("countShrink", { current })
        : wanted > MAX_PARTITIONS
          ? t("countMax", { max: MAX_PARTITIONS })
          : null;
  const close = () => {
    setDialog(null);
    add.reset();
    del.reset();
  };

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {!topic.internal && may("operator") && (
          <button
            type="button"
            className={button}
            data-testid="add-partitions"
            disabled={readOnly}
            title={reason}
            onClick={() => setDialog("partitions")}
          >
            {t("addPartitions")}
          </button>
        )}
        {may("operator") && (
          <button
            type="button"
            className={button}
            data-testid="elect-topic"
            disabled={elect.isPending || readOnly}
            title={reason}
            onClick={() => elect.mutate(topic.name, { onSuccess: setReport })}
          >
            {elect.isPending ? t("electing") : t("elect")}
          </button>
        )}
        {may("admin") && (
          <button
            type="button"
            className={button}
            data-testid="delete-records"
            disabled={readOnly || topic.internal}
            title={topic.internal ? t("internalRecords") : reason}
            onClick={() => setDialog("records")}
          >
            {t("deleteRecords")}
          </button>
        )}
        {!topic.internal && may("admin") && (
          <button
            type="button"
            className={`${button} border-rose-300 text-rose-700 hover:bg-rose-50`}
            data-testid="delete-topic"
            disabled={readOnly}
            title={reason}
            onClick={() => setDialog("delete")}
          >
            {t("delete")}
          </button>
        )}
      </div>
      {elect.error && <p className="text-sm text-rose-700">{errorText(elect.error)}</p>}
      {report && (
        <div className="rounded-md bg-violet-50 p-3 text-sm text-violet-900" data-testid="election-report">
          {report.failed > 0
            ? t("electionReportFailed", {
                elected: report.elected,
                already: report.already,
                failed: report.failed,
                error: String(report.results.find((r) => r.error)?.error),
              })
            : t("electionReport", { elected: report.elected, already: report.already })}
          <CliCommand
            command={sh`kafka-leader-election.sh --bootstrap-server ${bootstrap} --election-type PREFERRED --topic ${topic.name} --all-topic-partitions`}
          />
        </div>
      )}

      {dialog === "partitions" && (
        <Modal title={t("addTitle", { topic: topic.name })} onClose={close} testId="add-partitions-dialog">
          <p className="rounded-md bg-amber-50 p-3 text-amber-900" data-testid="ordering-warning">
            {t.rich("orderingWarning", { b: (c) => <b>{c}</b> })}
          </p>
          <label className="block">
            <span className="font-medium">{t("newTotal", { current })}</span>
            <input
              type="number"
              min={current + 1}
              value={count}
              onChange={(e) => setCount(e.target.value)}
              data-testid="partition-count"
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5"
            />
          </label>
          {countError && count.trim() !== "" && <p className="text-xs text-rose-700">{countError}</p>}
          {add.error && <p className="text-rose-700">{errorText(add.error)}</p>}
          <CliCommand
            command={sh`kafka-topics.sh --bootstrap-server ${bootstrap} --alter --topic ${topic.name} --partitions ${count}`}
          />
          <div className="flex justify-end gap-2">
            <button type="button" onClick={close} className="rounded-md border px-3 py-1.5">
              {t("cancel")}
            </button>
            <button
              type="button"
              disabled={Boolean(countError) || add.isPending}
              data-testid="add-partitions-submit"
              onClick={() => add.mutate(wanted, { onSuccess: close })}
              className="rounded-md bg-emerald-600 px-3 py-1.5 font-medium text-white disabled:opacity-50"
            >
              {add.isPending ? t("adding") : t("grow", { count })}
            </button>
          </div>
        </Modal>
      )}

      {dialog === "records" && <DeleteRecordsDialog cluster={cluster} topic={topic} onClose={close} />}

      {dialog === "delete" && (
        <Modal title={t("deleteTitle", { topic: topic.name })} onClose={close} testId="delete-dialog">
          <p>{t("deleteWarning", { count: current })}</p>
          <label className="block">
            <span>
              {t.rich("typeToConfirm", {
                topic: topic.name,
                code: (c) => <code className="font-semibold">{c}</code>,
              })}
            </span>
            <input
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              data-testid="delete-confirm-name"
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5 font-mono"
            />
          </label>
          {del.error && <p className="text-rose-700">{errorText(del.error)}</p>}
          <CliCommand command={sh`kafka-topics.sh --bootstrap-server ${bootstrap} --delete --topic ${topic.name}`} />
          <div className="flex justify-end gap-2">
            <button type="button" onClick={close} className="rounded-md border px-3 py-1.5">
              {t("cancel")}
            </button>
            <button
              type="button"
              disabled={typed !== topic.name || del.isPending}
              data-testid="delete-submit"
              onClick={() =>
                // mutateAsync settles even when this view has gone (the topic's page turns to "no
                // such topic" as soon as its query is dropped): the way back to the list must not depend on it.
                del
                  .mutateAsync(topic.name)
                  .then(() => router.push(`/clusters/${encodeURIComponent(cluster)}/topics`))
                  .catch(() => undefined)
              }
              className="rounded-md bg-rose-600 px-3 py-1.5 font-medium text-white disabled:opacity-50"
            >
              {del.isPending ? t("deleting") : t("deleteTopic")}
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
