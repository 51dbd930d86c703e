"use client";
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useBrokersQuery, useOverviewQuery } from "@/lib/hooks/api/clusters";
import { useClusterHistoryQuery } from "@/lib/hooks/api/history";
import { verbatim } from "@/lib/shell-quote";
import { BrokerCard } from "./broker-card";
import { ControllerQuorum } from "./controller-quorum";
import { ElectAllButton } from "./elect-all-button";
import { ErrorPanel } from "./error-panel";
import { EventTimeline } from "./event-timeline";
import { FailoverSummary } from "./failover-summary";
import { HealthPanel } from "./health-panel";
import { LeadershipSection } from "./leadership-section";
import { StatTile } from "./stat-tile";
import { StatusBadge } from "./status-badge";
import { useFormat } from "./use-format";
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
  const t = useTranslations("overview");
  const common = useTranslations("common");
  const { number: formatNumber } = useFormat();

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
                {s.kind === "embedded" ? t("kind.embedded") : t("kind.external")}
                {s.kafkaVersion && <> · {t("kafkaVersion", { version: s.kafkaVersion })}</>}
                {s.clusterId && (
                  <>
                    {" "}
                    · {t("clusterId")} <code className="font-mono">{s.clusterId}</code>
                  </>
                )}
              </>
            ) : (
              common("loading")
            )}
          </p>
        </div>
        {s && (
          <div className="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm">
            <div className="text-xs text-slate-500">{t("bootstrap")}</div>
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
          {t("starting", { up: String(s.brokersUp), total: String(s.brokersTotal) })}
        </div>
      )}
      {!o && (
        <section className="grid grid-cols-2 gap-3 md:grid-cols-4 lg:grid-cols-8" aria-label={t("loadingCounts")}>
          {Array.from({ length: 8 }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders with no identity
            <div key={i} className="h-[74px] animate-pulse rounded-lg border border-slate-200 bg-slate-50" />
          ))}
        </section>
      )}
      {o && (
        <section className="grid grid-cols-2 gap-3 md:grid-cols-4 lg:grid-cols-8">
          <StatTile
            label={t("stats.brokersUp")}
            value={`${o.brokersUp}/${o.brokersTotal}`}
            tone={o.brokersUp === o.brokersTotal ? "good" : "bad"}
            href={`${root}/brokers`}
            testId="stat-brokers"
          />
          <StatTile
            label={t("stats.topics")}
            value={formatNumber(o.topics)}
            href={`${root}/topics`}
            testId="stat-topics"
          />
          <StatTile label={t("stats.partitions")} value={formatNumber(o.partitions)} testId="stat-partitions" />
          <StatTile
            label={t("stats.underReplicated")}
            value={formatNumber(o.underReplicated)}
            tone={o.underReplicated === null ? "neutral" : o.underReplicated > 0 ? "warn" : "good"}
            testId="stat-urp"
          />
          <StatTile
            label={t("stats.offline")}
            value={formatNumber(o.offline)}
            tone={o.offline === null ? "neutral" : o.offline > 0 ? "bad" : "good"}
            testId="stat-offline"
          />
          <StatTile
            label={t("stats.groups")}
            value={formatNumber(o.groups)}
            href={`${root}/consumer-groups`}
            testId="stat-groups"
          />
          <StatTile label={t("stats.totalLag")} value={formatNumber(o.totalLag)} testId="stat-lag" />
          <StatTile label={t("stats.internalTopics")} value={formatNumber(o.internalTopics)} />
        </section>
      )}

      <section>
        <div className="mb-3 flex items-baseline justify-between">
          <h2 className="text-lg font-semibold">{t("brokers.title")}</h2>
          {s && (
            <span className="text-sm text-slate-600" data-testid="brokers-up">
              {t("brokers.up", { up: String(s.brokersUp), total: String(s.brokersTotal) })}
            </span>
          )}
        </div>
        {brokers.error ? (
          <ErrorPanel error={brokers.error} />
        ) : !brokers.data ? (
          <p className="text-sm text-slate-500">{t("brokers.loading")}</p>
        ) : brokers.data.length === 0 ? (
          <p className="text-sm text-slate-500">{t("brokers.none")}</p>
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
        <h2 className="mb-2 text-lg font-semibold">{t("activity.title")}</h2>
        <HistoryChart
          points={history.data?.points ?? []}
          series={[
            { key: "produceRate", label: t("activity.produced"), color: "#2563eb" },
            { key: "totalLag", label: t("activity.totalLag"), color: "#d97706", right: true },
          ]}
          testId="activity-chart"
          empty={history.isPending ? t("activity.loading") : t("activity.empty")}
        />
      </section>

      <HealthPanel cluster={cluster} kind={s?.kind} />

      <EventTimeline />

      <ControllerQuorum cluster={cluster} />
    </div>
  );
}
