"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useReadOnly } from "@/lib/hooks/api/clusters";
import {
  useDeleteGroupMutation,
  useDeleteGroupOffsetsMutation,
  useResetOffsetsMutation,
} from "@/lib/hooks/api/group-actions";
import { useMay } from "@/lib/hooks/api/session";
import { type ResetOffsetsInput, resetOffsetsSchema } from "@/lib/schemas/groups";
import { sh, type Verbatim } from "@/lib/shell-quote";
import type { ConsumerGroupDetail, OffsetResetMode, OffsetResetPartition, OffsetResetReport } from "@/lib/types";
import { CliCommand } from "./cli-command";
import { DataTable } from "./data-table";
import { inputClass, SelectField, TextField } from "./form-fields";
import { Modal } from "./modal";
import { useErrorText } from "./use-error-text";
import { useFormat } from "./use-format";

const button =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50";

/** The modes in the order the select offers them (their words: the catalog's groups.reset.modes). */
const MODES: OffsetResetMode[] = ["earliest", "latest", "timestamp", "offset", "shift", "group"];

/** "0, 2" → [0, 2]; "" → undefined (every partition); anything else → null (refused). */
function parsePartitions(text: string): number[] | undefined | null {
  if (text.trim() === "") return undefined;
  const parts = text.split(",").map((s) => s.trim());
  if (!parts.every((p) => /^\d+$/.test(p))) return null;
  return [...new Set(parts.map(Number))];
}

/** A local date-time of a datetime-local input as ISO 8601 UTC, or the text as typed when it is not one. */
function isoOf(local: string): string {
  const ms = Date.parse(local);
  return Number.isNaN(ms) ? local : new Date(ms).toISOString();
}

/**
 * Reset offsets (preview, then apply), delete the group's offsets of a topic, delete the group: as
 * kafka-consumer-groups does them, each showing its command.
 */
