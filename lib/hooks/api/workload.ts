"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { WorkloadStatus } from "@/lib/types";

const base = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}/workload`;
export const workloadKeys = { status: (cluster: string) => ["clusters", cluster, "workload"] as const };

export function useWorkloadQuery(cluster: string) {
  return useQuery({
    queryKey: workloadKeys.status(cluster),
    queryFn: () => apiFetch<WorkloadStatus>(base(cluster)),
    refetchInterval: 2000,
    retry: false,
  });
}

export function useWorkloadMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (action: "start" | "stop") =>
      apiFetch<WorkloadStatus>(base(cluster), { method: "POST", body: { action } }),
    onSuccess: (status) => qc.setQueryData(workloadKeys.status(cluster), status),
  });
}

export function usePauseGroupMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ group, paused }: { group: string; paused: boolean }) =>
      apiFetch<WorkloadStatus>(`${base(cluster)}/groups/${encodeURIComponent(group)}`, {
        method: "POST",
        body: { paused },
      }),
    onSuccess: (status) => qc.setQueryData(workloadKeys.status(cluster), status),
  });
}
