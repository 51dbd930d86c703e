"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { useLiveRefetchInterval } from "@/lib/hooks/use-cluster-stream";
import type { ConsumerGroupDetail, ConsumerGroupSummary } from "@/lib/types";

const base = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}/consumer-groups`;

export const groupKeys = {
  all: (cluster: string) => ["clusters", cluster, "consumer-groups"] as const,
  list: (cluster: string) => ["clusters", cluster, "consumer-groups", "list"] as const,
  detail: (cluster: string, group: string) => ["clusters", cluster, "consumer-groups", "detail", group] as const,
};

export function useConsumerGroupsQuery(cluster: string) {
  return useQuery({
    queryKey: groupKeys.list(cluster),
    queryFn: () => apiFetch<ConsumerGroupSummary[]>(base(cluster)),
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
