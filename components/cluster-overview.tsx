"use client";
import dynamic from "next/dynamic";
import { useBrokersQuery, useOverviewQuery } from "@/lib/hooks/api/clusters";
import { useClusterHistoryQuery } from "@/lib/hooks/api/history";
import { verbatim } from "@/lib/shell-quote";
import { BrokerCard } from "./broker-card";
import { ControllerQuorum } from "./controller-quorum";
import { ElectAllButton } from "./elect-all-button";
import { ErrorPanel } from "./error-panel";
import { EventTimeline } from "./event-timeline";
import { FailoverSummary } from "./failover-summary";
import { formatNumber } from "./format";
import { HealthPanel } from "./health-panel";
import { LeadershipSection } from "./leadership-section";
import { StatTile } from "./stat-tile";
import { StatusBadge } from "./status-badge";
import { WorkloadPanel } from "./workload-panel";

// The chart library is the page's largest script: loaded apart, it does not hold up the counts.
const HistoryChart = dynamic(() => import("./history-chart").then((m) => m.HistoryChart), {
  ssr: false,
  loading: () => <div className="h-64 animate-pulse rounded-lg border border-slate-200 bg-slate-50" />,
});

/**
 * The cluster at a glance. Every part reads its own query and shows its own loading state: the
 * counts and broker cards come first and never wait for the leadership map or the charts.
 */
export function ClusterOverview({ cluster }: { cluster: string }) {
  const overview = useOverviewQuery(cluster);
  const brokers = useBrokersQuery(cluster);
  const history = useClusterHistoryQuery(cluster);

  if (overview.error) return <ErrorPanel error={overview.error} />;
  const o = overview.data;
  const s = o?.cluster;
  const root = `/clusters/${encodeURIComponent(cluster)}`;

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
      {!o && (
        <section className="grid grid-cols-2 gap-3 md:grid-cols-4 lg:grid-cols-8" aria-label="Loading counts">
          {Array.from({ length: 8 }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders with no identity
            <div key={i} className="h-[74px] animate-pulse rounded-lg border border-slate-200 bg-slate-50" />
          ))}
        </section>
      )}
      {o && (
        <section className="grid grid-cols-2 gap-3 md:grid-cols-4 lg:grid-cols-8">
          <StatTile
            label="Brokers up"
            value={`${o.brokersUp}/${o.brokersTotal}`}
            tone={o.brokersUp === o.brokersTotal ? "good" : "bad"}
            href={`${root}/brokers`}
            testId="stat-brokers"
          />
          <StatTile label="Topics" value={formatNumber(o.topics)} href={`${root}/topics`} testId="stat-topics" />
          <StatTile label="Partitions" value={formatNumber(o.partitions)} testId="stat-partitions" />
          <StatTile
            label="Under-replicated"
            value={formatNumber(o.underReplicated)}
            tone={o.underReplicated === null ? "neutral" : o.underReplicated > 0 ? "warn" : "good"}
            testId="stat-urp"
          />
          <StatTile
            label="Offline"
            value={formatNumber(o.offline)}
            tone={o.offline === null ? "neutral" : o.offline > 0 ? "bad" : "good"}
            testId="stat-offline"
          />
          <StatTile
            label="Groups"
            value={formatNumber(o.groups)}
            href={`${root}/consumer-groups`}
            testId="stat-groups"
          />
          <StatTile label="Total lag" value={formatNumber(o.totalLag)} testId="stat-lag" />
          <StatTile label="Internal topics" value={formatNumber(o.internalTopics)} />
        </section>
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

      {s && s.brokersUp > 0 && (
        <ElectAllButton cluster={cluster} bootstrap={s.bootstrap[0] ?? verbatim("<bootstrap>")} />
      )}

      <FailoverSummary />

      <LeadershipSection cluster={cluster} unreachable={s?.status === "unreachable"} />

      <WorkloadPanel cluster={cluster} />

      <section>
        <h2 className="mb-2 text-lg font-semibold">Activity</h2>
        <HistoryChart
          points={history.data?.points ?? []}
          series={[
            { key: "produceRate", label: "produced / s", color: "#2563eb" },
            { key: "totalLag", label: "total lag", color: "#d97706", right: true },
          ]}
          testId="activity-chart"
          empty={
            history.isPending
              ? "Loading throughput and lag history…"
              : "Throughput and lag history appear after a few samples (every 2 s)."
          }
        />
      </section>

      <HealthPanel cluster={cluster} kind={s?.kind} />

      <EventTimeline />

      <ControllerQuorum cluster={cluster} />
    </div>
  );
}
