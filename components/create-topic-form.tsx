"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useMemo, useState } from "react";
import { ApiError } from "@/lib/api-client";
import { useBrokersQuery, useClusterQuery, useReadOnly } from "@/lib/hooks/api/clusters";
import { useCreateTopicMutation, useTopicSearchQuery } from "@/lib/hooks/api/topics";
import { useDebounced } from "@/lib/hooks/use-debounced";
import { LIST_LIMIT_MAX } from "@/lib/schemas/lists";
import { type CreateTopicInput, collidingTopic, createTopicSchema } from "@/lib/schemas/topics";
import { sh, verbatim } from "@/lib/shell-quote";
import { CliCommand } from "./cli-command";
import { SelectField, TextField } from "./form-fields";
import { useErrorText } from "./use-error-text";

interface Fields {
  name: string;
  partitions: string;
  replicationFactor: string;
  retentionMs: string;
  cleanupPolicy: string;
  minInsyncReplicas: string;
}

/** The longest part of `name` between '.' and '_': what every name colliding with it contains. */
function collisionProbe(name: string): string {
  return name.split(/[._]/).reduce((a, b) => (b.length > a.length ? b : a), "");
}

const toNumber = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

function toInput(f: Fields): CreateTopicInput {
  const configs: Record<string, string> = {};
  if (f.retentionMs.trim()) configs["retention.ms"] = f.retentionMs.trim();
  if (f.cleanupPolicy) configs["cleanup.policy"] = f.cleanupPolicy;
  if (f.minInsyncReplicas.trim()) configs["min.insync.replicas"] = f.minInsyncReplicas.trim();
  return {
    name: f.name.trim(),
    partitions: toNumber(f.partitions),
    replicationFactor: toNumber(f.replicationFactor),
    ...(Object.keys(configs).length > 0 ? { configs } : {}),
  };
}

/** The form field a validation issue belongs to. */
function fieldOf(path: PropertyKey[]): string {
  if (path[0] === "configs") return String(path[1] ?? "configs");
  return String(path[0] ?? "form");
}

