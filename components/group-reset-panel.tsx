"use client";
import { useRouter } from "next/navigation";
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
import type { ConsumerGroupDetail, OffsetResetMode, OffsetResetReport } from "@/lib/types";
import { CliCommand } from "./cli-command";
import { DataTable } from "./data-table";
import { inputClass, SelectField, TextField } from "./form-fields";
import { formatNumber } from "./format";
import { Modal } from "./modal";

const button =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50";

const MODES: { value: OffsetResetMode; label: string }[] = [
  { value: "earliest", label: "Earliest (log start)" },
  { value: "latest", label: "Latest (log end)" },
  { value: "timestamp", label: "A date and time" },
  { value: "offset", label: "An absolute offset" },
  { value: "shift", label: "Shift by ±N" },
  { value: "group", label: "Another group's offsets" },
];

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
  const router = useRouter();
  const { readOnly: clusterReadOnly, reason: readOnlyReason } = useReadOnly(cluster);
  const may = useMay(cluster);
  // Resetting and deleting offsets is an operator's.
  const readOnly = clusterReadOnly || !may("operator");
  const reason = clusterReadOnly ? readOnlyReason : readOnly ? "Resetting offsets is an operator's" : undefined;
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
    parts === null
      ? "partitions: numbers separated by commas, e.g. 0,2"
      : parsed.success
        ? null
        : (parsed.error.issues[0]?.message ?? "not a valid reset");
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
        <h2 className="text-lg font-semibold">Reset offsets</h2>
        <div className="flex gap-2">
          <button
            type="button"
            className={`${button} border-rose-300 text-rose-700 hover:bg-rose-50`}
            data-testid="delete-group"
            disabled={readOnly || active}
            title={
              reason ?? (active ? "Kafka deletes only a group with no members: stop its consumers first" : undefined)
            }
            onClick={() => setDialog("delete")}
          >
            Delete group
          </button>
        </div>
      </div>
      <p className="text-sm text-slate-600">
        Kafka moves only an inactive group (no members). Preview first: nothing changes until you apply. Offsets outside
        a partition's log are moved to its start or end, as <code>kafka-consumer-groups</code> does.
      </p>
      {active && (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900" data-testid="reset-active-warning">
          This group has {group.members.length} active member(s) (
          {group.members.map((m) => `${m.clientId} on ${m.host}`).join(", ")}): you can preview, but applying is refused
          until they stop.
        </p>
      )}
      <div className="grid gap-3 md:grid-cols-4">
        <fieldset className="md:col-span-1">
          <legend className="text-sm font-medium text-slate-700">Topics</legend>
          <div className="mt-1 max-h-28 space-y-1 overflow-auto text-sm">
            {topics.length === 0 && <p className="text-slate-500">The group has committed no offsets.</p>}
            {topics.map((t) => (
              <label key={t} className="flex items-center gap-2 font-mono text-xs">
                <input
                  type="checkbox"
                  checked={chosen.includes(t)}
                  data-testid={`reset-topic-${t}`}
                  onChange={(e) => {
                    setChosen(e.target.checked ? [...chosen, t].sort() : chosen.filter((x) => x !== t));
                    changed();
                  }}
                />
                {t}
              </label>
            ))}
          </div>
        </fieldset>
        <TextField
          label="Partitions"
          note="(one topic; empty: all)"
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
          label="Reset to"
          value={mode}
          onChange={(v) => {
            setMode(v as OffsetResetMode);
            setValue("");
            changed();
          }}
          testId="reset-mode"
          errorTestId="reset-mode-error"
          options={MODES}
        />
        {mode === "timestamp" ? (
          <div>
            <label className="block text-sm font-medium text-slate-700" htmlFor="reset-timestamp">
              Date and time <span className="font-normal text-slate-500">(your local time)</span>
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
            label={mode === "offset" ? "Offset" : mode === "shift" ? "Shift by" : "From group"}
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
          {reset.isPending && !preview ? "Previewing…" : "Preview"}
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
          {reset.isPending && preview ? "Applying…" : `Apply to ${preview?.partitions.length ?? 0} partition(s)`}
        </button>
        {chosen.length === 1 && (
          <button
            type="button"
            className={`${button} border-rose-300 text-rose-700 hover:bg-rose-50`}
            data-testid="delete-offsets"
            disabled={readOnly || delOffsets.isPending}
            title={`Forget the group's committed offsets of ${chosen[0]} (OffsetDelete); refused while its members consume it`}
            onClick={() => setDialog("delete-offsets")}
          >
            Delete offsets of {chosen[0]}
          </button>
        )}
      </div>
      {reset.error && (
        <p className="text-sm text-rose-700" data-testid="reset-error">
          {reset.error.message}
        </p>
      )}
      {delOffsets.error && <p className="text-sm text-rose-700">{delOffsets.error.message}</p>}
      {delOffsets.data && (
        <div className="text-sm text-slate-700" data-testid="delete-offsets-result">
          Deleted the committed offsets of {delOffsets.data.topic} ({delOffsets.data.partitions.length} partition(s)).
          <CliCommand command={delOffsets.data.command} />
        </div>
      )}
      {(applied ?? preview) && <ResetTable report={(applied ?? preview) as OffsetResetReport} />}

      {dialog === "delete-offsets" && chosen[0] && (
        <Modal
          title={`Delete the offsets of ${chosen[0]}?`}
          onClose={() => setDialog(null)}
          testId="delete-offsets-dialog"
        >
          <p>
            Group <code>{group.groupId}</code> forgets where it is in <code>{chosen[0]}</code>: a consumer joining it
            starts that topic by its auto.offset.reset. Kafka refuses while the group&apos;s members consume the topic.
          </p>
          <CliCommand
            command={sh`kafka-consumer-groups.sh --bootstrap-server ${bootstrap} --group ${group.groupId} --delete-offsets --topic ${chosen[0]}`}
          />
          <div className="flex justify-end gap-2">
            <button type="button" onClick={() => setDialog(null)} className="rounded-md border px-3 py-1.5">
              Cancel
            </button>
            <button
              type="button"
              data-testid="delete-offsets-submit"
              disabled={delOffsets.isPending}
              onClick={() => chosen[0] && delOffsets.mutate(chosen[0], { onSettled: () => setDialog(null) })}
              className="rounded-md bg-rose-600 px-3 py-1.5 font-medium text-white disabled:opacity-50"
            >
              {delOffsets.isPending ? "Deleting…" : "Delete offsets"}
            </button>
          </div>
        </Modal>
      )}

      {dialog === "delete" && (
        <Modal title={`Delete group ${group.groupId}?`} onClose={() => setDialog(null)} testId="delete-group-dialog">
          <p>
            Its committed offsets on every topic are lost: a consumer joining it again starts by its auto.offset.reset.
          </p>
          <label className="block">
            <span>
              Type <code className="font-semibold">{group.groupId}</code> to confirm
            </span>
            <input
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              data-testid="delete-group-confirm"
              className={inputClass(false, true)}
            />
          </label>
          {delGroup.error && <p className="text-rose-700">{delGroup.error.message}</p>}
          <CliCommand
            command={sh`kafka-consumer-groups.sh --bootstrap-server ${bootstrap} --delete --group ${group.groupId}`}
          />
          <div className="flex justify-end gap-2">
            <button type="button" onClick={() => setDialog(null)} className="rounded-md border px-3 py-1.5">
              Cancel
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
              {delGroup.isPending ? "Deleting…" : "Delete group"}
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}

/** The preview's (or the applied reset's) rows: the columns of kafka-consumer-groups --dry-run, and lag. */
function ResetTable({ report }: { report: OffsetResetReport }) {
  return (
    <div className="space-y-2" data-testid={report.executed ? "reset-applied" : "reset-preview-result"}>
      <p className={`text-sm font-medium ${report.executed ? "text-emerald-700" : "text-slate-700"}`}>
        {report.executed
          ? `Committed ${report.partitions.length} offset(s).`
          : `Preview: nothing is changed until you apply.`}
      </p>
      <DataTable
        testId="reset-table"
        columns={[
          "Topic",
          { label: "Partition", numeric: true },
          { label: "Current offset", numeric: true },
          { label: "New offset", numeric: true },
          { label: "Lag before", numeric: true },
          { label: "Lag after", numeric: true },
          "Note",
        ]}
      >
        {report.partitions.map((p) => (
          <tr key={`${p.topic}-${p.partition}`} data-testid={`reset-row-${p.topic}-${p.partition}`}>
            <td className="px-4 py-2 font-mono">{p.topic}</td>
            <td className="px-4 py-2 text-right font-mono">{p.partition}</td>
            <td className="px-4 py-2 text-right tabular-nums">{formatNumber(p.currentOffset)}</td>
            <td className="px-4 py-2 text-right font-semibold tabular-nums" data-testid="new-offset">
              {formatNumber(p.newOffset)}
            </td>
            <td className="px-4 py-2 text-right tabular-nums">{formatNumber(p.lagBefore)}</td>
            <td className="px-4 py-2 text-right tabular-nums" data-testid="lag-after">
              {formatNumber(p.lagAfter)}
            </td>
            <td className={`px-4 py-2 text-xs ${p.clamped ? "text-amber-700" : "text-slate-500"}`}>{p.note ?? ""}</td>
          </tr>
        ))}
      </DataTable>
      {report.activeMembers.length > 0 && (
        <p className="text-sm text-amber-800" data-testid="reset-members">
          Cannot apply while the group has members:{" "}
          {report.activeMembers.map((m) => `${m.clientId} (${m.host})`).join(", ")}.
        </p>
      )}
      <CliCommand command={report.command} />
    </div>
  );
}
