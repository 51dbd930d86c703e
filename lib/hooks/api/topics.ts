"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { TopicDetail, TopicSummary } from "@/lib/types";
import { LIVE_REFETCH_MS } from "./clusters";

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
    refetchInterval: LIVE_REFETCH_MS,
  });
}

export function useTopicQuery(cluster: string, topic: string) {
  return useQuery({
    queryKey: topicKeys.detail(cluster, topic),
    queryFn: () => apiFetch<TopicDetail>(`${base(cluster)}/${encodeURIComponent(topic)}`),
    refetchInterval: LIVE_REFETCH_MS,
  });
}
