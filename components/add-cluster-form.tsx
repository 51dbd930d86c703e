"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import {
  useAddClusterMutation,
  useClustersQuery,
  useRemoveClusterMutation,
  useTestClusterMutation,
} from "@/lib/hooks/api/clusters";
import {
  addClusterSchema,
  type ClusterEntryInput,
  RUNTIME_SECRET_PREFIX,
  SASL_MECHANISMS,
  splitBootstrap,
} from "@/lib/schemas/clusters";
import type { ClusterOrigin, ClusterSummary, ConnectionTestResult } from "@/lib/types";
import { ReadOnlyBadge } from "./read-only-badge";

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

/** How a cluster is reached, in a few words: TLS, and SASL's mechanism and user (never a secret). */
export function securityWords(c: ClusterSummary): string {
  if (c.security) {
    const parts = [c.security.tls ? "TLS" : null];
    if (c.security.sasl) parts.push(`SASL ${c.security.sasl.mechanism} as ${c.security.sasl.username}`);
    return parts.filter(Boolean).join(" · ");
  }
  return c.sasl ? "plaintext; SASL_SSL listener too" : "plaintext";
}

const originWords: Record<ClusterOrigin, string> = {
  embedded: "Quorum's own lab",
  env: "QUORUM_CLUSTERS",
  "config-file": "config file",
  runtime: "added here",
};

/** Add a cluster at run time: test the connection step by step first, then add it. */
export function AddClusterForm() {
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

  const input = "mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm";
  const fieldError = (key: string) =>
    errors[key] ? (
      <span className="mt-1 block text-xs text-rose-700" data-testid={`cluster-error-${key}`}>
        {errors[key]}
      </span>
    ) : null;

  return (
    <form onSubmit={submit} className="max-w-2xl space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <h2 className="text-lg font-semibold">Add a cluster</h2>
      <p className="text-sm text-slate-600">
        Quorum reaches it by its bootstrap servers, in plaintext or with TLS and SASL. It is kept in the data directory
        (secrets by name only) and comes back after a restart.
      </p>
      <div className="grid grid-cols-2 gap-4">
        <label className="block text-sm font-medium">
          Id
          <input
            className={input}
            value={fields.id}
            placeholder="prod"
            data-testid="cluster-id"
            onChange={(e) => set("id", e.target.value)}
          />
          {fieldError("id")}
        </label>
        <label className="block text-sm font-medium">
          Name <span className="font-normal text-slate-500">(optional)</span>
          <input
            className={input}
            value={fields.name}
            placeholder="Production"
            data-testid="cluster-name"
            onChange={(e) => set("name", e.target.value)}
          />
          {fieldError("name")}
        </label>
      </div>
      <label className="block text-sm font-medium">
        Bootstrap servers <span className="font-normal text-slate-500">(host:port, separated by commas)</span>
        <input
          className={`${input} font-mono`}
          value={fields.bootstrap}
          placeholder="kafka-1.example.com:9092,kafka-2.example.com:9092"
          data-testid="cluster-bootstrap"
          onChange={(e) => set("bootstrap", e.target.value)}
        />
        {fieldError("bootstrap")}
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={fields.readOnly}
          data-testid="cluster-read-only"
          onChange={(e) => set("readOnly", e.target.checked)}
        />
        Read-only: Quorum browses this cluster but refuses every change (topics, configs, elections)
      </label>

      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3" data-testid="cluster-tls-fields">
        <legend className="px-1 text-sm font-medium">TLS</legend>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={fields.tls}
            data-testid="cluster-tls"
            onChange={(e) => set("tls", e.target.checked)}
          />
          Connect with TLS (SSL or SASL_SSL listener)
        </label>
        {fields.tls && (
          <>
            <p className="text-xs text-slate-500">
              PEM files on the Quorum server's disk (absolute, or relative to where Quorum runs). Without a CA file, the
              system's CAs are trusted.
            </p>
            <label className="block text-sm font-medium">
              CA certificate file <span className="font-normal text-slate-500">(optional)</span>
              <input
                className={`${input} font-mono`}
                value={fields.tlsCa}
                placeholder="/etc/quorum/ca.pem"
                data-testid="cluster-tls-ca"
                onChange={(e) => set("tlsCa", e.target.value)}
              />
              {fieldError("tls.ca")}
            </label>
            <div className="grid grid-cols-2 gap-4">
              <label className="block text-sm font-medium">
                Client certificate file <span className="font-normal text-slate-500">(mutual TLS)</span>
                <input
                  className={`${input} font-mono`}
                  value={fields.tlsCert}
                  placeholder="/etc/quorum/client.pem"
                  data-testid="cluster-tls-cert"
                  onChange={(e) => set("tlsCert", e.target.value)}
                />
                {fieldError("tls.cert")}
              </label>
              <label className="block text-sm font-medium">
                Client key file <span className="font-normal text-slate-500">(with the certificate)</span>
                <input
                  className={`${input} font-mono`}
                  value={fields.tlsKey}
                  placeholder="/etc/quorum/client.key"
                  data-testid="cluster-tls-key"
                  onChange={(e) => set("tlsKey", e.target.value)}
                />
                {fieldError("tls.key")}
              </label>
            </div>
            <label className="block text-sm font-medium">
              Server name{" "}
              <span className="font-normal text-slate-500">(optional: when the certificate names another host)</span>
              <input
                className={`${input} font-mono`}
                value={fields.tlsServername}
                placeholder="kafka.example.com"
                data-testid="cluster-tls-servername"
                onChange={(e) => set("tlsServername", e.target.value)}
              />
              {fieldError("tls.servername")}
            </label>
          </>
        )}
      </fieldset>

      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3" data-testid="cluster-sasl-fields">
        <legend className="px-1 text-sm font-medium">SASL</legend>
        <label className="block text-sm font-medium">
          Mechanism
          <select
            className={input}
            value={fields.saslMechanism}
            data-testid="cluster-sasl-mechanism"
            onChange={(e) => set("saslMechanism", e.target.value as Fields["saslMechanism"])}
          >
            <option value="">None</option>
            {SASL_MECHANISMS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          {fieldError("sasl.mechanism")}
        </label>
        {fields.saslMechanism && (
          <div className="grid grid-cols-2 gap-4">
            <label className="block text-sm font-medium">
              Username
              <input
                className={input}
                value={fields.saslUsername}
                autoComplete="off"
                data-testid="cluster-sasl-username"
                onChange={(e) => set("saslUsername", e.target.value)}
              />
              {fieldError("sasl.username")}
            </label>
            <label className="block text-sm font-medium">
              Password variable
              <input
                className={`${input} font-mono`}
                value={fields.saslPasswordEnv}
                placeholder={`${RUNTIME_SECRET_PREFIX}PROD`}
                autoComplete="off"
                data-testid="cluster-sasl-password-env"
                onChange={(e) => set("saslPasswordEnv", e.target.value)}
              />
              {fieldError("sasl.passwordEnv")}
            </label>
            <p className="col-span-2 text-xs text-slate-500">
              The password is never typed here: give the <em>name</em> of an environment variable of the Quorum server
              that holds it, starting with <code>{RUNTIME_SECRET_PREFIX}</code>.
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
          {test.isPending ? "Testing…" : "Test connection"}
        </button>
        <button
          type="submit"
          disabled={!passed || add.isPending}
          title={passed ? undefined : "Test the connection first: Add is enabled once every step passes"}
          data-testid="cluster-add"
          className="rounded-md bg-emerald-600 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50"
        >
          {add.isPending ? "Adding…" : "Add cluster"}
        </button>
      </div>

      {test.error && (
        <p className="rounded-md bg-rose-50 p-3 text-sm text-rose-800" data-testid="cluster-test-error">
          {test.error.message}
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
              <span className="sr-only">{s.ok ? "passed:" : "failed:"}</span> {s.message}{" "}
              <span className="text-xs text-slate-500">({s.ms} ms)</span>
            </li>
          ))}
          {tested.key !== currentKey && (
            <li className="text-xs text-slate-500">The fields changed since this test: test again to add.</li>
          )}
        </ol>
      )}
      {add.error && (
        <p className="rounded-md bg-rose-50 p-3 text-sm text-rose-800" data-testid="cluster-add-error">
          {add.error.message}
        </p>
      )}
    </form>
  );
}

