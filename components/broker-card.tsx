"use client";
import type { Broker, BrokerStopProgress } from "@/lib/types";
import { BrokerActions } from "./broker-actions";
import { StatusBadge } from "./status-badge";

export function BrokerCard({
  cluster,
  broker,
  controllable,
}: {
  cluster: string;
  broker: Broker;
  controllable: boolean;
}) {
  return (
    <article
      data-testid={`broker-card-${broker.id}`}
      data-status={broker.status}
      className={`rounded-lg border bg-white p-4 shadow-sm ${broker.status === "down" ? "border-rose-300" : "border-slate-200"}`}
    >
      <header className="flex items-center justify-between">
        <h3 className="font-semibold">Broker {broker.id}</h3>
        <StatusBadge status={broker.status} testId={`broker-status-${broker.id}`} />
      </header>
      <p className="mt-1 font-mono text-sm text-slate-600">
        {broker.host}:{broker.port}
      </p>
      <dl className="mt-3 grid grid-cols-3 gap-2 text-sm">
        <div>
          <dt className="text-xs text-slate-500">Leaders</dt>
          <dd className="font-semibold tabular-nums" data-testid={`broker-leaders-${broker.id}`}>
            {broker.leaderCount}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Replicas</dt>
          <dd className="font-semibold tabular-nums">{broker.replicaCount}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">{controllable ? "PID" : "Rack"}</dt>
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

const count = (n: number) => n.toLocaleString("en-US");

/**
 * A graceful stop under way: how many of the leaderships the broker held when it began Kafka has
 * handed to other brokers so far, as the cluster's metadata shows them.
 */
function StopProgress({ id, progress }: { id: number; progress: BrokerStopProgress }) {
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
        {leadersAtStart === 0 ? (
          "Stopping: it led no partition."
        ) : leadersLeft === 0 ? (
          <>
            All <b className="tabular-nums">{count(leadersAtStart)}</b> leaderships handed over; waiting for the process
            to exit.
          </>
        ) : (
          <>
            Moving leaderships: <b className="tabular-nums">{count(leadersMoved)}</b> of{" "}
            <b className="tabular-nums">{count(leadersAtStart)}</b> moved
          </>
        )}
        {leaderless > 0 && <span className="text-rose-700"> · {count(leaderless)} without a leader</span>}
      </p>
      <div className="mt-1 h-1.5 rounded bg-amber-100" role="progressbar" aria-valuenow={Math.round(share)}>
        <div className="h-1.5 rounded bg-amber-500" style={{ width: `${share}%` }} />
      </div>
    </div>
  );
}
