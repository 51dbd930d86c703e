"use client";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { useLiveRefetchInterval } from "@/lib/hooks/use-cluster-stream";
import { type GroupSortKey, listSearch, type SortDir } from "@/lib/schemas/lists";
import type { ConsumerGroupDetail, ConsumerGroupSummary, ListPage } from "@/lib/types";
import { LIST_PAGE_SIZE, nextOffset } from "./list-pages";

const base = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}/consumer-groups`;

export const groupKeys = {
  all: (cluster: string) => ["clusters", cluster, "consumer-groups"] as const,
  list: (cluster: string) => ["clusters", cluster, "consumer-groups", "list"] as const,
  detail: (cluster: string, group: string) => ["clusters", cluster, "consumer-groups", "detail", group] as const,
};

/** What the group list shows: the search and the sorted column and direction. */
export interface GroupListParams {
  q: string;
  sort: GroupSortKey;
  dir: SortDir;
}

/** The consumer-group list, page by page from the server, previous rows kept while the next search arrives. */
export function useConsumerGroupListQuery(
  cluster: string,
  params: GroupListParams,
  /** The first page of these very params, rendered with the page (see the consumer groups page). */
  initial?: ListPage<ConsumerGroupSummary> | null,
) {
  return useInfiniteQuery({
    queryKey: [...groupKeys.list(cluster), params] as const,
    initialData: initial ? { pages: [initial], pageParams: [0] } : undefined,
    queryFn: ({ pageParam }) =>
      apiFetch<ListPage<ConsumerGroupSummary>>(
        `${base(cluster)}${listSearch({ ...params, offset: pageParam, limit: LIST_PAGE_SIZE })}`,
      ),
    initialPageParam: 0,
    getNextPageParam: nextOffset,
    placeholderData: keepPreviousData,
    refetchInterval: useLiveRefetchInterval(),
  });
}

export function useConsumerGroupQuery(cluster: string, group: string) {
  return useQuery({
    queryKey: groupKeys.detail(cluster, group),
    queryFn: () => apiFetch<ConsumerGroupDetail>(`${base(cluster)}/${encodeURIComponent(group)}`),
    refetchInterval: useLiveRefetchInterval(),
  });
}
