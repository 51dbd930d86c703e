"use client";
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { useLiveRefetchInterval } from "@/lib/hooks/use-cluster-stream";
import type { DeleteRecordsInput } from "@/lib/schemas/groups";
import { listSearch, type SortDir, type TopicSortKey } from "@/lib/schemas/lists";
import type { CreateTopicInput } from "@/lib/schemas/topics";
import type {
  DeleteRecordsReport,
  ListPage,
  PartitionInfo,
  TopicConfigEntry,
  TopicDetail,
  TopicSummary,
} from "@/lib/types";
import { LIST_PAGE_SIZE, nextOffset } from "./list-pages";

const base = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}/topics`;

export const topicKeys = {
  all: (cluster: string) => ["clusters", cluster, "topics"] as const,
  list: (cluster: string) => ["clusters", cluster, "topics", "list"] as const,
  detail: (cluster: string, topic: string) => ["clusters", cluster, "topics", "detail", topic] as const,
};

/** What the topic list shows: the search, the sorted column and direction, and whether internal topics count. */
export interface TopicListParams {
  q: string;
  sort: TopicSortKey;
  dir: SortDir;
  internal: boolean;
}

/**
 * The topic list, page by page from the server (searched and sorted there): the next page is asked
 * for as the table scrolls near the end. While a new search or sort is on its way, the previous
 * rows stay on screen.
 */
export function useTopicListQuery(
  cluster: string,
  params: TopicListParams,
  /** The first page of these very params, rendered with the page (see the topics page). */
  initial?: ListPage<TopicSummary> | null,
) {
  return useInfiniteQuery({
    queryKey: [...topicKeys.list(cluster), params] as const,
    initialData: initial ? { pages: [initial], pageParams: [0] } : undefined,
    queryFn: ({ pageParam }) =>
      apiFetch<ListPage<TopicSummary>>(
        `${base(cluster)}${listSearch({ ...params, offset: pageParam, limit: LIST_PAGE_SIZE })}`,
      ),
    initialPageParam: 0,
    getNextPageParam: nextOffset,
    placeholderData: keepPreviousData,
    refetchInterval: useLiveRefetchInterval(),
  });
}

/** A few topics whose names contain `q` (first by name): for a picker, never the whole list. */
export function useTopicSearchQuery(cluster: string, q: string, limit = 50, internal = false) {
  return useQuery({
    queryKey: [...topicKeys.list(cluster), "search", q, limit, internal] as const,
    queryFn: () =>
      apiFetch<ListPage<TopicSummary>>(`${base(cluster)}${listSearch({ q, limit, internal: internal || undefined })}`),
    placeholderData: keepPreviousData,
    refetchInterval: useLiveRefetchInterval(),
  });
}

export function usePartitionsQuery(cluster: string) {
  return useQuery({
    queryKey: [...topicKeys.all(cluster), "partitions"] as const,
    queryFn: () =>
      apiFetch<(PartitionInfo & { topic: string })[]>(`/api/clusters/${encodeURIComponent(cluster)}/partitions`),
    refetchInterval: useLiveRefetchInterval(),
  });
}

export function useTopicQuery(cluster: string, topic: string) {
  return useQuery({
    queryKey: topicKeys.detail(cluster, topic),
    queryFn: () => apiFetch<TopicDetail>(`${base(cluster)}/${encodeURIComponent(topic)}`),
    refetchInterval: useLiveRefetchInterval(),
  });
}

export function useCreateTopicMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTopicInput) => apiFetch<TopicDetail>(base(cluster), { method: "POST", body: input }),
    onSuccess: (topic) => qc.setQueryData(topicKeys.detail(cluster, topic.name), topic),
    onSettled: () => qc.invalidateQueries({ queryKey: topicKeys.list(cluster) }),
  });
}

export function useAddPartitionsMutation(cluster: string, topic: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (count: number) =>
      apiFetch<TopicSummary>(`${base(cluster)}/${encodeURIComponent(topic)}/partitions`, {
        method: "POST",
        body: { count },
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: topicKeys.all(cluster) }),
  });
}

export function useDeleteTopicMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (topic: string) => apiFetch(`${base(cluster)}/${encodeURIComponent(topic)}`, { method: "DELETE" }),
    onSuccess: (_d, topic) => qc.removeQueries({ queryKey: topicKeys.detail(cluster, topic) }),
    onSettled: () => qc.invalidateQueries({ queryKey: topicKeys.list(cluster) }),
  });
}

export function useAlterTopicConfigsMutation(cluster: string, topic: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (configs: Record<string, string | null>) =>
      apiFetch<TopicConfigEntry[]>(`${base(cluster)}/${encodeURIComponent(topic)}/configs`, {
        method: "PATCH",
        body: { configs },
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: topicKeys.detail(cluster, topic) }),
  });
}

/** DeleteRecords: a preview without `execute`, else every record before each offset goes. */
export function useDeleteRecordsMutation(cluster: string, topic: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: DeleteRecordsInput) =>
      apiFetch<DeleteRecordsReport>(`${base(cluster)}/${encodeURIComponent(topic)}/delete-records`, {
        method: "POST",
        body: input,
      }),
    onSettled: (_d, _e, input) => {
      if (input.execute) return qc.invalidateQueries({ queryKey: topicKeys.all(cluster) });
    },
  });
}
