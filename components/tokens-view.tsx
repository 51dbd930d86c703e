"use client";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { type MadeToken, useCreateTokenMutation, useRevokeTokenMutation, useTokensQuery } from "@/lib/hooks/api/tokens";
import { ROLES, type Role } from "@/lib/schemas/auth";
import { ErrorPanel } from "./error-panel";
import { useErrorText } from "./use-error-text";
import { useFormat } from "./use-format";

/** API tokens for scripts: each carries one grant of its own, is shown once when made, and can be revoked. */
export function TokensView() {
  const t = useTranslations("admin.tokens");
  const f = useFormat();
  const errorText = useErrorText();
  const when = (ms: number | null) => (ms === null ? "—" : f.dateTime(ms));
  const tokens = useTokensQuery();
  const create = useCreateTokenMutation();
  const revoke = useRevokeTokenMutation();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [clusters, setClusters] = useState("*");
  const [days, setDays] = useState("");
  const [made, setMade] = useState<MadeToken | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        name: name.trim(),
        role,
        clusters: clusters
          .split(",")
          .map((c) => c.trim())
          .filter(Boolean),
        ...(days.trim() ? { expiresInDays: Number(days) } : {}),
      },
      { onSuccess: (token) => setMade(token) },
    );
  };
  const input = "rounded-md border border-slate-300 px-2 py-1 text-sm";
  if (tokens.error) return <ErrorPanel error={tokens.error} />;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      <p className="text-sm text-slate-600">{t.rich("intro", { code: (c) => <code>{c}</code> })}</p>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" data-testid="token-form">
        <label className="space-y-1 text-xs text-slate-600">
          <span className="block">{t("name")}</span>
          <input
            className={input}
            value={name}
            required
            onChange={(e) => setName(e.target.value)}
            data-testid="token-name"
          />
        </label>
        <label className="space-y-1 text-xs text-slate-600">
          <span className="block">{t("role")}</span>
          <select
            className={input}
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            data-testid="token-role"
          >
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label className="space-y-1 text-xs text-slate-600">
          <span className="block">{t("clusters")}</span>
          <input className={input} value={clusters} onChange={(e) => setClusters(e.target.value)} />
        </label>
        <label className="space-y-1 text-xs text-slate-600">
          <span className="block">{t("expires")}</span>
          <input
            className={`${input} w-24`}
            value={days}
            inputMode="numeric"
            onChange={(e) => setDays(e.target.value)}
          />
        </label>
        <button
          type="submit"
          disabled={create.isPending}
          data-testid="token-create"
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-50"
        >
          {t("make")}
        </button>
        {create.error && <p className="w-full text-sm text-rose-700">{errorText(create.error)}</p>}
      </form>
      {made && (
        <div
          className="space-y-1 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm"
          data-testid="token-made"
        >
          <p className="font-medium text-emerald-900">
            {t("made", { name: made.name, role: made.grant.role, clusters: made.grant.clusters.join(", ") })}
          </p>
          <code className="block break-all font-mono text-xs" data-testid="token-value">
            {made.token}
          </code>
        </div>
      )}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" data-testid="token-table">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-3 py-2">{t("columns.name")}</th>
              <th className="px-3 py-2">{t("columns.role")}</th>
              <th className="px-3 py-2">{t("columns.clusters")}</th>
              <th className="px-3 py-2">{t("columns.createdBy")}</th>
              <th className="px-3 py-2">{t("columns.created")}</th>
              <th className="px-3 py-2">{t("columns.lastUsed")}</th>
              <th className="px-3 py-2">{t("columns.expires")}</th>
              <th className="px-3 py-2" />
            </tr>
          </thead>
          <tbody>
            {(tokens.data ?? []).map((token) => (
              <tr key={token.id} className="border-b border-slate-100" data-testid="token-row">
                <td className="px-3 py-2 font-mono text-xs">{token.name}</td>
                <td className="px-3 py-2">{token.grant.role}</td>
                <td className="px-3 py-2">{token.grant.clusters.join(", ")}</td>
                <td className="px-3 py-2">{token.createdBy}</td>
                <td className="px-3 py-2 tabular-nums">{when(token.createdAt)}</td>
                <td className="px-3 py-2 tabular-nums">{when(token.lastUsedAt)}</td>
                <td className="px-3 py-2 tabular-nums">{when(token.expiresAt)}</td>
                <td className="px-3 py-2 text-right">
                  {token.revokedAt !== null ? (
                    <span className="text-slate-500">{t("revoked", { when: when(token.revokedAt) })}</span>
                  ) : (
                    <button
                      type="button"
                      onClick={() => revoke.mutate(token.id)}
                      data-testid={`token-revoke-${token.name}`}
                      className="rounded-md border border-rose-300 px-2 py-0.5 text-xs text-rose-700 hover:bg-rose-50"
                    >
                      {t("revoke")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {tokens.data?.length === 0 && (
              <tr>
                <td colSpan={8} className="px-3 py-6 text-center text-slate-500">
                  {t("none")}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
