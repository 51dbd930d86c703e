"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { clusterKeys } from "./clusters";

export function useStopBrokerMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, mode }: { id: number; mode: "graceful" | "kill" }) =>
      apiFetch(`/api/clusters/${encodeURIComponent(cluster)}/brokers/${id}/stop`, { method: "POST", body: { mode } }),
    onSettled: () => qc.invalidateQueries({ queryKey: clusterKeys.detail(cluster) }),
  });
}

export function useStartBrokerMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id }: { id: number }) =>
      apiFetch(`/api/clusters/${encodeURIComponent(cluster)}/brokers/${id}/start`, { method: "POST" }),
    onSettled: () => qc.invalidateQueries({ queryKey: clusterKeys.detail(cluster) }),
  });
}
