"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { ApiError } from "@/lib/api-client";
import { useReadOnly } from "@/lib/hooks/api/clusters";
import { useMay } from "@/lib/hooks/api/session";
import { usePauseGroupMutation, useWorkloadMutation, useWorkloadQuery } from "@/lib/hooks/api/workload";
import { useFormat } from "./use-format";

/**
 * The demo groups' paces as the server words them (server/workload/demo.ts), and their keys in
 * overview.workload.pace; a pace not listed is shown as the server wrote it.
 */
const PACES: Record<string, string> = {
  "keeps up": "keepsUp",
  "slow: a quarter of the clicks rate": "slowQuarter",
  "keeps up until paused": "keepsUpUntilPaused",
  "keeps up: Kafka's console consumer, group.protocol=consumer": "keepsUpConsole",
};

/** The demo workload: producer rate, groups (one slow, one pausable, one on the KIP-848 protocol), start/stop. */
export function WorkloadPanel({ cluster }: { cluster: string }) {
  const workload = useWorkloadQuery(cluster);
  const toggle = useWorkloadMutation(cluster);
  const pause = usePauseGroupMutation(cluster);
  const { readOnly: clusterReadOnly, reason: readOnlyReason } = useReadOnly(cluster);
  const may = useMay(cluster);
  const t = useTranslations("overview.workload");
  const format = useFormat();
  // The workload is an admin's to start, stop and tune.
  const readOnly = clusterReadOnly || !may("admin");
  const reason = clusterReadOnly ? readOnlyReason : readOnly ? t("adminOnly") : undefined;
  if (workload.error instanceof ApiError && workload.error.status === 409) return null;
  const w = workload.data;
  if (!w) return null;
  const root = `/clusters/${encodeURIComponent(cluster)}`;
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" data-testid="workload-panel">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="font-semibold">
          {t("title")}{" "}
          <span
            className={`ml-1 text-sm font-normal ${w.running ? "text-emerald-700" : "text-slate-500"}`}
            data-testid="workload-state"
          >
            {w.running ? t("running", { rate: String(w.rate) }) : w.starting ? t("starting") : t("stopped")}
          </span>
        </h2>
        <button
          type="button"
          data-testid="workload-toggle"
          disabled={toggle.isPending || readOnly}
          title={reason}
          onClick={() => toggle.mutate(w.running || w.starting ? "stop" : "start")}
          className="rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-50 disabled:opacity-50"
        >
          {toggle.isPending ? "…" : w.running || w.starting ? t("stop") : t("start")}
        </button>
      </div>
      <p className="mt-1 text-sm text-slate-600">
        {t("produced", { count: format.number(w.produced), topics: w.topics.map((x) => x.topic).join(", ") })}
        {w.producerErrors > 0 && (
          <span className="text-amber-700"> · {t("failedSends", { count: format.number(w.producerErrors) })}</span>
        )}
        {w.lastError && !w.running && (
          <span className="text-rose-700">
            {" "}
            · {w.lastError}
            {w.starting && ` (${t("tryingAgain")})`}
          </span>
        )}
      </p>
      <ul className="mt-2 flex flex-wrap gap-3 text-sm">
        {w.groups.map((g) => (
          <li key={g.groupId} className="flex items-center gap-2 rounded-md bg-slate-50 px-3 py-1.5">
            <Link
              href={`${root}/consumer-groups/${g.groupId}`}
              className="font-medium text-emerald-700 hover:underline"
            >
              {g.groupId}
            </Link>
            <span className="text-xs text-slate-500">
              {g.topic} · {g.paused ? t("paused") : PACES[g.pace] ? t(`pace.${PACES[g.pace]}`) : g.pace}
            </span>
            {w.running && g.pausable && (
              <button
                type="button"
                data-testid={`workload-pause-${g.groupId}`}
                disabled={readOnly}
                title={reason}
                onClick={() => pause.mutate({ group: g.groupId, paused: !g.paused })}
                className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-white"
              >
                {g.paused ? t("resume") : t("pause")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
