"use client";
import { useTranslations } from "next-intl";
import { type ReactNode, useState } from "react";
import { ApiError } from "@/lib/api-client";
import { useControllerMutation, useRecreateLabMutation } from "@/lib/hooks/api/brokers";
import { useClusterQuery, useQuorumQuery, useReadOnly } from "@/lib/hooks/api/clusters";
import { useMay } from "@/lib/hooks/api/session";
import { StatusBadge } from "./status-badge";
import { useErrorText } from "./use-error-text";
import { useFormat } from "./use-format";

/**
 * The KRaft controller quorum: n voters tolerate ⌊(n−1)/2⌋ failures. Who leads the metadata log,
 * its epoch and high watermark, each voter's lag; for a lab, each controller can be stopped, killed
 * and started, and losing the majority is said with what it stops.
 */
export function ControllerQuorum({ cluster }: { cluster: string }) {
  const quorum = useQuorumQuery(cluster);
  const summary = useClusterQuery(cluster);
  const may = useMay(cluster);
  const { readOnly, reason } = useReadOnly(cluster);
  const act = useControllerMutation(cluster);
  const t = useTranslations("ops.quorum");
  const errorText = useErrorText();
  const { number: formatNumber } = useFormat();
  const [confirm, setConfirm] = useState<{ id: number; mode: "graceful" | "kill"; error: ApiError } | null>(null);
  const q = quorum.data;
  if (!q || q.voters.length === 0) return null;
  const n = q.voters.length;
  const tolerates = Math.floor((n - 1) / 2);
  const controls = (summary.data?.controllable ?? false) && may("admin") && !readOnly;
  const run = (id: number, action: "graceful" | "kill" | "start", confirmed = false) =>
    act.mutate(
      { id, action, confirm: confirmed },
      {
        onError: (err) => {
          if (err instanceof ApiError && err.code === "confirmation_required" && action !== "start")
            setConfirm({ id, mode: action, error: err });
        },
        onSuccess: () => setConfirm(null),
      },
    );

  return (
    <section data-testid="controller-quorum">
      <h2 className="mb-1 text-lg font-semibold">
        {t("heading")}{" "}
        <span className="text-sm font-normal text-slate-600">
          {t("headingDetail", { n, tolerates, needed: q.needed })}
        </span>
      </h2>
      <p className="mb-3 text-sm text-slate-700" data-testid="quorum-summary">
        {q.leader === null
          ? t("noLeader")
          : t.rich(q.state === "ok" ? "leads" : "wasLeading", {
              leader: q.leader,
              epoch: formatNumber(q.epoch),
              highWatermark: formatNumber(q.highWatermark),
              b: (c: ReactNode) => <b>{c}</b>,
            })}
      </p>
      {q.state === "lost" && (
        <div
          className="mb-3 rounded-md border border-rose-200 bg-rose-50 p-3 text-sm text-rose-900"
          data-testid="quorum-lost"
        >
          {t.rich("lost", { up: q.up ?? "", n, needed: q.needed, b: (c) => <b>{c}</b> })}
        </div>
      )}
      <div className="flex flex-wrap gap-3">
        {q.voters.map((v) => (
          <div
            key={v.id}
            data-testid={`controller-${v.id}`}
            className="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm"
          >
            <div className="flex items-center gap-3">
              <span className="font-semibold">{t("controller", { id: v.id })}</span>
              {v.id === q.leader && (
                <span className="rounded bg-violet-100 px-1.5 py-0.5 text-xs font-medium text-violet-800">
                  {q.state === "ok" ? t("leader") : t("lastLeader")}
                </span>
              )}
              {v.status && <StatusBadge status={v.status} />}
            </div>
            <div className="mt-1 text-xs text-slate-600" data-testid={`controller-lag-${v.id}`}>
              {t("lag", { logEndOffset: formatNumber(v.logEndOffset), lag: formatNumber(v.lag) })}
            </div>
            {controls && (
              <div className="mt-2 flex gap-2">
                {v.status === "down" ? (
                  <button
                    type="button"
                    onClick={() => run(v.id, "start")}
                    disabled={act.isPending}
                    className="rounded-md bg-emerald-600 px-2 py-0.5 text-xs font-medium text-white disabled:opacity-50"
                    data-testid={`controller-start-${v.id}`}
                  >
                    {t("start")}
                  </button>
                ) : (
                  <>
                    <button
                      type="button"
                      onClick={() => run(v.id, "graceful")}
                      disabled={act.isPending || v.status !== "up"}
                      title={reason}
                      className="rounded-md border border-slate-300 px-2 py-0.5 text-xs disabled:opacity-50"
                      data-testid={`controller-stop-${v.id}`}
                    >
                      {t("stop")}
                    </button>
                    <button
                      type="button"
                      onClick={() => run(v.id, "kill")}
                      disabled={act.isPending || v.status !== "up"}
                      className="rounded-md border border-rose-300 px-2 py-0.5 text-xs text-rose-700 disabled:opacity-50"
                      data-testid={`controller-kill-${v.id}`}
                    >
                      {t("kill")}
                    </button>
                  </>
                )}
              </div>
            )}
          </div>
        ))}
      </div>
      {confirm && (
        <div
          className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm"
          data-testid="controller-confirm"
        >
          <p>{errorText(confirm.error).replace(' Send "confirm": true to go ahead.', "")}</p>
          <div className="mt-2 flex gap-2">
            <button
              type="button"
              onClick={() => {
                run(confirm.id, confirm.mode, true);
                setConfirm(null);
              }}
              className="rounded-md bg-rose-600 px-3 py-1 text-xs font-medium text-white"
              data-testid="controller-confirm-button"
            >
              {t(confirm.mode === "kill" ? "killAnyway" : "stopAnyway", { id: confirm.id })}
            </button>
            <button type="button" onClick={() => setConfirm(null)} className="rounded-md border px-3 py-1 text-xs">
              {t("cancel")}
            </button>
          </div>
        </div>
      )}
      {act.error && !confirm && <p className="mt-2 text-sm text-rose-700">{errorText(act.error)}</p>}
      {controls && <RecreateLab cluster={cluster} voters={n} />}
    </section>
  );
}

