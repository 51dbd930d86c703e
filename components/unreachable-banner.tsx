"use client";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useClusterQuery } from "@/lib/hooks/api/clusters";

/** Said on every page of a cluster while no broker answers; it goes away by itself when one does. */
export function UnreachableBanner({ cluster }: { cluster: string }) {
  const summary = useClusterQuery(cluster);
  const t = useTranslations("common.unreachable");
  const s = summary.data;
  if (!s || (s.status !== "unreachable" && s.status !== "stopped")) return null;
  const next = s.controllable ? t("startBroker") : t("checkRunning");
  const b = (c: ReactNode) => <b>{c}</b>;
  return (
    <div
      role="status"
      data-testid="cluster-unreachable"
      className="rounded-lg border border-rose-300 bg-rose-50 p-4 text-sm text-rose-900"
    >
      {s.message ? t.rich("bodyWithReason", { b, next, reason: s.message }) : t.rich("body", { b, next })}
    </div>
  );
}
