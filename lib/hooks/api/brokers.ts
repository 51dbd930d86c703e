"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { ElectionReport, StopImpact } from "@/lib/types";
import { clusterKeys } from "./clusters";

/** What stopping a broker would take offline, asked just before the stop. */
export function fetchStopImpact(cluster: string, id: number): Promise<StopImpact> {
  return apiFetch<StopImpact>(`/api/clusters/${encodeURIComponent(cluster)}/brokers/${id}/impact`);
}

/** Preferred leader election for one topic, or every topic when none is given. */
export function useElectLeadersMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (topic?: string) =>
      apiFetch<ElectionReport>(`/api/clusters/${encodeURIComponent(cluster)}/elect-leaders`, {
        method: "POST",
        body: topic ? { topic } : {},
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: clusterKeys.detail(cluster) }),
  });
}

export function useStopBrokerMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, mode, confirm = false }: { id: number; mode: "graceful" | "kill"; confirm?: boolean }) =>
      apiFetch(`/api/clusters/${encodeURIComponent(cluster)}/brokers/${id}/stop`, {
        method: "POST",
        body: { mode, confirm },
      }),
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

/** Adds a broker to the lab; resolves once it answers. */
export function useAddBrokerMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiFetch<{ broker: number }>(`/api/clusters/${encodeURIComponent(cluster)}/brokers`, {
        method: "POST",
        body: {},
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: clusterKeys.detail(cluster) }),
  });
}

/** Takes a broker that holds no replica out of the lab (stopping it first if it runs). */
export function useRemoveBrokerMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      apiFetch(`/api/clusters/${encodeURIComponent(cluster)}/brokers/${id}`, { method: "DELETE" }),
    onSettled: () => qc.invalidateQueries({ queryKey: clusterKeys.detail(cluster) }),
  });
}

/** Stops (graceful or kill) or starts a controller of the lab. */
export function useControllerMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      action,
      confirm = false,
    }: {
      id: number;
      action: "graceful" | "kill" | "start";
      confirm?: boolean;
    }) =>
      apiFetch(
        `/api/clusters/${encodeURIComponent(cluster)}/controllers/${id}/${action === "start" ? "start" : "stop"}`,
        { method: "POST", body: action === "start" ? {} : { mode: action, confirm } },
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: clusterKeys.controllers(cluster) }),
  });
}

/** Starts the lab over at another size (its topics and messages are deleted). */
export function useRecreateLabMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (shape: { brokers: number; controllers: 1 | 3 }) =>
      apiFetch(`/api/clusters/${encodeURIComponent(cluster)}/lab`, {
        method: "POST",
        body: { ...shape, confirm: true },
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: clusterKeys.detail(cluster) }),
  });
}
