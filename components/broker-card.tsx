"use client";
import { useState } from "react";
import { useStartBrokerMutation, useStopBrokerMutation } from "@/lib/hooks/api/brokers";
import type { Broker } from "@/lib/types";
import { CliCommand } from "./cli-command";
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
  const stop = useStopBrokerMutation(cluster);
  const start = useStartBrokerMutation(cluster);
  const [lastAction, setLastAction] = useState<"graceful" | "kill" | "start" | null>(null);
  const busy = stop.isPending || start.isPending || broker.status === "starting" || broker.status === "stopping";
  const error = stop.error ?? start.error;
  const command =
    lastAction === "kill"
      ? `kill -9 ${broker.pid ?? "<broker pid>"}`
      : lastAction === "start"
        ? `kafka-server-start.sh broker-${broker.id}/server.properties`
        : `kafka-server-stop.sh   # SIGTERM to broker ${broker.id}: controlled shutdown`;

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
        <div className="mt-3 flex gap-2">
          {broker.status === "down" ? (
            <button
              type="button"
              data-testid={`broker-start-${broker.id}`}
              disabled={busy}
              onClick={() => {
                setLastAction("start");
                start.mutate({ id: broker.id });
              }}
              className="rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50"
            >
              Start
            </button>
          ) : (
            <>
              <button
                type="button"
                data-testid={`broker-stop-${broker.id}`}
                disabled={busy}
                onClick={() => {
                  setLastAction("graceful");
                  stop.mutate({ id: broker.id, mode: "graceful" });
                }}
                className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50"
              >
                Stop
              </button>
              <button
                type="button"
                data-testid={`broker-kill-${broker.id}`}
                disabled={busy}
                onClick={() => {
                  setLastAction("kill");
                  stop.mutate({ id: broker.id, mode: "kill" });
                }}
                className="rounded-md border border-rose-300 px-3 py-1.5 text-sm font-medium text-rose-700 hover:bg-rose-50 disabled:opacity-50"
              >
                Kill
              </button>
            </>
          )}
        </div>
      )}
      {error && <p className="mt-2 text-sm text-rose-700">{error.message}</p>}
      {controllable && lastAction && <CliCommand command={command} />}
    </article>
  );
}
