"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { AuditPage } from "@/lib/schemas/audit";

export interface AuditFilters {
  user: string;
  action: string;
  cluster: string;
  /** "": everything; "true": refused attempts only; "false": what went through. */
  refused: "" | "true" | "false";
  /** How far back, in hours; 0: all that is kept. */
  hours: number;
}

/** The query string of `filters` (empty fields left out), as the list and the export ask. */
export function auditSearch(filters: AuditFilters, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const k of ["user", "action", "cluster", "refused"] as const) if (filters[k].trim()) q.set(k, filters[k].trim());
  if (filters.hours > 0) q.set("since", String(Date.now() - filters.hours * 3_600_000));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

/** The audit trail, newest first, a page of 100 at a time. */
export function useAuditQuery(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ["audit", filters],
    queryFn: ({ pageParam }) =>
      apiFetch<AuditPage>(
        `/api/audit?${auditSearch(filters, { limit: "100", ...(pageParam ? { before: String(pageParam) } : {}) })}`,
      ),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    refetchInterval: 10_000,
  });
}