/** Every cluster Quorum knows, where it comes from, and a remove action for those added here. */
export function ClusterList() {
  const clusters = useClustersQuery();
  const remove = useRemoveClusterMutation();
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <div className="max-w-5xl space-y-2">
      <h2 className="text-lg font-semibold">Clusters</h2>
      {remove.error && (
        <p className="rounded-md bg-rose-50 p-3 text-sm text-rose-800" data-testid="cluster-remove-error">
          {remove.error.message}
        </p>
      )}
      <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm">
        <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500">
          <tr>
            <th className="px-4 py-2">Id</th>
            <th className="px-4 py-2">Bootstrap servers</th>
            <th className="px-4 py-2">Security</th>
            <th className="px-4 py-2">From</th>
            <th className="px-4 py-2" />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {clusters.data?.map((c) => (
            <tr key={c.id} data-testid={`cluster-row-${c.id}`}>
              <td className="px-4 py-2">
                <Link href={`/clusters/${encodeURIComponent(c.id)}`} className="font-medium text-emerald-700">
                  {c.id}
                </Link>
                {c.name !== c.id && <span className="ml-2 text-slate-500">{c.name}</span>}
                {c.readOnly && (
                  <span className="ml-2">
                    <ReadOnlyBadge />
                  </span>
                )}
              </td>
              <td className="px-4 py-2 font-mono text-xs">{c.bootstrap.join(", ")}</td>
              <td
                className="whitespace-nowrap px-4 py-2 text-xs text-slate-600"
                data-testid={`cluster-security-${c.id}`}
              >
                {securityWords(c)}
              </td>
              <td className="whitespace-nowrap px-4 py-2 text-slate-600">{originWords[c.origin]}</td>
              <td className="px-4 py-2 text-right">
                {c.origin !== "runtime" ? (
                  <span className="text-xs text-slate-400">
                    {c.origin === "embedded" ? "" : `remove it from ${originWords[c.origin]}`}
                  </span>
                ) : confirming === c.id ? (
                  <span className="flex justify-end gap-2">
                    <button
                      type="button"
                      data-testid={`cluster-remove-confirm-${c.id}`}
                      disabled={remove.isPending}
                      onClick={() => remove.mutate(c.id, { onSettled: () => setConfirming(null) })}
                      className="rounded border border-rose-300 px-2 py-0.5 text-rose-700 hover:bg-rose-50"
                    >
                      Remove {c.id}
                    </button>
                    <button
                      type="button"
                      onClick={() => setConfirming(null)}
                      className="rounded border border-slate-300 px-2 py-0.5"
                    >
                      Cancel
                    </button>
                  </span>
                ) : (
                  <button
                    type="button"
                    data-testid={`cluster-remove-${c.id}`}
                    onClick={() => setConfirming(c.id)}
                    className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50"
                  >
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
