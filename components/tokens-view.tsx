"use client";
import { type FormEvent, useState } from "react";
import { type MadeToken, useCreateTokenMutation, useRevokeTokenMutation, useTokensQuery } from "@/lib/hooks/api/tokens";
import { ROLES, type Role } from "@/lib/schemas/auth";
import { ErrorPanel } from "./error-panel";

const when = (ms: number | null) => (ms === null ? "—" : new Date(ms).toLocaleString());

/** API tokens for scripts: each carries one grant of its own, is shown once when made, and can be revoked. */
export function TokensView() {
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
      { onSuccess: (t) => setMade(t) },
    );
  };
  const input = "rounded-md border border-slate-300 px-2 py-1 text-sm";
  if (tokens.error) return <ErrorPanel error={tokens.error} />;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">API tokens</h1>
      <p className="text-sm text-slate-600">
        A token lets a script call Quorum's API as <code>Authorization: Bearer qrm_…</code>, with the role it carries on
        the clusters it names. Quorum keeps only a hash of it: copy it when it is shown.
      </p>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" data-testid="token-form">
        <label className="space-y-1 text-xs text-slate-600">
          <span className="block">Name</span>
          <input
            className={input}
            value={name}
            required
            onChange={(e) => setName(e.target.value)}
            data-testid="token-name"
          />
        </label>
        <label className="space-y-1 text-xs text-slate-600">
          <span className="block">Role</span>
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
          <span className="block">Clusters (ids or patterns, comma-separated)</span>
          <input className={input} value={clusters} onChange={(e) => setClusters(e.target.value)} />
        </label>
        <label className="space-y-1 text-xs text-slate-600">
          <span className="block">Expires in days (empty: never)</span>
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
          Make token
        </button>
        {create.error && <p className="w-full text-sm text-rose-700">{create.error.message}</p>}
      </form>
      {made && (
        <div
          className="space-y-1 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm"
          data-testid="token-made"
        >
          <p className="font-medium text-emerald-900">
            Token "{made.name}" ({made.grant.role} on {made.grant.clusters.join(", ")}): shown this once.
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
              <th className="px-3 py-2">Name</th>
              <th className="px-3 py-2">Role</th>
              <th className="px-3 py-2">Clusters</th>
              <th className="px-3 py-2">Made by</th>
              <th className="px-3 py-2">Made</th>
              <th className="px-3 py-2">Last used</th>
              <th className="px-3 py-2">Expires</th>
              <th className="px-3 py-2" />
            </tr>
          </thead>
          <tbody>
            {(tokens.data ?? []).map((t) => (
              <tr key={t.id} className="border-b border-slate-100" data-testid="token-row">
                <td className="px-3 py-2 font-mono text-xs">{t.name}</td>
                <td className="px-3 py-2">{t.grant.role}</td>
                <td className="px-3 py-2">{t.grant.clusters.join(", ")}</td>
                <td className="px-3 py-2">{t.createdBy}</td>
                <td className="px-3 py-2 tabular-nums">{when(t.createdAt)}</td>
                <td className="px-3 py-2 tabular-nums">{when(t.lastUsedAt)}</td>
                <td className="px-3 py-2 tabular-nums">{when(t.expiresAt)}</td>
                <td className="px-3 py-2 text-right">
                  {t.revokedAt !== null ? (
                    <span className="text-slate-500">revoked {when(t.revokedAt)}</span>
                  ) : (
                    <button
                      type="button"
                      onClick={() => revoke.mutate(t.id)}
                      data-testid={`token-revoke-${t.name}`}
                      className="rounded-md border border-rose-300 px-2 py-0.5 text-xs text-rose-700 hover:bg-rose-50"
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {tokens.data?.length === 0 && (
              <tr>
                <td colSpan={8} className="px-3 py-6 text-center text-slate-500">
                  No token yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
