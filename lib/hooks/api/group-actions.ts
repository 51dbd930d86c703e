"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { groupKeys } from "@/lib/hooks/api/consumer-groups";
import type { ResetOffsetsInput } from "@/lib/schemas/groups";
import type { GroupActionRecord, GroupDeleteReport, OffsetResetReport } from "@/lib/types";

const groupPath = (cluster: string, group: string) =>
  `/api/clusters/${encodeURIComponent(cluster)}/consumer-groups/${encodeURIComponent(group)}`;

export const groupActionKeys = {
  actions: (cluster: string, group: string) => [...groupKeys.detail(cluster, group), "actions"] as const,
};

/** Resets and deletions done on the group through Quorum (its timeline). */
export function useGroupActionsQuery(cluster: string, group: string) {
  return useQuery({
    queryKey: groupActionKeys.actions(cluster, group),
    queryFn: () => apiFetch<GroupActionRecord[]>(`${groupPath(cluster, group)}/actions`),
  });
}

/** POST …/reset-offsets: a preview unless `execute`; an applied reset refreshes the group. */
export function useResetOffsetsMutation(cluster: string, group: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ResetOffsetsInput) =>
      apiFetch<OffsetResetReport>(`${groupPath(cluster, group)}/reset-offsets`, { method: "POST", body: input }),
    onSuccess: (report) => {
      if (report.executed) return qc.invalidateQueries({ queryKey: groupKeys.detail(cluster, group) });
    },
  });
}

export function useDeleteGroupMutation(cluster: string, group: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<GroupDeleteReport>(groupPath(cluster, group), { method: "DELETE" }),
    onSettled: () => qc.invalidateQueries({ queryKey: groupKeys.all(cluster) }),
  });
}

export function useDeleteGroupOffsetsMutation(cluster: string, group: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (topic: string) =>
      apiFetch<GroupDeleteReport>(`${groupPath(cluster, group)}/offsets/${encodeURIComponent(topic)}`, {
        method: "DELETE",
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: groupKeys.detail(cluster, group) }),
  });
}
