"use client";
import { useBrokersQuery, useClusterQuery, useControllersQuery } from "@/lib/hooks/api/clusters";
import { BrokerCard } from "./broker-card";
import { ErrorPanel } from "./error-panel";
import { StatusBadge } from "./status-badge";

export function ClusterOverview({ cluster }: { cluster: string }) {
  const summary = useClusterQuery(cluster);
  const brokers = useBrokersQuery(cluster);
  const controllers = useControllersQuery(cluster);

  if (summary.error) return <ErrorPanel error={summary.error} />;
  const s = summary.data;

  return (
    <div className="space-y-6">
      <section className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="flex items-center gap-3 text-2xl font-semibold tracking-tight">
            {s?.name ?? cluster}
            {s && <StatusBadge status={s.status} testId="cluster-status" />}
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            {s ? (
              <>
                {s.kind === "embedded" ? "Embedded KRaft cluster run by Quorum" : "External cluster"}
                {s.kafkaVersion && <> · Apache Kafka {s.kafkaVersion}</>}
                {s.clusterId && (
                  <>
                    {" "}
                    · cluster id <code className="font-mono">{s.clusterId}</code>
                  </>
                )}
              </>
            ) : (
              "Loading…"
            )}
          </p>
        </div>
        {s && (
          <div className="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm">
            <div className="text-xs text-slate-500">Bootstrap servers</div>
            <code className="font-mono" data-testid="bootstrap">
              {s.bootstrap.join(",")}
            </code>
          </div>
        )}
      </section>

      {s?.status === "starting" && (
        <div
          className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm text-sky-900"
          data-testid="starting-banner"
        >
          Starting the cluster: {s.brokersUp} of {s.brokersTotal} brokers up. The first start formats storage and takes
          longer; the page updates by itself.
        </div>
      )}
      {s?.status === "unreachable" && (
        <div className="rounded-lg border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900">
          No broker answers. {s.controllable ? "Start a broker below" : "Check that the cluster is running"}; this page
          reconnects by itself.
        </div>
      )}

      <section>
        <div className="mb-3 flex items-baseline justify-between">
          <h2 className="text-lg font-semibold">Brokers</h2>
          {s && (
            <span className="text-sm text-slate-600" data-testid="brokers-up">
              {s.brokersUp} / {s.brokersTotal} up
            </span>
          )}
        </div>
        {brokers.error ? (
          <ErrorPanel error={brokers.error} />
        ) : !brokers.data ? (
          <p className="text-sm text-slate-500">Loading brokers…</p>
        ) : brokers.data.length === 0 ? (
          <p className="text-sm text-slate-500">No broker has answered yet.</p>
        ) : (
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {brokers.data.map((b) => (
              <BrokerCard key={b.id} cluster={cluster} broker={b} controllable={s?.controllable ?? false} />
            ))}
          </div>
        )}
      </section>

      {controllers.data && controllers.data.length > 0 && (
        <section>
          <h2 className="mb-3 text-lg font-semibold">
            KRaft controller quorum{" "}
            <span className="text-sm font-normal text-slate-600">
              ({controllers.data.length} voter{controllers.data.length > 1 ? "s" : ""}, tolerates{" "}
              {Math.floor((controllers.data.length - 1) / 2)} failure
              {Math.floor((controllers.data.length - 1) / 2) === 1 ? "" : "s"})
            </span>
          </h2>
          <div className="flex flex-wrap gap-3">
            {controllers.data.map((c) => (
              <div
                key={c.id}
                data-testid={`controller-${c.id}`}
                className="flex items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm"
              >
                <span className="font-semibold">Controller {c.id}</span>
                <code className="font-mono text-slate-600">
                  {c.host}:{c.port}
                </code>
                <StatusBadge status={c.status} />
              </div>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
