"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { useLiveRefetchInterval } from "@/lib/hooks/use-cluster-stream";
import type { ClusterEntryInput } from "@/lib/schemas/clusters";
import type {
  Broker,
  ClusterOverview,
  ClusterSummary,
  ConnectionTestResult,
  Controller,
  QuorumView,
} from "@/lib/types";

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

/** The controller quorum: leader, epoch, high watermark, each voter's lag and process, the majority. */
export function useQuorumQuery(cluster: string) {
  return useQuery({
    queryKey: [...clusterKeys.controllers(cluster), "quorum"] as const,
    queryFn: () => apiFetch<QuorumView>(`/api/clusters/${encodeURIComponent(cluster)}/quorum`),
    refetchInterval: useLiveRefetchInterval(),
  });
}

/**
 * Whether the cluster refuses changes, and why in words: mutating buttons are disabled with it as
 * their title. Unknown (still loading) counts as writable; the server refuses anyway.
 */
export function useReadOnly(cluster: string): { readOnly: boolean; reason: string | undefined } {
  const summary = useClusterQuery(cluster);
  const readOnly = summary.data?.readOnly ?? false;
  return {
    readOnly,
    reason: readOnly ? `Cluster "${cluster}" is read-only: Quorum makes no change to it` : undefined,
  };
}

/** POST /api/clusters/test: each step of reaching the cluster, in words. */
export function useTestClusterMutation() {
  return useMutation({
    mutationFn: (entry: ClusterEntryInput) =>
      apiFetch<ConnectionTestResult>("/api/clusters/test", { method: "POST", body: entry }),
  });
}

export function useAddClusterMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (entry: ClusterEntryInput) =>
      apiFetch<ClusterEntryInput & { origin: string }>("/api/clusters", { method: "POST", body: entry }),
    onSuccess: () => qc.invalidateQueries({ queryKey: clusterKeys.all, exact: true }),
  });
}

export function useRemoveClusterMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<{ removed: string }>(`/api/clusters/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: (_out, id) => {
      qc.removeQueries({ queryKey: clusterKeys.detail(id) });
      return qc.invalidateQueries({ queryKey: clusterKeys.all, exact: true });
    },
  });
}
