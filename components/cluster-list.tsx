"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useClustersQuery, useRemoveClusterMutation } from "@/lib/hooks/api/clusters";
import type { ClusterOrigin, ClusterSummary } from "@/lib/types";
import { ReadOnlyBadge } from "./read-only-badge";
import { useErrorText } from "./use-error-text";

type Translate = (key: string, values?: Record<string, string | number>) => string;

/**
 * How a cluster is reached, in a few words: TLS, and SASL's mechanism and user (never a secret).
 * `t`: the catalog's admin.clusters.list.
 */
export function securityWords(c: ClusterSummary, t: Translate): string {
  if (c.security) {
    const parts = [c.security.tls ? "TLS" : null];
    if (c.security.sasl)
      parts.push(t("sasl", { mechanism: c.security.sasl.mechanism, user: c.security.sasl.username }));
    return parts.filter(Boolean).join(" · ");
  }
  return c.sasl ? t("plaintextSaslToo") : t("plaintext");
}

/** Where a cluster comes from: its key under admin.clusters.list.origin. */
const ORIGIN_KEYS: Record<ClusterOrigin, string> = {
  embedded: "embedded",
  env: "env",
  "config-file": "configFile",
  runtime: "runtime",
};

/** Every cluster Quorum knows, where it comes from, and a remove action for those added here. */
export function ClusterList() {
  const t = useTranslations("admin.clusters.list");
  const errorText = useErrorText();
  const origin = (o: ClusterOrigin) => t(`origin.${ORIGIN_KEYS[o]}`);
  const clusters = useClustersQuery();
  const remove = useRemoveClusterMutation();
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <div className="max-w-5xl space-y-2">
      <h2 className="text-lg font-semibold">{t("title")}</h2>
      {remove.error && (
        <p className="rounded-md bg-rose-50 p-3 text-sm text-rose-800" data-testid="cluster-remove-error">
          {errorText(remove.error)}
        </p>
      )}
      <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm">
        <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500">
          <tr>
            <th className="px-4 py-2">{t("columns.id")}</th>
            <th className="px-4 py-2">{t("columns.bootstrap")}</th>
            <th className="px-4 py-2">{t("columns.security")}</th>
            <th className="px-4 py-2">{t("columns.from")}</th>
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
                {securityWords(c, t)}
              </td>
              <td className="whitespace-nowrap px-4 py-2 text-slate-600">{origin(c.origin)}</td>
              <td className="px-4 py-2 text-right">
                {c.origin !== "runtime" ? (
                  <span className="text-xs text-slate-400">
                    {c.origin === "embedded" ? "" : t("removeFrom", { origin: origin(c.origin) })}
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
                      {t("removeId", { id: c.id })}
                    </button>
                    <button
                      type="button"
                      onClick={() => setConfirming(null)}
                      className="rounded border border-slate-300 px-2 py-0.5"
                    >
                      {t("cancel")}
                    </button>
                  </span>
                ) : (
                  <button
                    type="button"
                    data-testid={`cluster-remove-${c.id}`}
                    onClick={() => setConfirming(c.id)}
                    className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50"
                  >
                    {t("remove")}
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