export function GroupResetPanel({
  cluster,
  group,
  bootstrap,
}: {
  cluster: string;
  group: ConsumerGroupDetail;
  bootstrap: string | Verbatim;
}) {
  const t = useTranslations("groups.reset");
  const errorText = useErrorText();
  const router = useRouter();
  const { readOnly: clusterReadOnly, reason: readOnlyReason } = useReadOnly(cluster);
  const may = useMay(cluster);
  // Resetting and deleting offsets is an operator's.
  const readOnly = clusterReadOnly || !may("operator");
  const reason = clusterReadOnly ? readOnlyReason : readOnly ? t("operatorOnly") : undefined;
  const topics = [...new Set(group.offsets.map((o) => o.topic))].sort();
  const [chosen, setChosen] = useState<string[]>(topics.slice(0, 1));
  const [partitions, setPartitions] = useState("");
  const [mode, setMode] = useState<OffsetResetMode>("earliest");
  const [value, setValue] = useState("");
  const [preview, setPreview] = useState<OffsetResetReport | null>(null);
  const [applied, setApplied] = useState<OffsetResetReport | null>(null);
  const [dialog, setDialog] = useState<"delete" | "delete-offsets" | null>(null);
  const [typed, setTyped] = useState("");
  const reset = useResetOffsetsMutation(cluster, group.groupId);
  const delGroup = useDeleteGroupMutation(cluster, group.groupId);
  const delOffsets = useDeleteGroupOffsetsMutation(cluster, group.groupId);

  const parts = parsePartitions(partitions);
  const scope = chosen.map((topic) => (parts && chosen.length === 1 ? { topic, partitions: parts } : { topic }));
  const candidate = {
    topics: scope,
    mode,
    ...(mode === "timestamp" ? { timestamp: isoOf(value) } : {}),
    ...(mode === "offset" ? { offset: value.trim() === "" ? Number.NaN : Number(value) } : {}),
    ...(mode === "shift" ? { shift: value.trim() === "" ? Number.NaN : Number(value) } : {}),
    ...(mode === "group" ? { fromGroup: value } : {}),
  };
  const parsed = resetOffsetsSchema.safeParse(candidate);
  const inputError =
    parts === null ? t("partitionsError") : parsed.success ? null : (parsed.error.issues[0]?.message ?? t("invalid"));
  const input: ResetOffsetsInput | null = parsed.success && parts !== null ? parsed.data : null;
  const changed = () => {
    setPreview(null);
    setApplied(null);
    reset.reset();
  };
  const active = group.members.length > 0;

  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="reset-panel">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">{t("title")}</h2>
        <div className="flex gap-2">
          <button
            type="button"
            className={`${button} border-rose-300 text-rose-700 hover:bg-rose-50`}
            data-testid="delete-group"
            disabled={readOnly || active}
            title={reason ?? (active ? t("deleteGroupActive") : undefined)}
            onClick={() => setDialog("delete")}
          >
            {t("deleteGroup")}
          </button>
        </div>
      </div>
      <p className="text-sm text-slate-600">{t.rich("intro", { code: (c) => <code>{c}</code> })}</p>
      {active && (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900" data-testid="reset-active-warning">
          {t("activeWarning", {
            count: group.members.length,
            members: group.members.map((m) => t("memberOnHost", { client: m.clientId, host: m.host })).join(", "),
          })}
        </p>
      )}
      <div className="grid gap-3 md:grid-cols-4">
        <fieldset className="md:col-span-1">
          <legend className="text-sm font-medium text-slate-700">{t("topics")}</legend>
          <div className="mt-1 max-h-28 space-y-1 overflow-auto text-sm">
            {topics.length === 0 && <p className="text-slate-500">{t("noTopics")}</p>}
            {topics.map((topic) => (
              <label key={topic} className="flex items-center gap-2 font-mono text-xs">
                <input
                  type="checkbox"
                  checked={chosen.includes(topic)}
                  data-testid={`reset-topic-${topic}`}
                  onChange={(e) => {
                    setChosen(e.target.checked ? [...chosen, topic].sort() : chosen.filter((x) => x !== topic));
                    changed();
                  }}
                />
                {topic}
              </label>
            ))}
          </div>
        </fieldset>
        <TextField
          label={t("partitions")}
          note={t("partitionsNote")}
          value={partitions}
          onChange={(v) => {
            setPartitions(v);
            changed();
          }}
          placeholder="0,2"
          testId="reset-partitions"
          errorTestId="reset-partitions-error"
          disabled={chosen.length !== 1}
          mono
        />
        <SelectField
          label={t("resetTo")}
          value={mode}
          onChange={(v) => {
            setMode(v as OffsetResetMode);
            setValue("");
            changed();
          }}
          testId="reset-mode"
          errorTestId="reset-mode-error"
          options={MODES.map((m) => ({ value: m, label: t(`modes.${m}`) }))}
        />
        {mode === "timestamp" ? (
          <div>
            <label className="block text-sm font-medium text-slate-700" htmlFor="reset-timestamp">
              {t("dateTime")} <span className="font-normal text-slate-500">{t("localTime")}</span>
            </label>
            <input
              id="reset-timestamp"
              type="datetime-local"
              step="1"
              value={value}
              onChange={(e) => {
                setValue(e.target.value);
                changed();
              }}
              data-testid="reset-timestamp"
              className={inputClass(false, true)}
            />
          </div>
        ) : mode === "offset" || mode === "shift" || mode === "group" ? (
          <TextField
            label={t(`value.${mode}`)}
            value={value}
            onChange={(v) => {
              setValue(v);
              changed();
            }}
            placeholder={mode === "offset" ? "0" : mode === "shift" ? "-100" : "other-group"}
            testId="reset-value"
            errorTestId="reset-value-error"
            mono
          />
        ) : (
          <div />
        )}
      </div>
      {inputError && (value !== "" || mode === "earliest" || mode === "latest") && (
        <p className="text-xs text-rose-700" data-testid="reset-input-error">
          {inputError}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={button}
          data-testid="reset-preview"
          disabled={!input || reset.isPending}
          onClick={() =>
            input &&
            reset.mutate(
              { ...input, execute: false },
              {
                onSuccess: (r) => {
                  setPreview(r);
                  setApplied(null);
                },
              },
            )
          }
        >
          {reset.isPending && !preview ? t("previewing") : t("preview")}
        </button>
        <button
          type="button"
          className="rounded-md bg-amber-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
          data-testid="reset-apply"
          disabled={
            !input || !preview || applied !== null || readOnly || reset.isPending || preview.activeMembers.length > 0
          }
          title={reason}
          onClick={() => input && reset.mutate({ ...input, execute: true }, { onSuccess: setApplied })}
        >
          {reset.isPending && preview ? t("applying") : t("apply", { count: preview?.partitions.length ?? 0 })}
        </button>
        {chosen.length === 1 && (
          <button
            type="button"
            className={`${button} border-rose-300 text-rose-700 hover:bg-rose-50`}
            data-testid="delete-offsets"
            disabled={readOnly || delOffsets.isPending}
            title={t("deleteOffsetsTitle", { topic: chosen[0] ?? "" })}
            onClick={() => setDialog("delete-offsets")}
          >
            {t("deleteOffsets", { topic: chosen[0] ?? "" })}
          </button>
        )}
      </div>
      {reset.error && (
        <p className="text-sm text-rose-700" data-testid="reset-error">
          {errorText(reset.error)}
        </p>
      )}
      {delOffsets.error && <p className="text-sm text-rose-700">{errorText(delOffsets.error)}</p>}
      {delOffsets.data && (
        <div className="text-sm text-slate-700" data-testid="delete-offsets-result">
          {t("deletedOffsets", { topic: delOffsets.data.topic ?? "", count: delOffsets.data.partitions.length })}
          <CliCommand command={delOffsets.data.command} />
        </div>
      )}
      {(applied ?? preview) && (
        <ResetTable report={(applied ?? preview) as OffsetResetReport} fromGroup={mode === "group" ? value : ""} />
      )}

      {dialog === "delete-offsets" && chosen[0] && (
        <Modal
          title={t("deleteOffsetsDialog.title", { topic: chosen[0] })}
          onClose={() => setDialog(null)}
          testId="delete-offsets-dialog"
        >
          <p>
            {t.rich("deleteOffsetsDialog.body", {
              group: group.groupId,
              topic: chosen[0],
              code: (c) => <code>{c}</code>,
            })}
          </p>
          <CliCommand
            command={sh`kafka-consumer-groups.sh --bootstrap-server ${bootstrap} --group ${group.groupId} --delete-offsets --topic ${chosen[0]}`}
          />
          <div className="flex justify-end gap-2">
            <button type="button" onClick={() => setDialog(null)} className="rounded-md border px-3 py-1.5">
              {t("cancel")}
            </button>
            <button
              type="button"
              data-testid="delete-offsets-submit"
              disabled={delOffsets.isPending}
              onClick={() => chosen[0] && delOffsets.mutate(chosen[0], { onSettled: () => setDialog(null) })}
              className="rounded-md bg-rose-600 px-3 py-1.5 font-medium text-white disabled:opacity-50"
            >
              {delOffsets.isPending ? t("deleting") : t("deleteOffsetsDialog.submit")}
            </button>
          </div>
        </Modal>
      )}

      {dialog === "delete" && (
        <Modal
          title={t("deleteGroupDialog.title", { group: group.groupId })}
          onClose={() => setDialog(null)}
          testId="delete-group-dialog"
        >
          <p>{t("deleteGroupDialog.body")}</p>
          <label className="block">
            <span>
              {t.rich("deleteGroupDialog.confirm", {
                group: group.groupId,
                code: (c) => <code className="font-semibold">{c}</code>,
              })}
            </span>
            <input
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              data-testid="delete-group-confirm"
              className={inputClass(false, true)}
            />
          </label>
          {delGroup.error && <p className="text-rose-700">{errorText(delGroup.error)}</p>}
          <CliCommand
            command={sh`kafka-consumer-groups.sh --bootstrap-server ${bootstrap} --delete --group ${group.groupId}`}
          />
          <div className="flex justify-end gap-2">
            <button type="button" onClick={() => setDialog(null)} className="rounded-md border px-3 py-1.5">
              {t("cancel")}
            </button>
            <button
              type="button"
              disabled={typed !== group.groupId || delGroup.isPending}
              data-testid="delete-group-submit"
              onClick={() =>
                delGroup.mutate(undefined, {
                  onSuccess: () => router.push(`/clusters/${encodeURIComponent(cluster)}/consumer-groups`),
                })
              }
              className="rounded-md bg-rose-600 px-3 py-1.5 font-medium text-white disabled:opacity-50"
            >
              {delGroup.isPending ? t("deleting") : t("deleteGroupDialog.submit")}
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}

/** The preview's (or the applied reset's) rows: the columns of kafka-consumer-groups --dry-run, and lag. */
function ResetTable({ report, fromGroup }: { report: OffsetResetReport; fromGroup: string }) {
  const t = useTranslations("groups.reset");
  const f = useFormat();
  /** How the new offset was found, from the row's numbers (the server's note, in English, when none fits). */
  const note = (p: OffsetResetPartition) => {
    if (p.note === null) return "";
    if (p.clamped === "log-start")
      return t("notes.beforeStart", { requested: p.requestedOffset, start: p.logStartOffset });
    if (p.clamped === "log-end") return t("notes.pastEnd", { requested: p.requestedOffset, end: p.logEndOffset });
    if (report.mode === "timestamp") return t("notes.noMessage");
    if (report.mode === "group" && fromGroup) return t("notes.noSourceOffset", { group: fromGroup });
    return p.note;
  };
  return (
    <div className="space-y-2" data-testid={report.executed ? "reset-applied" : "reset-preview-result"}>
      <p className={`text-sm font-medium ${report.executed ? "text-emerald-700" : "text-slate-700"}`}>
        {report.executed ? t("table.applied", { count: report.partitions.length }) : t("table.preview")}
      </p>
      <DataTable
        testId="reset-table"
        columns={[
          t("table.columns.topic"),
          { label: t("table.columns.partition"), numeric: true },
          { label: t("table.columns.currentOffset"), numeric: true },
          { label: t("table.columns.newOffset"), numeric: true },
          { label: t("table.columns.lagBefore"), numeric: true },
          { label: t("table.columns.lagAfter"), numeric: true },
          t("table.columns.note"),
        ]}
      >
        {report.partitions.map((p) => (
          <tr key={`${p.topic}-${p.partition}`} data-testid={`reset-row-${p.topic}-${p.partition}`}>
            <td className="px-4 py-2 font-mono">{p.topic}</td>
            <td className="px-4 py-2 text-right font-mono">{p.partition}</td>
            <td className="px-4 py-2 text-right tabular-nums">{f.number(p.currentOffset)}</td>
            <td className="px-4 py-2 text-right font-semibold tabular-nums" data-testid="new-offset">
              {f.number(p.newOffset)}
            </td>
            <td className="px-4 py-2 text-right tabular-nums">{f.number(p.lagBefore)}</td>
            <td className="px-4 py-2 text-right tabular-nums" data-testid="lag-after">
              {f.number(p.lagAfter)}
            </td>
            <td className={`px-4 py-2 text-xs ${p.clamped ? "text-amber-700" : "text-slate-500"}`}>{note(p)}</td>
          </tr>
        ))}
      </DataTable>
      {report.activeMembers.length > 0 && (
        <p className="text-sm text-amber-800" data-testid="reset-members">
          {t("table.members", {
            members: report.activeMembers
              .map((m) => t("table.memberHost", { client: m.clientId, host: m.host }))
              .join(", "),
          })}
        </p>
      )}
      <CliCommand command={report.command} />
    </div>
  );
}
