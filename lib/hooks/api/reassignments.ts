"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { ReassignmentGoal, StartReassignmentInput } from "@/lib/schemas/reassignments";
import type { ReassignmentPlanView, ReassignmentRun, ReassignmentsView } from "@/lib/types";

const base = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}/reassignments`;
export const reassignmentKeys = {
  all: (cluster: string) => ["clusters", cluster, "reassignments"] as const,
  plan: (cluster: string, goal: ReassignmentGoal | null) =>
    ["clusters", cluster, "reassignments", "plan", goal] as const,
};

/** The plan's query string for a goal. */
export function planSearch(goal: ReassignmentGoal): string {
  const q = new URLSearchParams({ goal: goal.kind });
  if (goal.kind === "drain") q.set("broker", String(goal.broker));
  if (goal.kind === "topic") {
    q.set("topic", goal.topic);
    q.set("brokers", goal.brokers.join(","));
  }
  if (goal.kind === "replication-factor") {
    q.set("topic", goal.topic);
    q.set("replicationFactor", String(goal.replicationFactor));
  }
  return `?${q}`;
}

/** Quorum's runs and Kafka's moves under way: every second while one runs, else as the stream says. */
export function useReassignmentsQuery(cluster: string) {
  return useQuery({
    queryKey: reassignmentKeys.all(cluster),
    queryFn: () => apiFetch<ReassignmentsView>(base(cluster)),
    refetchInterval: (q) =>
      q.state.data?.runs.some((r) => r.status === "running" || r.status === "cancelling") ||
      (q.state.data?.ongoing.length ?? 0) > 0
        ? 1000
        : 10_000,
  });
}

/** The plan for `goal` (none until a goal is asked for); not refetched by itself: the person asks again. */
export function usePlanQuery(cluster: string, goal: ReassignmentGoal | null) {
  return useQuery({
    queryKey: reassignmentKeys.plan(cluster, goal),
    queryFn: () => apiFetch<ReassignmentPlanView>(`${base(cluster)}/plan${planSearch(goal as ReassignmentGoal)}`),
    enabled: goal !== null,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    retry: false,
  });
}

export function useStartReassignmentMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: StartReassignmentInput) =>
      apiFetch<ReassignmentRun>(base(cluster), { method: "POST", body: input }),
    onSettled: () => qc.invalidateQueries({ queryKey: reassignmentKeys.all(cluster) }),
  });
}

export function useCancelReassignmentMutation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<ReassignmentRun>(`${base(cluster)}/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSettled: () => qc.invalidateQueries({ queryKey: reassignmentKeys.all(cluster) }),
  });
}
