"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { StartDrillInput } from "@/lib/schemas/drills";
import type { DrillReport } from "@/lib/types";

const base = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}/drills`;
export const drillKeys = {
  all: (cluster: string) => ["clusters", cluster, "drills"] as const,
  detail: (cluster: string, id: string) => ["clusters", cluster, "drills", id] as const,
};

export function useDrillsQuery(cluster: string) {
  return useQuery({
    queryKey: drillKeys.all(cluster),
    queryFn: () => apiFetch<DrillReport[]>(base(cluster)),
    refetchInterval: (q) =>
      q.state.data?.some((d) => d.status === "running" || d.status === "verifying") ? 1000 : 10_000,
  });
}

export function useStartDrillMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: StartDrillInput) => apiFetch<DrillReport>(base(cluster), { method: "POST", body: input }),
    onSettled: () => qc.invalidateQueries({ queryKey: drillKeys.all(cluster) }),
  });
}

/** Ends a running drill once the broker it restarts is back. */
export function useAbortDrillMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<DrillReport>(`${base(cluster)}/${encodeURIComponent(id)}/abort`, { method: "POST", body: {} }),
    onSettled: () => qc.invalidateQueries({ queryKey: drillKeys.all(cluster) }),
  });
}
