"use client";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import type { Broker, BrokerStopProgress } from "@/lib/types";
import { BrokerActions } from "./broker-actions";
import { StatusBadge } from "./status-badge";
import { useFormat } from "./use-format";

export function BrokerCard({
  cluster,
  broker,
  controllable,
}: {
  cluster: string;
  broker: Broker;
  controllable: boolean;
}) {
  const t = useTranslations("brokers.card");
  return (
    <article
      data-testid={`broker-card-${broker.id}`}
      data-status={broker.status}
      className={`rounded-lg border bg-white p-4 shadow-sm ${broker.status === "down" ? "border-rose-300" : "border-slate-200"}`}
    >
      <header className="flex items-center justify-between">
        <h3 className="font-semibold">{t("title", { broker: broker.id })}</h3>
        <StatusBadge status={broker.status} testId={`broker-status-${broker.id}`} />
      </header>
      <p className="mt-1 font-mono text-sm text-slate-600">
        {broker.host}:{broker.port}
      </p>
      <dl className="mt-3 grid grid-cols-3 gap-2 text-sm">
        <div>
          <dt className="text-xs text-slate-500">{t("leaders")}</dt>
          <dd className="font-semibold tabular-nums" data-testid={`broker-leaders-${broker.id}`}>
            {broker.leaderCount}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">{t("replicas")}</dt>
          <dd className="font-semibold tabular-nums">{broker.replicaCount}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">{controllable ? t("pid") : t("rack")}</dt>
          <dd className="font-mono text-slate-700">{(controllable ? broker.pid : broker.rack) ?? "—"}</dd>
        </div>
      </dl>
      {broker.status === "stopping" && broker.stopping && <StopProgress id={broker.id} progress={broker.stopping} />}
      {controllable && (
        <div className="mt-3">
          <BrokerActions cluster={cluster} broker={broker} />
        </div>
      )}
    </article>
  );
}

/**
 * A graceful stop under way: how many of the leaderships the broker held when it began Kafka has
 * handed to other brokers so far, as the cluster's metadata shows them.
 */
function StopProgress({ id, progress }: { id: number; progress: BrokerStopProgress }) {
  const t = useTranslations("brokers.card.stopping");
  const count = useFormat().number;
  const b = (c: ReactNode) => <b className="tabular-nums">{c}</b>;
  const { leadersAtStart, leadersMoved, leadersLeft, leaderless } = progress;
  const done = leadersAtStart - leadersLeft;
  const share = leadersAtStart > 0 ? (100 * done) / leadersAtStart : 100;
  return (
    <div
      className="mt-3 rounded-md bg-amber-50 p-2 text-sm text-amber-900"
      data-testid={`broker-stop-progress-${id}`}
      data-left={leadersLeft}
      data-at-start={leadersAtStart}
    >
      <p>
        {leadersAtStart === 0
          ? t("ledNone")
          : leadersLeft === 0
            ? t.rich("handedOver", { count: count(leadersAtStart), b })
            : t.rich("moving", { moved: count(leadersMoved), count: count(leadersAtStart), b })}
        {leaderless > 0 && <span className="text-rose-700"> · {t("leaderless", { count: count(leaderless) })}</span>}
      </p>
      <div className="mt-1 h-1.5 rounded bg-amber-100" role="progressbar" aria-valuenow={Math.round(share)}>
        <div className="h-1.5 rounded bg-amber-500" style={{ width: `${share}%` }} />
      </div>
    </div>
  );
}
