"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useAddClusterMutation, useTestClusterMutation } from "@/lib/hooks/api/clusters";
import {
  addClusterSchema,
  type ClusterEntryInput,
  RUNTIME_SECRET_PREFIX,
  SASL_MECHANISMS,
  splitBootstrap,
} from "@/lib/schemas/clusters";
import type { ConnectionTestResult } from "@/lib/types";
import { SelectField, TextField } from "./form-fields";
import { useErrorText } from "./use-error-text";

interface Fields {
  id: string;
  name: string;
  bootstrap: string;
  readOnly: boolean;
  /** TLS to the brokers, with PEM file paths on the server's disk. */
  tls: boolean;
  tlsCa: string;
  tlsCert: string;
  tlsKey: string;
  tlsServername: string;
  /** "" for no SASL. */
  saslMechanism: "" | (typeof SASL_MECHANISMS)[number];
  saslUsername: string;
  saslPasswordEnv: string;
}

const empty: Fields = {
  id: "",
  name: "",
  bootstrap: "",
  readOnly: false,
  tls: false,
  tlsCa: "",
  tlsCert: "",
  tlsKey: "",
  tlsServername: "",
  saslMechanism: "",
  saslUsername: "",
  saslPasswordEnv: "",
};

/** A trimmed text field as an optional property: left out when empty. */
const opt = <K extends string>(key: K, value: string): Partial<Record<K, string>> =>
  value.trim() ? ({ [key]: value.trim() } as Record<K, string>) : {};

/** Where a schema issue is shown: "bootstrap" for any server of the list, else the field's dotted path. */
function issueKey(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "form";
  if (path[0] === "bootstrap") return "bootstrap";
  if (path[0] === "tls" && path.length === 1) return "tls.ca";
  return path.map(String).join(".");
}

/** The request body the fields make, or the first problem of each field (the route's own schema). */
function toEntry(f: Fields): { entry: ClusterEntryInput } | { errors: Record<string, string> } {
  const parsed = addClusterSchema.safeParse({
    id: f.id.trim(),
    ...(f.name.trim() ? { name: f.name.trim() } : {}),
    bootstrap: splitBootstrap(f.bootstrap),
    ...(f.readOnly ? { readOnly: true } : {}),
    ...(f.tls
      ? {
          tls: {
            ...opt("ca", f.tlsCa),
            ...opt("cert", f.tlsCert),
            ...opt("key", f.tlsKey),
            ...opt("servername", f.tlsServername),
          },
        }
      : {}),
    ...(f.saslMechanism
      ? {
          sasl: {
            mechanism: f.saslMechanism,
            username: f.saslUsername.trim(),
            passwordEnv: f.saslPasswordEnv.trim(),
          },
        }
      : {}),
  });
  if (parsed.success) return { entry: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issueKey(issue.path);
    errors[key] ??= issue.message;
  }
  return { errors };
}