export function CreateTopicForm({ cluster }: { cluster: string }) {
  const t = useTranslations("topics.createForm");
  const errorText = useErrorText();
  const router = useRouter();
  const summary = useClusterQuery(cluster);
  const brokers = useBrokersQuery(cluster);
  const create = useCreateTopicMutation(cluster);
  const { readOnly, reason } = useReadOnly(cluster);
  const brokersUp = brokers.data?.filter((b) => b.status === "up").length ?? 3;
  const [fields, setFields] = useState<Fields>({
    name: "",
    partitions: "3",
    replicationFactor: String(Math.min(3, Math.max(1, brokersUp))),
    retentionMs: "",
    cleanupPolicy: "",
    minInsyncReplicas: "",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  // Each field's key in the API's errors: the config names are Kafka's and label their fields as written.
  const errorKeys: Record<keyof Fields, string> = {
    name: "name",
    partitions: "partitions",
    replicationFactor: "replicationFactor",
    retentionMs: "retention.ms",
    cleanupPolicy: "cleanup.policy",
    minInsyncReplicas: "min.insync.replicas",
  };
  const setField = (k: keyof Fields, value: string) => {
    setFields({ ...fields, [k]: value });
    const { [errorKeys[k]]: _fixed, ...rest } = errors;
    setErrors(rest);
  };

  // A colliding name equals this one with '.' and '_' swapped, so it contains this name's longest
  // run without either: the server's search for that run finds every candidate, not the whole list.
  const name = useDebounced(fields.name.trim(), 150);
  const topics = useTopicSearchQuery(cluster, collisionProbe(name), LIST_LIMIT_MAX, true);
  const collision = useMemo(
    () =>
      name
        ? collidingTopic(
            name,
            (topics.data?.items ?? []).map((t) => t.name),
          )
        : null,
    [name, topics.data],
  );
  const input = toInput(fields);
  const bootstrap = summary.data?.bootstrap[0] ?? verbatim("<bootstrap>");
  const cli = [
    sh`kafka-topics.sh --bootstrap-server ${bootstrap} --create --topic ${input.name || verbatim("<name>")}`,
    sh`--partitions ${fields.partitions || verbatim("?")} --replication-factor ${fields.replicationFactor || verbatim("?")}`,
    ...Object.entries(input.configs ?? {}).map(([k, v]) => sh`--config ${`${k}=${v}`}`),
  ].join(" ");

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const parsed = createTopicSchema.safeParse(input);
    const next: Record<string, string> = {};
    if (!parsed.success) {
      // The route's own schema, checked here first: its refusals read as the API's would (code's words first).
      for (const issue of parsed.error.issues)
        next[fieldOf(issue.path)] ??= errorText(new ApiError(400, "validation_failed", issue.message));
    } else if (parsed.data.replicationFactor > brokersUp) {
      next.replicationFactor = t("replicationFactorTooHigh", {
        rf: parsed.data.replicationFactor,
        brokers: brokersUp,
      });
    }
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    create.mutate(input, {
      onSuccess: (topic) =>
        router.push(`/clusters/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(topic.name)}`),
      onError: (err) => {
        if (err instanceof ApiError && err.field) setErrors({ [err.field]: errorText(err) });
        else setFormError(errorText(err));
      },
    });
  };

  /** The props of one text field: its value, setter, test id and the error (or hint) under it. */
  const field = (key: keyof Fields, hint: string) => ({
    value: fields[key],
    onChange: (v: string) => setField(key, v),
    testId: `field-${errorKeys[key]}`,
    error: errors[errorKeys[key]] || undefined,
    errorTestId: `error-${errorKeys[key]}`,
    hint,
  });

  return (
    <form onSubmit={onSubmit} className="max-w-2xl space-y-5" noValidate data-testid="create-topic-form">
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
      {/* i18n-exempt: the placeholder is an example topic name, as one is typed */}
      <TextField label={t("name")} placeholder="orders" autoFocus {...field("name", t("nameHint"))} />
      {collision && (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900" data-testid="collision-warning">
          {t.rich("collision", { topic: collision, code: (c) => <code>{c}</code> })}
        </p>
      )}
      <div className="grid grid-cols-2 gap-4">
        <TextField label={t("partitions")} type="number" min={1} {...field("partitions", t("partitionsHint"))} />
        <TextField
          label={t("replicationFactor")}
          type="number"
          min={1}
          {...field("replicationFactor", t("replicationFactorHint", { brokers: brokersUp }))}
        />
      </div>
      <fieldset className="space-y-3 rounded-lg border border-slate-200 p-4">
        <legend className="px-1 text-sm font-medium text-slate-700">{t("commonConfigs")}</legend>
        <TextField
          label={errorKeys.retentionMs}
          placeholder={t("retentionPlaceholder")}
          {...field("retentionMs", t("retentionHint"))}
        />
        <SelectField
          label={errorKeys.cleanupPolicy}
          value={fields.cleanupPolicy}
          onChange={(v) => setField("cleanupPolicy", v)}
          testId="field-cleanup.policy"
          error={errors["cleanup.policy"] || undefined}
          errorTestId="error-cleanup.policy"
          options={[
            { value: "", label: t("cleanupDefault") },
            // Kafka's own values of cleanup.policy, as written in a config.
            ...["delete", "compact", "delete,compact"].map((policy) => ({ value: policy, label: policy })),
          ]}
        />
        <TextField
          label={errorKeys.minInsyncReplicas}
          placeholder="1"
          type="number"
          min={1}
          {...field("minInsyncReplicas", t("minInsyncHint"))}
        />
      </fieldset>
      <CliCommand command={cli} />
      {formError && (
        <p className="rounded-md bg-rose-50 p-3 text-sm text-rose-800" data-testid="form-error">
          {formError}
        </p>
      )}
      <div className="flex gap-3">
        <button
          type="submit"
          disabled={create.isPending || readOnly}
          title={reason}
          data-testid="create-topic-submit"
          className="rounded-md bg-emerald-600 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50"
        >
          {create.isPending ? t("creating") : t("submit")}
        </button>
        <button
          type="button"
          onClick={() => router.back()}
          className="rounded-md border border-slate-300 px-4 py-2 text-sm"
        >
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}
