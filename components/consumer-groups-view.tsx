"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useCallback, useMemo, useState } from "react";
import { useConsumerGroupListQuery } from "@/lib/hooks/api/consumer-groups";
import { DEFAULT_GROUP_LIST } from "@/lib/hooks/api/list-defaults";
import { rowsOf } from "@/lib/hooks/api/list-pages";
import { SEARCH_DEBOUNCE_MS, useDebounced } from "@/lib/hooks/use-debounced";
import type { GroupSortKey, SortDir } from "@/lib/schemas/lists";
import type { ConsumerGroupSummary, ListPage } from "@/lib/types";
import { ErrorPanel } from "./error-panel";
import { GroupStateBadge } from "./group-state-badge";
import { GroupTypeBadge } from "./group-type-badge";
import { LagStatusBadge } from "./lag-status-badge";
import { ListStatus } from "./list-status";
import { useFormat } from "./use-format";
import { useLagReason } from "./use-lag-reason";
import { nextSort, type VirtualColumn, VirtualTable } from "./virtual-table";

const ROW_HEIGHT = 41;

export function ConsumerGroupsView({
  cluster,
  initial,
}: {
  cluster: string;
  initial?: ListPage<ConsumerGroupSummary> | null;
}) {
  const t = useTranslations("groups.list");
  const f = useFormat();
  const lagReason = useLagReason();
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
        label: t("columns.group"),
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
        label: t("columns.protocol"),
        sortKey: "type",
        cell: (g) => <GroupTypeBadge type={g.type} testId={`group-type-${g.groupId}`} />,
      },
      { id: "state", label: t("columns.state"), sortKey: "state", cell: (g) => <GroupStateBadge state={g.state} /> },
      {
        id: "status",
        label: t("columns.lagStatus"),
        cell: (g) =>
          g.status ? (
            <LagStatusBadge
              status={g.status}
              reason={lagReason(g.statusWhy, g.statusReason)}
              testId={`group-status-${g.groupId}`}
            />
          ) : (
            "—"
          ),
      },
      { id: "members", label: t("columns.members"), numeric: true, sortKey: "members", cell: (g) => g.members },
      {
        id: "topics",
        label: t("columns.topics"),
        cell: (g) => (
          <span className="block max-w-md truncate font-mono text-xs" title={g.topics.join(", ")}>
            {g.topics.join(", ") || "—"}
          </span>
        ),
      },
      {
        id: "lag",
        label: t("columns.totalLag"),
        numeric: true,
        sortKey: "lag",
        cell: (g) => <span className="font-semibold">{f.number(g.totalLag)}</span>,
        testId: (g) => `group-lag-${g.groupId}`,
      },
    ],
    [root, t, f, lagReason],
  );

  if (groups.error && !groups.data) return <ErrorPanel error={groups.error} />;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
        <input
          type="search"
          placeholder={t("search")}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="group-search"
          className="w-64 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
      </div>
      {first ? (
        <ListStatus
          testId="group-count"
          noun={t("noun")}
          matched={first.matched}
          total={first.total}
          snapshot={first.snapshot}
          scope={first.scope}
        />
      ) : (
        <p className="text-sm text-slate-500" data-testid="group-count">
          {t("loading")}
        </p>
      )}
      {first && first.matched === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
          {first.total === 0 && first.scope ? t("noneInScope") : first.total === 0 ? t("none") : t("noMatch")}
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