/** Add a cluster at run time: test the connection step by step first, then add it. */
export function AddClusterForm() {
  const t = useTranslations("admin.clusters.add");
  const errorText = useErrorText();
  const router = useRouter();
  const [fields, setFields] = useState<Fields>(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  /** The result of the last test, and the body it was for: Add needs a passed test of these very fields. */
  const [tested, setTested] = useState<{ key: string; result: ConnectionTestResult } | null>(null);
  const test = useTestClusterMutation();
  const add = useAddClusterMutation();

  const current = toEntry(fields);
  const currentKey = "entry" in current ? JSON.stringify(current.entry) : null;
  const passed = tested !== null && tested.key === currentKey && tested.result.ok;

  /** The error keys each field clears when edited. */
  const errorKeys: Partial<Record<keyof Fields, string[]>> = {
    tls: ["tls.ca", "tls.cert", "tls.key", "tls.servername"],
    tlsCa: ["tls.ca"],
    tlsCert: ["tls.cert", "tls.key"],
    tlsKey: ["tls.key"],
    tlsServername: ["tls.servername"],
    saslMechanism: ["sasl.mechanism", "sasl.username", "sasl.passwordEnv"],
    saslUsername: ["sasl.username"],
    saslPasswordEnv: ["sasl.passwordEnv"],
  };
  const set = <K extends keyof Fields>(key: K, value: Fields[K]) => {
    setFields((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, ...Object.fromEntries((errorKeys[key] ?? [key]).map((k) => [k, ""])) }));
    // A refusal of the previous fields (a missing file, an unset variable) no longer applies.
    test.reset();
    add.reset();
  };

  const runTest = () => {
    if ("errors" in current) {
      setErrors(current.errors);
      return;
    }
    const key = JSON.stringify(current.entry);
    setTested(null);
    test.mutate(current.entry, { onSuccess: (result) => setTested({ key, result }) });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if ("errors" in current) {
      setErrors(current.errors);
      return;
    }
    if (!passed) return;
    const id = current.entry.id;
    add.mutate(current.entry, { onSuccess: () => router.push(`/clusters/${encodeURIComponent(id)}`) });
  };

  /** The props every text field shares: its value, setter, test id and the error under it. */
  const text = (
    key: Exclude<keyof Fields, "readOnly" | "tls" | "saslMechanism">,
    errorKey: string,
    testId: string,
  ) => ({
    value: fields[key],
    onChange: (v: string) => set(key, v),
    testId: `cluster-${testId}`,
    error: errors[errorKey] || undefined,
    errorTestId: `cluster-error-${errorKey}`,
  });

  return (
    <form onSubmit={submit} className="max-w-2xl space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <h2 className="text-lg font-semibold">{t("title")}</h2>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      <div className="grid grid-cols-2 gap-4">
        <TextField
          label={t("id")}
          placeholder="prod" // i18n-exempt: an example id
          {...text("id", "id", "id")}
        />
        <TextField
          label={t("name")}
          note={t("optional")}
          placeholder={t("namePlaceholder")}
          {...text("name", "name", "name")}
        />
      </div>
      <TextField
        label={t("bootstrap")}
        note={t("bootstrapNote")}
        placeholder="kafka-1.example.com:9092,kafka-2.example.com:9092" // i18n-exempt: example addresses
        mono
        {...text("bootstrap", "bootstrap", "bootstrap")}
      />
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={fields.readOnly}
          data-testid="cluster-read-only"
          onChange={(e) => set("readOnly", e.target.checked)}
        />
        {t("readOnly")}
      </label>

      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3" data-testid="cluster-tls-fields">
        <legend className="px-1 text-sm font-medium" translate="no">
          TLS
        </legend>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={fields.tls}
            data-testid="cluster-tls"
            onChange={(e) => set("tls", e.target.checked)}
          />
          {t("tlsConnect")}
        </label>
        {fields.tls && (
          <>
            <p className="text-xs text-slate-500">{t("tlsIntro")}</p>
            <TextField
              label={t("caFile")}
              note={t("optional")}
              placeholder="/etc/quorum/ca.pem" // i18n-exempt: an example path
              mono
              {...text("tlsCa", "tls.ca", "tls-ca")}
            />
            <div className="grid grid-cols-2 gap-4">
              <TextField
                label={t("certFile")}
                note={t("certNote")}
                placeholder="/etc/quorum/client.pem" // i18n-exempt: an example path
                mono
                {...text("tlsCert", "tls.cert", "tls-cert")}
              />
              <TextField
                label={t("keyFile")}
                note={t("keyNote")}
                placeholder="/etc/quorum/client.key" // i18n-exempt: an example path
                mono
                {...text("tlsKey", "tls.key", "tls-key")}
              />
            </div>
            <TextField
              label={t("serverName")}
              note={t("serverNameNote")}
              placeholder="kafka.example.com" // i18n-exempt: an example host
              mono
              {...text("tlsServername", "tls.servername", "tls-servername")}
            />
          </>
        )}
      </fieldset>

      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3" data-testid="cluster-sasl-fields">
        <legend className="px-1 text-sm font-medium" translate="no">
          SASL
        </legend>
        <SelectField
          label={t("mechanism")}
          value={fields.saslMechanism}
          onChange={(v) => set("saslMechanism", v as Fields["saslMechanism"])}
          testId="cluster-sasl-mechanism"
          error={errors["sasl.mechanism"] || undefined}
          errorTestId="cluster-error-sasl.mechanism"
          options={[{ value: "", label: t("none") }, ...SASL_MECHANISMS.map((m) => ({ value: m, label: m }))]}
        />
        {fields.saslMechanism && (
          <div className="grid grid-cols-2 gap-4">
            <TextField
              label={t("username")}
              autoComplete="off"
              {...text("saslUsername", "sasl.username", "sasl-username")}
            />
            <TextField
              label={t("passwordVariable")}
              placeholder={`${RUNTIME_SECRET_PREFIX}PROD`} // i18n-exempt: an example variable name
              autoComplete="off"
              mono
              {...text("saslPasswordEnv", "sasl.passwordEnv", "sasl-password-env")}
            />
            <p className="col-span-2 text-xs text-slate-500">
              {t.rich("passwordHint", {
                prefix: RUNTIME_SECRET_PREFIX,
                em: (c) => <em>{c}</em>,
                code: (c) => <code>{c}</code>,
              })}
            </p>
          </div>
        )}
      </fieldset>

      <div className="flex items-center gap-3">
        <button
          type="button"
          onClick={runTest}
          disabled={test.isPending}
          data-testid="cluster-test"
          className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-50"
        >
          {test.isPending ? t("testing") : t("test")}
        </button>
        <button
          type="submit"
          disabled={!passed || add.isPending}
          title={passed ? undefined : t("testFirst")}
          data-testid="cluster-add"
          className="rounded-md bg-emerald-600 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50"
        >
          {add.isPending ? t("adding") : t("submit")}
        </button>
      </div>

      {test.error && (
        <p className="rounded-md bg-rose-50 p-3 text-sm text-rose-800" data-testid="cluster-test-error">
          {errorText(test.error)}
        </p>
      )}
      {tested && (
        <ol
          className="space-y-1 rounded-md bg-slate-50 p-3 font-mono text-sm"
          data-testid="cluster-test-result"
          data-ok={tested.result.ok}
        >
          {tested.result.steps.map((s) => (
            <li
              key={s.step}
              data-testid={`cluster-test-step-${s.step}`}
              data-ok={s.ok}
              className={s.ok ? "text-emerald-800" : "text-rose-800"}
            >
              <span aria-hidden="true">{s.ok ? "✓" : "✗"}</span>
              <span className="sr-only">{s.ok ? t("passed") : t("failed")}</span> {s.message}{" "}
              <span className="text-xs text-slate-500">{t("ms", { ms: s.ms })}</span>
            </li>
          ))}
          {tested.key !== currentKey && <li className="text-xs text-slate-500">{t("changed")}</li>}
        </ol>
      )}
      {add.error && (
        <p className="rounded-md bg-rose-50 p-3 text-sm text-rose-800" data-testid="cluster-add-error">
          {errorText(add.error)}
        </p>
      )}
    </form>
  );
}
