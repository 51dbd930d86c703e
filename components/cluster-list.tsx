"use client";
import Link from "next/link";
import { useState } from "react";
import { useClustersQuery, useRemoveClusterMutation } from "@/lib/hooks/api/clusters";
import type { ClusterOrigin, ClusterSummary } from "@/lib/types";
import { ReadOnlyBadge } from "./read-only-badge";

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
