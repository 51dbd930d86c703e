"use client";
import type { Broker } from "@/lib/types";
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
      {controllable && (
        <div className="mt-3">
          <BrokerActions cluster={cluster} broker={broker} />
        </div>
      )}
    </article>
  );
}