/** Starts the lab over at a chosen size, e.g. with three controllers for the quorum lab. */
function RecreateLab({ cluster, voters }: { cluster: string; voters: number }) {
  const recreate = useRecreateLabMutation(cluster);
  const t = useTranslations("ops.recreate");
  const errorText = useErrorText();
  const [brokers, setBrokers] = useState(3);
  const [controllers, setControllers] = useState<1 | 3>(voters === 1 ? 3 : 1);
  const [asking, setAsking] = useState(false);
  return (
    <div className="mt-4 rounded-md border border-slate-200 bg-white p-3 text-sm" data-testid="lab-recreate">
      <p className="text-slate-600">
        {voters === 1 ? t("oneController") : t("otherSize")} {t("fresh")}
      </p>
      <div className="mt-2 flex flex-wrap items-end gap-3">
        <label>
          <span className="block text-xs font-medium">{t("brokers")}</span>
          <input
            type="number"
            min={1}
            max={9}
            value={brokers}
            onChange={(e) => setBrokers(Number(e.target.value))}
            className="mt-1 w-16 rounded-md border border-slate-300 px-2 py-1"
            data-testid="lab-recreate-brokers"
          />
        </label>
        <label>
          <span className="block text-xs font-medium">{t("controllers")}</span>
          <select
            value={controllers}
            onChange={(e) => setControllers(Number(e.target.value) === 3 ? 3 : 1)}
            className="mt-1 rounded-md border border-slate-300 px-2 py-1"
            data-testid="lab-recreate-controllers"
          >
            <option value={1}>1</option>
            <option value={3}>3</option>
          </select>
        </label>
        {asking ? (
          <>
            <button
              type="button"
              onClick={() => {
                recreate.mutate({ brokers, controllers });
                setAsking(false);
              }}
              className="rounded-md bg-rose-600 px-3 py-1 text-xs font-medium text-white"
              data-testid="lab-recreate-confirm"
            >
              {t("confirm", { brokers, controllers })}
            </button>
            <button type="button" onClick={() => setAsking(false)} className="rounded-md border px-3 py-1 text-xs">
              {t("cancel")}
            </button>
          </>
        ) : (
          <button
            type="button"
            onClick={() => setAsking(true)}
            disabled={recreate.isPending || !(brokers >= 1 && brokers <= 9)}
            className="rounded-md border border-slate-300 px-3 py-1 text-xs disabled:opacity-50"
            data-testid="lab-recreate-start"
          >
            {t("start")}
          </button>
        )}
      </div>
      {recreate.isSuccess && (
        <p className="mt-2 text-emerald-800" data-testid="lab-recreate-started">
          {t("started")}
        </p>
      )}
      {recreate.error && <p className="mt-2 text-rose-700">{errorText(recreate.error)}</p>}
    </div>
  );
}
