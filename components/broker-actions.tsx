"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { fetchStopImpact, useStartBrokerMutation, useStopBrokerMutation } from "@/lib/hooks/api/brokers";
import { useReadOnly } from "@/lib/hooks/api/clusters";
import { useMay } from "@/lib/hooks/api/session";
import { sh, verbatim } from "@/lib/shell-quote";
import type { Broker, StopImpact } from "@/lib/types";
import { CliCommand } from "./cli-command";
import { Modal } from "./modal";
import { useErrorText } from "./use-error-text";

type Mode = "graceful" | "kill";

/**
 * Stop (controlled shutdown), kill (crash) and start for one broker of a cluster Quorum runs. A stop
 * that would leave partitions without a leader, or no broker up, asks first and says what goes offline.
 */
export function BrokerActions({
  cluster,
  broker,
  compact = false,
}: {
  cluster: string;
  broker: Broker;
  compact?: boolean;
}) {
  const t = useTranslations("brokers.actions");
  const errorText = useErrorText();
  const stop = useStopBrokerMutation(cluster);
  const start = useStartBrokerMutation(cluster);
  const { readOnly, reason } = useReadOnly(cluster);
  const may = useMay(cluster);
  const [lastAction, setLastAction] = useState<Mode | "start" | null>(null);
  const [confirming, setConfirming] = useState<{ mode: Mode; impact: StopImpact } | null>(null);
  const [checking, setChecking] = useState(false);
  const busy =
    readOnly ||
    stop.isPending ||
    start.isPending ||
    checking ||
    broker.status === "starting" ||
    broker.status === "stopping";
  const error = stop.error ?? start.error;
  const size = compact ? "px-2 py-0.5 text-xs" : "px-3 py-1.5 text-sm";

  const requestStop = async (mode: Mode) => {
    setLastAction(mode);
    setChecking(true);
    try {
      const impact = await fetchStopImpact(cluster, broker.id);
      if (impact.lastBrokerUp || impact.goesOffline.length > 0) setConfirming({ mode, impact });
      else stop.mutate({ id: broker.id, mode });
    } catch {
      stop.mutate({ id: broker.id, mode });
    } finally {
      setChecking(false);
    }
  };

  const command =
    lastAction === "kill"
      ? sh`kill -9 ${broker.pid ?? verbatim("<broker pid>")}`
      : lastAction === "start"
        ? sh`kafka-server-start.sh ${`broker-${broker.id}/server.properties`}`
        : `kafka-server-stop.sh   # SIGTERM to broker ${broker.id}: controlled shutdown`;

  // Stopping, killing and starting brokers is an admin's.
  if (!may("admin")) return null;

  return (
    <div>
      <div className="flex gap-2">
        {broker.status === "down" ? (
          <button
            type="button"
            data-testid={`broker-start-${broker.id}`}
            disabled={busy}
            title={reason}
            onClick={() => {
              setLastAction("start");
              start.mutate({ id: broker.id });
            }}
            className={`rounded-md bg-emerald-600 font-medium text-white hover:bg-emerald-700 disabled:opacity-50 ${size}`}
          >
            {t("start")}
          </button>
        ) : (
          <>
            <button
              type="button"
              data-testid={`broker-stop-${broker.id}`}
              disabled={busy}
              title={reason}
              onClick={() => void requestStop("graceful")}
              className={`rounded-md border border-slate-300 bg-white font-medium hover:bg-slate-50 disabled:opacity-50 ${size}`}
            >
              {t("stop")}
            </button>
            <button
              type="button"
              data-testid={`broker-kill-${broker.id}`}
              disabled={busy}
              title={reason}
              onClick={() => void requestStop("kill")}
              className={`rounded-md border border-rose-300 bg-white font-medium text-rose-700 hover:bg-rose-50 disabled:opacity-50 ${size}`}
            >
              {t("kill")}
            </button>
          </>
        )}
      </div>
      {error && <p className="mt-2 text-sm text-rose-700">{errorText(error)}</p>}
      {!compact && lastAction && <CliCommand command={command} />}
      {confirming && (
        <Modal
          title={t("confirmTitle", { broker: broker.id })}
          onClose={() => setConfirming(null)}
          testId="confirm-stop"
        >
          {confirming.impact.lastBrokerUp ? (
            <p>{t.rich("lastBrokerUp", { broker: broker.id, b: (c) => <b>{c}</b> })}</p>
          ) : (
            <>
              <p>{t.rich("goesOffline", { count: confirming.impact.goesOffline.length, b: (c) => <b>{c}</b> })}</p>
              <ul
                className="max-h-40 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs"
                data-testid="goes-offline"
              >
                {confirming.impact.goesOffline.map((p) => (
                  <li key={`${p.topic}-${p.partition}`}>
                    {p.topic}-{p.partition}
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className="flex justify-end gap-2 pt-2">
            <button type="button" onClick={() => setConfirming(null)} className="rounded-md border px-3 py-1.5">
              {t("cancel")}
            </button>
            <button
              type="button"
              data-testid="confirm-stop-button"
              onClick={() => {
                stop.mutate({ id: broker.id, mode: confirming.mode, confirm: true });
                setConfirming(null);
              }}
              className="rounded-md bg-rose-600 px-3 py-1.5 font-medium text-white hover:bg-rose-700"
            >
              {confirming.mode === "kill" ? t("killAnyway") : t("stopAnyway")}
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
