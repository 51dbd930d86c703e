"use client";
import Link from "next/link";
import { useMemo, useState } from "react";
import { useConsumerGroupsQuery } from "@/lib/hooks/api/consumer-groups";
import { DataTable } from "./data-table";
import { ErrorPanel } from "./error-panel";
import { formatNumber } from "./format";
import { GroupStateBadge } from "./group-state-badge";
import { GroupTypeBadge } from "./group-type-badge";
import { LagStatusBadge } from "./lag-status-badge";

export function ConsumerGroupsView({ cluster }: { cluster: string }) {
  const groups = useConsumerGroupsQuery(cluster);
  const [search, setSearch] = useState("");
  const root = `/clusters/${encodeURIComponent(cluster)}`;
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (groups.data ?? []).filter((g) => !q || g.groupId.toLowerCase().includes(q));
  }, [groups.data, search]);

  if (groups.error) return <ErrorPanel error={groups.error} />;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Consumer groups</h1>
        <input
          type="search"
          placeholder="Search groups"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="w-64 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
      </div>
      {!groups.data ? (
        <p className="text-sm text-slate-500">Loading groups…</p>
      ) : rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
          {groups.data.length === 0
            ? "No consumer group yet. Start a consumer with a group id (kafka-console-consumer.sh --group …) and it appears here."
            : "No group matches the search."}
        </div>
      ) : (
        <DataTable
          testId="groups-table"
          columns={[
            "Group",
            "Protocol",
            "State",
            "Lag status",
            { label: "Members", numeric: true },
            "Topics",
            { label: "Total lag", numeric: true },
          ]}
        >
          {rows.map((g) => (
            <tr key={g.groupId} data-testid={`group-row-${g.groupId}`}>
              <td className="px-4 py-2">
                <Link
                  href={`${root}/consumer-groups/${encodeURIComponent(g.groupId)}`}
                  className="font-medium text-emerald-700 hover:underline"
                >
                  {g.groupId}
                </Link>
              </td>
              <td className="px-4 py-2">
                <GroupTypeBadge type={g.type} testId={`group-type-${g.groupId}`} />
              </td>
              <td className="px-4 py-2">
                <GroupStateBadge state={g.state} />
              </td>
              <td className="px-4 py-2">
                {g.status ? (
                  <LagStatusBadge status={g.status} reason={g.statusReason} testId={`group-status-${g.groupId}`} />
                ) : (
                  "—"
                )}
              </td>
              <td className="px-4 py-2 text-right tabular-nums">{g.members}</td>
              <td className="px-4 py-2 font-mono text-xs">{g.topics.join(", ") || "—"}</td>
              <td className="px-4 py-2 text-right font-semibold tabular-nums" data-testid={`group-lag-${g.groupId}`}>
                {formatNumber(g.totalLag)}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
