"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useClusterQuery } from "@/lib/hooks/api/clusters";
import { useConsumerGroupQuery } from "@/lib/hooks/api/consumer-groups";
import { useGroupActionsQuery } from "@/lib/hooks/api/group-actions";
import { useGroupHistoryQuery } from "@/lib/hooks/api/history";
import { sh, verbatim } from "@/lib/shell-quote";
import { CliCommand } from "./cli-command";
import { DataTable } from "./data-table";
import { ErrorPanel } from "./error-panel";
import { GroupActionHistory } from "./group-action-history";
import { GroupResetPanel } from "./group-reset-panel";
import { GroupStateBadge } from "./group-state-badge";
import { GroupTypeBadge } from "./group-type-badge";
import { HistoryChart } from "./history-chart";
import { LagStatusBadge } from "./lag-status-badge";
import { useFormat } from "./use-format";
import { useLagReason } from "./use-lag-reason";

type Assignments = { topic: string; partitions: number[] }[];
const assignmentKey = (a: Assignments) =>
  a
    .flatMap((t) => t.partitions.map((p) => `${t.topic}-${p}`))
    .sort()
    .join(",");
/** A consumer-protocol member still reconciling owns other partitions than its target. */
const sameAssignments = (a: Assignments, b: Assignments) => assignmentKey(a) === assignmentKey(b);

