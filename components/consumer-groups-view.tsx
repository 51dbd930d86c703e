"use client";
import Link from "next/link";
import { useCallback, useMemo, useState } from "react";
import { useConsumerGroupListQuery } from "@/lib/hooks/api/consumer-groups";
import { DEFAULT_GROUP_LIST } from "@/lib/hooks/api/list-defaults";
import { rowsOf } from "@/lib/hooks/api/list-pages";
import { SEARCH_DEBOUNCE_MS, useDebounced } from "@/lib/hooks/use-debounced";
import type { GroupSortKey, SortDir } from "@/lib/schemas/lists";
import type { ConsumerGroupSummary, ListPage } from "@/lib/types";
import { ErrorPanel } from "./error-panel";
import { formatNumber } from "./format";
import { GroupStateBadge } from "./group-state-badge";
import { GroupTypeBadge } from "./group-type-badge";
import { LagStatusBadge } from "./lag-status-badge";
import { ListStatus } from "./list-status";
import { nextSort, type VirtualColumn, VirtualTable } from "./virtual-table";

const ROW_HEIGHT = 41;

export function ConsumerGroupsView({
  cluster,
  initial,
}: {
  cluster: string;
  initial?: ListPage<ConsumerGroupSummary> | null;
}) {
  const [search, setSearch] = useState(DEFAULT_GROUP_LIST.q);
  const [sort, setSort] = useState<{ key: GroupSortKey; dir: SortDir }>({
    key: DEFAULT_GROUP_LIST.sort,
    dir: DEFAULT_GROUP_LIST.dir,
  });
  const q = useDebounced(search.trim(), SEARCH_DEBOUNCE_MS);
  const params = { q, sort: sort.key, dir: sort.dir };
  // The page's first rows came with the HTML for the list as it first shows; any other params ask.
  const isDefault =
    q === DEFAULT_GROUP_LIST.q && sort.key === DEFAULT_GROUP_LIST.sort && sort.dir === DEFAULT_GROUP_LIST.dir;
  const groups = useConsumerGroupListQuery(cluster, params, isDefault ? initial : null);
  const root = `/clusters/${encodeURIComponent(cluster)}`;
  const rows = useMemo(() => rowsOf(groups.data?.pages, (g) => g.groupId), [groups.data]);
  const first = groups.data?.pages[0];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = groups;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const columns = useMemo<VirtualColumn<ConsumerGroupSummary>[]>(
    () => [
      {
        id: "group",
        label: "Group",
        sortKey: "groupId",
        cell: (g) => (
          <Link
            href={`${root}/consumer-groups/${encodeURIComponent(g.groupId)}`}
            className="font-medium text-emerald-700 hover:underline"
          >
            {g.groupId}
          </Link>
        ),
      },
      {
        id: "protocol",
        label: "Protocol",
        sortKey: "type",
        cell: (g) => <GroupTypeBadge type={g.type} testId={`group-type-${g.groupId}`} />,
      },
      { id: "state", label: "State", sortKey: "state", cell: (g) => <GroupStateBadge state={g.state} /> },
      {
        id: "status",
        label: "Lag status",
        cell: (g) =>
          g.status ? (
            <LagStatusBadge status={g.status} reason={g.statusReason} testId={`group-status-${g.groupId}`} />
          ) : (
            "—"
          ),
      },
      { id: "members", label: "Members", numeric: true, sortKey: "members", cell: (g) => g.members },
      {
        id: "topics",
        label: "Topics",
        cell: (g) => (
          <span className="block max-w-md truncate font-mono text-xs" title={g.topics.join(", ")}>
            {g.topics.join(", ") || "—"}
          </span>
        ),
      },
      {
        id: "lag",
        label: "Total lag",
        numeric: true,
        sortKey: "lag",
        cell: (g) => <span className="font-semibold">{formatNumber(g.totalLag)}</span>,
        testId: (g) => `group-lag-${g.groupId}`,
      },
    ],
    [root],
  );

  if (groups.error && !groups.data) return <ErrorPanel error={groups.error} />;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Consumer groups</h1>
        <input
          type="search"
          placeholder="Search groups"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="group-search"
          className="w-64 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
      </div>
      {first ? (
        <ListStatus
          testId="group-count"
          noun="groups"
          matched={first.matched}
          total={first.total}
          snapshot={first.snapshot}
          scope={first.scope}
        />
      ) : (
        <p className="text-sm text-slate-500" data-testid="group-count">
          Loading groups…
        </p>
      )}
      {first && first.matched === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
          {first.total === 0 && first.scope
            ? "No consumer group your role covers is on this cluster."
            : first.total === 0
              ? "No consumer group yet. Start a consumer with a group id (kafka-console-consumer.sh --group …) and it appears here."
              : "No group matches the search."}
        </div>
      ) : (
        first && (
          <VirtualTable
            testId="groups-table"
            rowTestId={(g) => `group-row-${g.groupId}`}
            rowKey={(g) => g.groupId}
            columns={columns}
            rows={rows}
            rowHeight={ROW_HEIGHT}
            hasMore={Boolean(hasNextPage)}
            loadingMore={isFetchingNextPage}
            onLoadMore={loadMore}
            sort={sort}
            onSort={(key) => setSort((s) => nextSort(s, key as GroupSortKey, (k) => k === "members" || k === "lag"))}
            busy={groups.isPlaceholderData}
            resetKey={JSON.stringify(params)}
          />
        )
      )}
    </div>
  );
}
