"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useCallback, useMemo, useState } from "react";
import { useReadOnly } from "@/lib/hooks/api/clusters";
import { DEFAULT_TOPIC_LIST } from "@/lib/hooks/api/list-defaults";
import { rowsOf } from "@/lib/hooks/api/list-pages";
import { useMay } from "@/lib/hooks/api/session";
import { useTopicListQuery } from "@/lib/hooks/api/topics";
import { SEARCH_DEBOUNCE_MS, useDebounced } from "@/lib/hooks/use-debounced";
import type { SortDir, TopicSortKey } from "@/lib/schemas/lists";
import type { ListPage, TopicSummary } from "@/lib/types";
import { ErrorPanel } from "./error-panel";
import { ListStatus } from "./list-status";
import { useFormat } from "./use-format";
import { nextSort, type VirtualColumn, VirtualTable } from "./virtual-table";

const ROW_HEIGHT = 41;

export function TopicsView({ cluster, initial }: { cluster: string; initial?: ListPage<TopicSummary> | null }) {
  const t = useTranslations("topics.list");
  const format = useFormat();
  const { readOnly, reason } = useReadOnly(cluster);
  const may = useMay(cluster);
  const [search, setSearch] = useState(DEFAULT_TOPIC_LIST.q);
  const [showInternal, setShowInternal] = useState(DEFAULT_TOPIC_LIST.internal);
  const [sort, setSort] = useState<{ key: TopicSortKey; dir: SortDir }>({
    key: DEFAULT_TOPIC_LIST.sort,
    dir: DEFAULT_TOPIC_LIST.dir,
  });
  const q = useDebounced(search.trim(), SEARCH_DEBOUNCE_MS);
  const params = { q, sort: sort.key, dir: sort.dir, internal: showInternal };
  // The page's first rows came with the HTML for the list as it first shows; any other params ask.
  const isDefault =
    q === DEFAULT_TOPIC_LIST.q &&
    sort.key === DEFAULT_TOPIC_LIST.sort &&
    sort.dir === DEFAULT_TOPIC_LIST.dir &&
    showInternal === DEFAULT_TOPIC_LIST.internal;
  const topics = useTopicListQuery(cluster, params, isDefault ? initial : null);
  const root = `/clusters/${encodeURIComponent(cluster)}`;
  const rows = useMemo(() => rowsOf(topics.data?.pages, (t) => t.name), [topics.data]);
  const first = topics.data?.pages[0];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = topics;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const columns = useMemo<VirtualColumn<TopicSummary>[]>(
    () => [
      {
        id: "name",
        label: t("columns.name"),
        sortKey: "name",
        cell: (topic) => (
          <span className="flex items-center gap-2">
            <Link
              href={`${root}/topics/${encodeURIComponent(topic.name)}`}
              className="font-medium text-emerald-700 hover:underline"
              data-testid={`topic-link-${topic.name}`}
            >
              {topic.name}
            </Link>
            {topic.internal && (
              <span className="rounded bg-slate-100 px-1.5 text-xs text-slate-600">{t("internal")}</span>
            )}
          </span>
        ),
      },
      {
        id: "partitions",
        label: t("columns.partitions"),
        numeric: true,
        sortKey: "partitions",
        cell: (topic) => topic.partitions,
      },
      {
        id: "rf",
        label: t("columns.rf"),
        numeric: true,
        sortKey: "replicationFactor",
        cell: (topic) => topic.replicationFactor,
      },
      {
        id: "urp",
        label: t("columns.urp"),
        numeric: true,
        sortKey: "underReplicated",
        cell: (topic) =>
          topic.underReplicated > 0 ? (
            <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-800">
              {t("urp", { count: topic.underReplicated })}
            </span>
          ) : (
            <span className="text-slate-400">0</span>
          ),
      },
      {
        id: "offline",
        label: t("columns.offline"),
        numeric: true,
        sortKey: "offline",
        cell: (topic) =>
          topic.offline > 0 ? (
            <span className="rounded-full bg-rose-100 px-2 py-0.5 text-xs font-semibold text-rose-800">
              {t("offline", { count: topic.offline })}
            </span>
          ) : (
            <span className="text-slate-400">0</span>
          ),
      },
      {
        id: "messages",
        label: t("columns.messages"),
        numeric: true,
        sortKey: "messages",
        cell: (topic) => format.number(topic.messages),
      },
    ],
    [root, t, format],
  );

  if (topics.error && !topics.data) return <ErrorPanel error={topics.error} />;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
        <div className="flex items-center gap-4">
          {!may("operator") ? null : readOnly ? (
            <button
              type="button"
              disabled
              title={reason}
              data-testid="create-topic"
              className="cursor-not-allowed rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white opacity-50"
            >
              {t("create")}
            </button>
          ) : (
            <Link
              href={`${root}/topics/new`}
              data-testid="create-topic"
              className="rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-700"
            >
              {t("create")}
            </Link>
          )}
          <input
            type="search"
            placeholder={t("search")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="topic-search"
            className="w-64 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
          />
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              checked={showInternal}
              onChange={(e) => setShowInternal(e.target.checked)}
              data-testid="toggle-internal"
            />
            {t("showInternal")}
          </label>
        </div>
      </div>
      {first ? (
        <ListStatus
          testId="topic-count"
          noun={t("noun")}
          matched={first.matched}
          total={first.total}
          snapshot={first.snapshot}
          scope={first.scope}
        />
      ) : (
        <p className="text-sm text-slate-600" data-testid="topic-count">
          {t("loading")}
        </p>
      )}
      {first && first.matched === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
          {first.total === 0 && first.scope ? t("emptyScoped") : first.total === 0 ? t("emptyCluster") : t("noMatch")}
        </div>
      ) : (
        first && (
          <VirtualTable
            testId="topics-table"
            rowTestId={() => "topic-row"}
            rowKey={(t) => t.name}
            columns={columns}
            rows={rows}
            rowHeight={ROW_HEIGHT}
            hasMore={Boolean(hasNextPage)}
            loadingMore={isFetchingNextPage}
            onLoadMore={loadMore}
            sort={sort}
            onSort={(key) => setSort((s) => nextSort(s, key as TopicSortKey, (k) => k !== "name"))}
            busy={topics.isPlaceholderData}
            resetKey={JSON.stringify(params)}
          />
        )
      )}
    </div>
  );
}