export function ConsumerGroupView({ cluster, group }: { cluster: string; group: string }) {
  const t = useTranslations("groups.group");
  const f = useFormat();
  const lagReason = useLagReason();
  const detail = useConsumerGroupQuery(cluster, group);
  const history = useGroupHistoryQuery(cluster, group);
  const summary = useClusterQuery(cluster);
  const actions = useGroupActionsQuery(cluster, group);
  const markers = (actions.data ?? []).map((a) => ({
    ts: a.ts,
    label:
      a.action === "reset-offsets"
        ? t("markers.reset")
        : a.action === "delete-offsets"
          ? t("markers.offsetsDeleted")
          : t("markers.deleted"),
  }));
  const bootstrap = summary.data?.bootstrap[0] ?? verbatim("<bootstrap>");
  const root = `/clusters/${encodeURIComponent(cluster)}`;
  const reason = history.data && lagReason(history.data.why, history.data.reason);
  if (detail.error) return <ErrorPanel error={detail.error} />;
  const g = detail.data;
  const maxLag = Math.max(1, ...(g?.offsets.map((o) => o.lag ?? 0) ?? []));
  const owner = new Map<string, string>();
  for (const m of g?.members ?? []) {
    for (const a of m.assignments) for (const p of a.partitions) owner.set(`${a.topic}-${p}`, m.clientId);
  }

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-2xl font-semibold tracking-tight" data-testid="group-id">
          {group}
        </h1>
        {g && <GroupTypeBadge type={g.type} testId="group-type" />}
        {g && <GroupStateBadge state={g.state} />}
        {history.data && <LagStatusBadge status={history.data.status} reason={reason} testId="lag-status" />}
        {history.data && <span className="text-sm text-slate-600">{reason}</span>}
      </div>
      {g && (
        <div className="flex flex-wrap gap-6 text-sm text-slate-700">
          <span>
            {t("members")} <b className="tabular-nums">{g.members.length}</b>
          </span>
          <span>
            {t("totalLag")}{" "}
            <b className="tabular-nums" data-testid="group-total-lag">
              {f.number(g.totalLag)}
            </b>
          </span>
          <span title={t("behindByTitle")}>
            {t("behindBy")}{" "}
            <b className="tabular-nums" data-testid="group-max-lag-time">
              {g.maxLagMs === null || g.maxLagMs === undefined ? "—" : f.age(g.maxLagMs)}
            </b>
          </span>
          <span>
            {t("coordinator")} <b>{t("broker", { id: g.coordinator })}</b>
          </span>
          {g.protocol && (
            <span>
              {t("assignor")} <b>{g.protocol}</b>
            </span>
          )}
          {g.groupEpoch !== null && (
            <span title={t("groupEpochTitle")}>
              {t("groupEpoch")}{" "}
              <b className="tabular-nums" data-testid="group-epoch">
                {g.groupEpoch}
              </b>
              {g.assignmentEpoch !== null && g.assignmentEpoch !== g.groupEpoch && (
                <span className="text-slate-500"> {t("assignmentEpoch", { epoch: g.assignmentEpoch })}</span>
              )}
            </span>
          )}
        </div>
      )}
      <CliCommand command={sh`kafka-consumer-groups.sh --bootstrap-server ${bootstrap} --describe --group ${group}`} />

      <section>
        <h2 className="mb-2 text-lg font-semibold">{t("lagOverTime")}</h2>
        <HistoryChart
          points={history.data?.points ?? []}
          series={[
            { key: "lag", label: t("series.lag"), color: "#d97706" },
            { key: "consumeRate", label: t("series.consumeRate"), color: "#059669", right: true },
          ]}
          testId="lag-chart"
          markers={markers}
          empty={t("lagEmpty")}
        />
        <h3 className="mb-2 mt-4 text-sm font-semibold text-slate-700">{t("lagInTime")}</h3>
        <HistoryChart
          points={(history.data?.points ?? []).map((p) => ({
            ts: p.ts,
            lagSeconds: p.lagMs === null || p.lagMs === undefined ? null : p.lagMs / 1000,
          }))}
          series={[{ key: "lagSeconds", label: t("series.lagSeconds"), color: "#7c3aed" }]}
          testId="lag-time-chart"
          markers={markers}
          empty={t("lagInTimeEmpty")}
        />
      </section>

      <section>
        <h2 className="mb-2 text-lg font-semibold">{t("offsetsTitle")}</h2>
        <p className="mb-2 text-sm text-slate-600">{t.rich("offsetsIntro", { code: (c) => <code>{c}</code> })}</p>
        {!g ? (
          <p className="text-sm text-slate-500">{t("loading")}</p>
        ) : g.offsets.length === 0 ? (
          <p className="text-sm text-slate-500">{t("noOffsets")}</p>
        ) : (
          <DataTable
            testId="group-offsets-table"
            columns={[
              t("offsetColumns.topic"),
              { label: t("offsetColumns.partition"), numeric: true },
              { label: t("offsetColumns.currentOffset"), numeric: true },
              { label: t("offsetColumns.logEndOffset"), numeric: true },
              { label: t("offsetColumns.lag"), numeric: true },
              { label: t("offsetColumns.lagInTime"), numeric: true },
              "",
              t("offsetColumns.consumer"),
            ]}
          >
            {g.offsets.map((o) => (
              <tr key={`${o.topic}-${o.partition}`} data-testid={`offset-row-${o.topic}-${o.partition}`}>
                <td className="px-4 py-2 font-mono">
                  <Link href={`${root}/topics/${encodeURIComponent(o.topic)}`} className="hover:underline">
                    {o.topic}
                  </Link>
                </td>
                <td className="px-4 py-2 text-right font-mono">{o.partition}</td>
                <td className="px-4 py-2 text-right tabular-nums">{f.number(o.committedOffset)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{f.number(o.logEndOffset)}</td>
                <td className="px-4 py-2 text-right font-semibold tabular-nums" data-testid="lag">
                  {f.number(o.lag)}
                </td>
                <td className="px-4 py-2 text-right tabular-nums" data-testid="lag-time">
                  {o.lagMs === null || o.lagMs === undefined ? "—" : f.age(o.lagMs)}
                </td>
                <td className="w-40 px-4 py-2">
                  {o.lag !== null && (
                    <div className="h-2 rounded bg-slate-100">
                      <div className="h-2 rounded bg-amber-500" style={{ width: `${(100 * o.lag) / maxLag}%` }} />
                    </div>
                  )}
                </td>
                <td className="px-4 py-2 text-xs text-slate-600">{owner.get(`${o.topic}-${o.partition}`) ?? "—"}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      {g && <GroupResetPanel key={g.groupId} cluster={cluster} group={g} bootstrap={bootstrap} />}

      <section>
        <h2 className="mb-2 text-lg font-semibold">{t("membersTitle")}</h2>
        {g && g.members.length === 0 ? (
          <p className="text-sm text-slate-500">{t("noMembers", { state: g.state.toLowerCase() })}</p>
        ) : (
          <DataTable
            testId="group-members-table"
            columns={[
              t("memberColumns.clientId"),
              t("memberColumns.host"),
              t("memberColumns.memberId"),
              t("memberColumns.instanceId"),
              ...(g?.type === "consumer" ? [{ label: t("memberColumns.epoch"), numeric: true }] : []),
              t("memberColumns.assigned"),
            ]}
          >
            {g?.members.map((m) => (
              <tr key={m.memberId} data-testid={`member-row-${m.memberId}`}>
                <td className="px-4 py-2 font-medium">{m.clientId}</td>
                <td className="px-4 py-2 font-mono text-xs">{m.host}</td>
                <td className="px-4 py-2 font-mono text-xs text-slate-500">{m.memberId}</td>
                <td className="px-4 py-2 font-mono text-xs">{m.groupInstanceId ?? "—"}</td>
                {g.type === "consumer" && <td className="px-4 py-2 text-right tabular-nums">{m.memberEpoch ?? "—"}</td>}
                <td className="px-4 py-2 font-mono text-xs" data-testid="member-assignments">
                  {m.assignments.map((a) => `${a.topic}: ${a.partitions.join(",")}`).join("; ") || "—"}
                  {m.targetAssignments && !sameAssignments(m.assignments, m.targetAssignments) && (
                    <span className="text-slate-500">
                      {" "}
                      → {m.targetAssignments.map((a) => `${a.topic}: ${a.partitions.join(",")}`).join("; ") || "—"}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <GroupActionHistory cluster={cluster} group={group} />
    </div>
  );
}
