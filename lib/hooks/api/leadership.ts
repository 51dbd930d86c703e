"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { useLiveRefetchInterval } from "@/lib/hooks/use-cluster-stream";
import type { LeadershipSummary } from "@/lib/types";

export interface LeadershipParams {
  q: string;
  offset: number;
  limit: number;
  sort: "name" | "problems";
}

export const leadershipKeys = {
  all: (cluster: string) => ["clusters", cluster, "leadership"] as const,
  page: (cluster: string, p: LeadershipParams) => ["clusters", cluster, "leadership", p] as const,
};

/** GET …/leadership: the per-broker summary and one page of topic rows (every partition too, on a small cluster). */
export function useLeadershipQuery(cluster: string, p: LeadershipParams) {
  return useQuery({
    queryKey: leadershipKeys.page(cluster, p),
    queryFn: () => {
      const qs = new URLSearchParams({ offset: String(p.offset), limit: String(p.limit), sort: p.sort });
      if (p.q) qs.set("q", p.q);
      return apiFetch<LeadershipSummary>(`/api/clusters/${encodeURIComponent(cluster)}/leadership?${qs}`);
    },
    // Another page or filter keeps the current rows on screen until its answer comes.
    placeholderData: keepPreviousData,
    refetchInterval: useLiveRefetchInterval(),
  });
}
