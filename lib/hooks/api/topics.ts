"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { useLiveRefetchInterval } from "@/lib/hooks/use-cluster-stream";
import type { DeleteRecordsInput } from "@/lib/schemas/groups";
import type { CreateTopicInput } from "@/lib/schemas/topics";
import type { DeleteRecordsReport, PartitionInfo, TopicConfigEntry, TopicDetail, TopicSummary } from "@/lib/types";

const base = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}/topics`;

export const topicKeys = {
  all: (cluster: string) => ["clusters", cluster, "topics"] as const,
  list: (cluster: string) => ["clusters", cluster, "topics", "list"] as const,
  detail: (cluster: string, topic: string) => ["clusters", cluster, "topics", "detail", topic] as const,
};

export function useTopicsQuery(cluster: string) {
  return useQuery({
    queryKey: topicKeys.list(cluster),
    queryFn: () => apiFetch<TopicSummary[]>(base(cluster)),
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
