"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useReadOnly } from "@/lib/hooks/api/clusters";
import { useMay } from "@/lib/hooks/api/session";
import { useAlterTopicConfigsMutation } from "@/lib/hooks/api/topics";
import { type ConfigProblem, checkTopicConfig, TOPIC_CONFIGS } from "@/lib/schemas/topics";
import { sh, type Verbatim } from "@/lib/shell-quote";
import type { TopicDetail } from "@/lib/types";
import { CliCommand } from "./cli-command";
import { DataTable } from "./data-table";
import { useErrorText } from "./use-error-text";

/** kafka-configs.sh splits --add-config at commas: a value that holds one goes in brackets. */
const addConfig = (name: string, value: string) => `${name}=${value.includes(",") ? `[${value}]` : value}`;

/** The topic's configs, with their source; the ones Quorum knows can be edited or reset to the default. */
export function TopicConfigs({
  cluster,
  detail,
  bootstrap,
}: {
  cluster: string;
  detail: TopicDetail;
  bootstrap: string | Verbatim;
}) {
  const t = useTranslations("topics.configs");
  const errorText = useErrorText();
  /** Why a value is refused, in the page's language (the API's English words, from the same problem). */
  const problemText = (name: string, p: ConfigProblem) =>
    t(`problem.${p.kind}`, {
      name,
      ...("min" in p ? { min: String(p.min), max: String(p.max) } : {}),
      ...("values" in p ? { values: p.values.join(", ") } : {}),
    });
  const [onlyChanged, setOnlyChanged] = useState(false);
  const [editing, setEditing] = useState<{ name: string; value: string } | null>(null);
  const [lastCommand, setLastCommand] = useState<string | null>(null);
  const alter = useAlterTopicConfigsMutation(cluster, detail.name);
  const { readOnly: clusterReadOnly } = useReadOnly(cluster);
  const may = useMay(cluster);
  // Altering configs is an operator's.
  const readOnly = clusterReadOnly || !may("operator");
  const rows = detail.configs.filter((c) => !onlyChanged || !c.isDefault);
  const check = editing ? checkTopicConfig(editing.name, editing.value) : null;
  const base = sh`kafka-configs.sh --bootstrap-server ${bootstrap} --entity-type topics --entity-name ${detail.name} --alter`;

  const save = (name: string, value: string | null) => {
    alter.mutate(
      { [name]: value },
      {
        onSuccess: () => {
          setEditing(null);
          setLastCommand(
            value === null
              ? `${base} ${sh`--delete-config ${name}`}`
              : `${base} ${sh`--add-config ${addConfig(name, value)}`}`,
          );
        },
      },
    );
  };

  return (
    <div className="space-y-2">
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={onlyChanged} onChange={(e) => setOnlyChanged(e.target.checked)} />
        {t("onlyChanged")}
      </label>
      {alter.error && <p className="text-sm text-rose-700">{errorText(alter.error)}</p>}
      {lastCommand && <CliCommand command={lastCommand} />}
      <DataTable testId="configs-table" columns={[t("columns.name"), t("columns.value"), t("columns.source"), ""]}>
        {rows.map((c) => {
          const editable = Boolean(TOPIC_CONFIGS[c.name]) && !c.readOnly && !readOnly;
          const isEditing = editing?.name === c.name;
          return (
            <tr key={c.name} data-testid={`config-${c.name}`}>
              <td className="px-4 py-1.5 font-mono">{c.name}</td>
              <td className={`px-4 py-1.5 font-mono ${c.isDefault ? "text-slate-500" : "font-semibold"}`}>
                {isEditing ? (
                  <span className="flex flex-col gap-1">
                    <input
                      value={editing.value}
                      onChange={(e) => setEditing({ name: c.name, value: e.target.value })}
                      data-testid={`config-input-${c.name}`}
                      className="w-56 rounded border border-slate-300 px-2 py-0.5"
                    />
                    {check && "problem" in check && (
                      <span className="text-xs text-rose-700">{problemText(c.name, check.problem)}</span>
                    )}
                  </span>
                ) : c.sensitive ? (
                  "••••••"
                ) : (
                  (c.value ?? "—")
                )}
              </td>
              <td className="px-4 py-1.5 text-xs">
                <span
                  className={`rounded px-1.5 py-0.5 ${c.isDefault ? "bg-slate-100 text-slate-600" : "bg-emerald-100 text-emerald-800"}`}
                >
                  {c.isDefault ? t("default") : c.source.toLowerCase().replaceAll("_", " ")}
                </span>
              </td>
              <td className="px-4 py-1.5 text-right text-xs">
                {isEditing ? (
                  <span className="flex justify-end gap-2">
                    <button
                      type="button"
                      disabled={!check || "error" in check || alter.isPending}
                      data-testid={`config-save-${c.name}`}
                      onClick={() => save(c.name, editing.value)}
                      className="rounded bg-emerald-600 px-2 py-0.5 font-medium text-white disabled:opacity-50"
                    >
                      {t("save")}
                    </button>
                    <button type="button" onClick={() => setEditing(null)} className="rounded border px-2 py-0.5">
                      {t("cancel")}
                    </button>
                  </span>
                ) : (
                  editable && (
                    <span className="flex justify-end gap-2">
                      <button
                        type="button"
                        data-testid={`config-edit-${c.name}`}
                        onClick={() => setEditing({ name: c.name, value: c.value ?? "" })}
                        className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50"
                      >
                        {t("edit")}
                      </button>
                      {!c.isDefault && c.source === "DYNAMIC_TOPIC_CONFIG" && (
                        <button
                          type="button"
                          onClick={() => save(c.name, null)}
                          className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50"
                        >
                          {t("reset")}
                        </button>
                      )}
                    </span>
                  )
                )}
              </td>
            </tr>
          );
        })}
      </DataTable>
    </div>
  );
}
