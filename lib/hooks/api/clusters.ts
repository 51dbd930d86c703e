"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { useLiveRefetchInterval } from "@/lib/hooks/use-cluster-stream";
import type { Broker, ClusterOverview, ClusterSummary, Controller } from "@/lib/types";

export const clusterKeys = {
  all: ["clusters"] as const,
  detail: (cluster: string) => ["clusters", cluster] as const,
  summary: (cluster: string) => ["clusters", cluster, "summary"] as const,
  brokers: (cluster: string) => ["clusters", cluster, "brokers"] as const,
  controllers: (cluster: string) => ["clusters", cluster, "controllers"] as const,
  overview: (cluster: string) => ["clusters", cluster, "overview"] as const,
};

export function useOverviewQuery(cluster: string) {
  return useQuery({
    queryKey: clusterKeys.overview(cluster),
    queryFn: () => apiFetch<ClusterOverview>(`/api/clusters/${encodeURIComponent(cluster)}/overview`),
    refetchInterval: useLiveRefetchInterval(),
  });
}

export function useClustersQuery() {
  return useQuery({
    queryKey: clusterKeys.all,
    queryFn: () => apiFetch<ClusterSummary[]>("/api/clusters"),
    refetchInterval: useLiveRefetchInterval(),
  });
}

export function useClusterQuery(cluster: string) {
  return useQuery({
    queryKey: clusterKeys.summary(cluster),
    queryFn: () => apiFetch<ClusterSummary>(`/api/clusters/${encodeURIComponent(cluster)}`),
    refetchInterval: useLiveRefetchInterval(),
  });
}

export function useBrokersQuery(cluster: string) {
  return useQuery({
    queryKey: clusterKeys.brokers(cluster),
    queryFn: () => apiFetch<Broker[]>(`/api/clusters/${encodeURIComponent(cluster)}/brokers`),
    refetchInterval: useLiveRefetchInterval(),
  });
}

export function useControllersQuery(cluster: string) {
  return useQuery({
    queryKey: clusterKeys.controllers(cluster),
    queryFn: () => apiFetch<Controller[]>(`/api/clusters/${encodeURIComponent(cluster)}/controllers`),
    refetchInterval: useLiveRefetchInterval(),
  });
}
