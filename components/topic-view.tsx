"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useBrokersQuery, useClusterQuery } from "@/lib/hooks/api/clusters";
import { useTopicHistoryQuery } from "@/lib/hooks/api/history";
import { useMay } from "@/lib/hooks/api/session";
import { useTopicQuery } from "@/lib/hooks/api/topics";
import { sh, verbatim } from "@/lib/shell-quote";
import type { TopicDetail } from "@/lib/types";
import { CliCommand } from "./cli-command";
import { DataTable } from "./data-table";
import { ErrorPanel } from "./error-panel";
import { EventTimeline } from "./event-timeline";
import { FailoverSummary } from "./failover-summary";
import { HistoryChart } from "./history-chart";
import { LeadershipMap } from "./leadership-map";
import { ReplicaChip, ReplicaLegend } from "./replica-chip";
import { TopicActions } from "./topic-actions";
import { TopicBrokers } from "./topic-brokers";
import { TopicConfigs } from "./topic-configs";
import { TopicMessages } from "./topic-messages";
import { useFormat } from "./use-format";

type Tab = "partitions" | "configs" | "messages";

export function TopicView({
  cluster,
  topic,
  initialTab = "partitions",
}: {
  cluster: string;
  topic: string;
  initialTab?: Tab;
}) {
  const t = useTranslations("topics.view");
  const format = useFormat();
  const detail = useTopicQuery(cluster, topic);
  const summary = useClusterQuery(cluster);
  const may = useMay(cluster);
  const brokers = useBrokersQuery(cluster);
  const history = useTopicHistoryQuery(cluster, topic);
  const [tab, setTab] = useState<Tab>(initialTab);
  const bootstrap = summary.data?.bootstrap[0] ?? verbatim("<bootstrap>");

  if (detail.error) return <ErrorPanel error={detail.error} />;
  const d = detail.data;
  const parts = d?.partitions ?? [];
  const urp = parts.filter((p) => p.isr.length < p.replicas.length).length;
  const offline = parts.filter((p) => p.leader < 0).length;
  const notPreferred = parts.filter((p) => p.leader >= 0 && p.leader !== p.preferredLeader).length;
  const messages = parts.reduce(
    (a, p) => a + (p.latestOffset !== null && p.earliestOffset !== null ? p.latestOffset - p.earliestOffset : 0),
    0,
  );

  const selectTab = (next: Tab) => {
    setTab(next);
    const url = new URL(window.location.href);
    url.searchParams.set("tab", next);
    window.history.replaceState(null, "", url);
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="font-mono text-2xl font-semibold tracking-tight" data-testid="topic-name">
          {topic}
        </h1>
        {d?.internal && <span className="rounded bg-slate-100 px-2 text-xs text-slate-600">{t("internal")}</span>}
        {d && (
          <span className="text-sm text-slate-600">
            {t("summary", {
              partitions: parts.length,
              rf: Math.max(0, ...parts.map((p) => p.replicas.length)),
              messages: format.number(messages),
            })}
          </span>
        )}
        {d?.topicId && (
          <span className="text-xs text-slate-500" title={t("topicIdTitle")}>
            {t.rich("topicId", {
              id: d.topicId,
              mono: (c) => (
                <span className="font-mono" data-testid="topic-id">
                  {c}
                </span>
              ),
            })}
          </span>
        )}
      </div>
      <div className="flex flex-wrap gap-2 text-xs">
        {urp > 0 && (
          <span className="rounded-full bg-amber-100 px-2 py-0.5 font-semibold text-amber-800" data-testid="topic-urp">
            {t("urp", { count: urp })}
          </span>
        )}
        {offline > 0 && (
          <span
            className="rounded-full bg-rose-100 px-2 py-0.5 font-semibold text-rose-800"
            data-testid="topic-offline"
          >
            {t("offline", { count: offline })}
          </span>
        )}
        {notPreferred > 0 && (
          <span className="rounded-full bg-violet-100 px-2 py-0.5 font-semibold text-violet-800">
            {t("notPreferred", { count: notPreferred })}
          </span>
        )}
      </div>
      <CliCommand command={sh`kafka-topics.sh --bootstrap-server ${bootstrap} --describe --topic ${topic}`} />
      {d && <TopicActions cluster={cluster} topic={d} bootstrap={bootstrap} />}
      {d && <TopicBrokers cluster={cluster} topic={d} controllable={summary.data?.controllable ?? false} />}

      <div className="flex gap-1 border-b border-slate-200" role="tablist">
        {(["partitions", "messages", "configs"] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            data-testid={`tab-${name}`}
            onClick={() => selectTab(name)}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium capitalize ${
              tab === name ? "border-emerald-600 text-emerald-700" : "border-transparent text-slate-600"
            }`}
          >
            {t(`tabs.${name}`)}
          </button>
        ))}
      </div>

      {!d ? (
        <p className="text-sm text-slate-500">{t("loading", { topic })}</p>
      ) : tab === "partitions" ? (
        <div className="space-y-4">
          <LeadershipMap
            rows={d.partitions.map((p) => ({ ...p, topic }))}
            brokers={(brokers.data ?? []).filter((b) => d.partitions.some((p) => p.replicas.includes(b.id)))}
          />
          <PartitionsTable detail={d} />
        </div>
      ) : tab === "messages" ? (
        <TopicMessages
          cluster={cluster}
          topic={topic}
          partitions={d.partitions.length}
          readOnly={summary.data?.readOnly ?? false}
          mayProduce={may("operator")}
          internal={d.internal}
          bootstrap={summary.data?.bootstrap[0] ?? t("theCluster")}
        />
      ) : (
        <TopicConfigs cluster={cluster} detail={d} bootstrap={bootstrap} />
      )}
      <section>
        <h2 className="mb-2 text-lg font-semibold">{t("throughput")}</h2>
        <HistoryChart
          points={history.data?.points ?? []}
          series={[
            { key: "produceRate", label: t("producedPerSecond"), color: "#2563eb" },
            { key: "messages", label: t("messagesKept"), color: "#94a3b8", right: true },
          ]}
          testId="throughput-chart"
          empty={t("throughputEmpty")}
        />
      </section>
      <FailoverSummary topic={topic} />
      <EventTimeline topic={topic} />
    </div>
  );
}

/** A broker list as kafka-topics prints it ("2,3"), or a dash for none. */
const brokerList = (xs: number[]) => xs.join(",") || "—";

function PartitionsTable({ detail }: { detail: TopicDetail }) {
  const t = useTranslations("topics.partitions");
  const format = useFormat();
  // Eligible leader replicas (KIP-966): only when the cluster reports them (Kafka 3.8+).
  const elr = detail.partitions.some((p) => p.elr !== null);
  return (
    <div className="space-y-2">
      <ReplicaLegend />
      <DataTable
        testId="partitions-table"
        columns={[
          t("columns.partition"),
          t("columns.leader"),
          t("columns.replicas"),
          t("columns.isr"),
          ...(elr ? [t("columns.elr"), t("columns.lastKnownElr")] : []),
          { label: t("columns.earliest"), numeric: true },
          { label: t("columns.latest"), numeric: true },
          { label: t("columns.messages"), numeric: true },
        ]}
      >
        {detail.partitions.map((p) => (
          <tr key={p.partition} data-testid={`partition-row-${p.partition}`}>
            <td className="px-4 py-2 font-mono font-semibold">{p.partition}</td>
            <td
              className="px-4 py-2"
              data-testid={`leader-${p.partition}`}
              title={p.leaderEpoch >= 0 ? t("leaderEpoch", { epoch: p.leaderEpoch }) : undefined}
            >
              {p.leader < 0 ? (
                <span className="rounded-full bg-rose-100 px-2 py-0.5 text-xs font-semibold text-rose-800">
                  {t("noLeader")}
                </span>
              ) : (
                <span className="flex items-center gap-2">
                  <span className="font-mono font-semibold">{p.leader}</span>
                  {p.leader !== p.preferredLeader && (
                    <span
                      className="rounded bg-violet-100 px-1.5 text-xs text-violet-800"
                      data-testid={`not-preferred-${p.partition}`}
                      title={t("preferredTitle")}
                    >
                      {t("preferred", { broker: p.preferredLeader })}
                    </span>
                  )}
                </span>
              )}
            </td>
            <td className="px-4 py-2">
              <span className="flex gap-1">
                {p.replicas.map((r) => (
                  <ReplicaChip key={r} partition={p} broker={r} />
                ))}
              </span>
            </td>
            <td className="px-4 py-2 font-mono" data-testid={`isr-${p.partition}`}>
              {p.isr.join(",") || "—"}
            </td>
            {elr && (
              <>
                <td className="px-4 py-2 font-mono" data-testid={`elr-${p.partition}`} title={t("elrTitle")}>
                  {p.elr === null ? "?" : brokerList(p.elr)}
                </td>
                <td
                  className="px-4 py-2 font-mono"
                  data-testid={`last-known-elr-${p.partition}`}
                  title={t("lastKnownElrTitle")}
                >
                  {p.lastKnownElr === null ? "?" : brokerList(p.lastKnownElr)}
                </td>
              </>
            )}
            <td className="px-4 py-2 text-right tabular-nums" data-testid={`earliest-${p.partition}`}>
              {format.number(p.earliestOffset)}
            </td>
            <td className="px-4 py-2 text-right tabular-nums">{format.number(p.latestOffset)}</td>
            <td className="px-4 py-2 text-right tabular-nums">
              {p.latestOffset !== null && p.earliestOffset !== null
                ? format.number(p.latestOffset - p.earliestOffset)
                : "—"}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
