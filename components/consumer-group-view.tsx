"use client";
import Link from "next/link";
import { useClusterQuery } from "@/lib/hooks/api/clusters";
import { useConsumerGroupQuery } from "@/lib/hooks/api/consumer-groups";
import { useGroupActionsQuery } from "@/lib/hooks/api/group-actions";
import { useGroupHistoryQuery } from "@/lib/hooks/api/history";
import { sh, verbatim } from "@/lib/shell-quote";
import { CliCommand } from "./cli-command";
import { DataTable } from "./data-table";
import { ErrorPanel } from "./error-panel";
import { formatAge, formatNumber } from "./format";
import { GroupActionHistory } from "./group-action-history";
import { GroupResetPanel } from "./group-reset-panel";
import { GroupStateBadge } from "./group-state-badge";
import { GroupTypeBadge } from "./group-type-badge";
import { HistoryChart } from "./history-chart";
import { LagStatusBadge } from "./lag-status-badge";

type Assignments = { topic: string; partitions: number[] }[];
const assignmentKey = (a: Assignments) =>
  a
    .flatMap((t) => t.partitions.map((p) => `${t.topic}-${p}`))
    .sort()
    .join(",");
/** A consumer-protocol member still reconciling owns other partitions than its target. */
const sameAssignments = (a: Assignments, b: Assignments) => assignmentKey(a) === assignmentKey(b);

export function ConsumerGroupView({ cluster, group }: { cluster: string; group: string }) {
  const detail = useConsumerGroupQuery(cluster, group);
  const history = useGroupHistoryQuery(cluster, group);
  const summary = useClusterQuery(cluster);
  const actions = useGroupActionsQuery(cluster, group);
  const markers = (actions.data ?? []).map((a) => ({
    ts: a.ts,
    label: a.action === "reset-offsets" ? "reset" : a.action === "delete-offsets" ? "offsets deleted" : "deleted",
  }));
  const bootstrap = summary.data?.bootstrap[0] ?? verbatim("<bootstrap>");
  const root = `/clusters/${encodeURIComponent(cluster)}`;
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
        {history.data && (
          <LagStatusBadge status={history.data.status} reason={history.data.reason} testId="lag-status" />
        )}
        {history.data && <span className="text-sm text-slate-600">{history.data.reason}</span>}
      </div>
      {g && (
        <div className="flex flex-wrap gap-6 text-sm text-slate-700">
          <span>
            Members <b className="tabular-nums">{g.members.length}</b>
          </span>
          <span>
            Total lag{" "}
            <b className="tabular-nums" data-testid="group-total-lag">
              {formatNumber(g.totalLag)}
            </b>
          </span>
          <span title="How old the oldest message the group has not consumed is (now − the timestamp of the record at its committed offset), over its partitions">
            Behind by{" "}
            <b className="tabular-nums" data-testid="group-max-lag-time">
              {g.maxLagMs === null || g.maxLagMs === undefined ? "—" : formatAge(g.maxLagMs)}
            </b>
          </span>
          <span>
            Coordinator <b>broker {g.coordinator}</b>
          </span>
          {g.protocol && (
            <span>
              Assignor <b>{g.protocol}</b>
            </span>
          )}
          {g.groupEpoch !== null && (
            <span title="The group epoch, and the epoch of the target assignment the members reconcile to">
              Group epoch{" "}
              <b className="tabular-nums" data-testid="group-epoch">
                {g.groupEpoch}
              </b>
              {g.assignmentEpoch !== null && g.assignmentEpoch !== g.groupEpoch && (
                <span className="text-slate-500"> (assignment {g.assignmentEpoch})</span>
              )}
            </span>
          )}
        </div>
      )}
      <CliCommand command={sh`kafka-consumer-groups.sh --bootstrap-server ${bootstrap} --describe --group ${group}`} />

      <section>
        <h2 className="mb-2 text-lg font-semibold">Lag over time</h2>
        <HistoryChart
          points={history.data?.points ?? []}
          series={[
            { key: "lag", label: "lag (messages)", color: "#d97706" },
            { key: "consumeRate", label: "consumed / s", color: "#059669", right: true },
          ]}
          testId="lag-chart"
          markers={markers}
          empty="Lag history appears after a few samples (every 2 s)."
        />
        <h3 className="mb-2 mt-4 text-sm font-semibold text-slate-700">Lag in time</h3>
        <HistoryChart
          points={(history.data?.points ?? []).map((p) => ({
            ts: p.ts,
            lagSeconds: p.lagMs === null || p.lagMs === undefined ? null : p.lagMs / 1000,
          }))}
          series={[{ key: "lagSeconds", label: "oldest unconsumed message (s old)", color: "#7c3aed" }]}
          testId="lag-time-chart"
          markers={markers}
          empty="Lag in time appears after a few samples (every 2 s)."
        />
      </section>

      <section>
        <h2 className="mb-2 text-lg font-semibold">Offsets and lag</h2>
        <p className="mb-2 text-sm text-slate-600">
          Lag = log-end offset − current (committed) offset, as <code>kafka-consumer-groups --describe</code> shows it.
          A partition the group has never committed shows no lag. Lag in time = now − the timestamp of the oldest
          unconsumed message (the record at the committed offset).
        </p>
        {!g ? (
          <p className="text-sm text-slate-500">Loading…</p>
        ) : g.offsets.length === 0 ? (
          <p className="text-sm text-slate-500">This group has no committed offsets and no assignments.</p>
        ) : (
          <DataTable
            testId="group-offsets-table"
            columns={[
              "Topic",
              { label: "Partition", numeric: true },
              { label: "Current offset", numeric: true },
              { label: "Log-end offset", numeric: true },
              { label: "Lag", numeric: true },
              { label: "Lag in time", numeric: true },
              "",
              "Consumer",
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
                <td className="px-4 py-2 text-right tabular-nums">{formatNumber(o.committedOffset)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{formatNumber(o.logEndOffset)}</td>
                <td className="px-4 py-2 text-right font-semibold tabular-nums" data-testid="lag">
                  {formatNumber(o.lag)}
                </td>
                <td className="px-4 py-2 text-right tabular-nums" data-testid="lag-time">
                  {o.lagMs === null || o.lagMs === undefined ? "—" : formatAge(o.lagMs)}
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
        <h2 className="mb-2 text-lg font-semibold">Members</h2>
        {g && g.members.length === 0 ? (
          <p className="text-sm text-slate-500">No active member: the group is {g.state.toLowerCase()}.</p>
        ) : (
          <DataTable
            testId="group-members-table"
            columns={[
              "Client id",
              "Host",
              "Member id",
              "Instance id",
              ...(g?.type === "consumer" ? [{ label: "Epoch", numeric: true }] : []),
              "Assigned partitions",
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
