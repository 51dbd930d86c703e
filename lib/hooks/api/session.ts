"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { covers, type Role, type SessionInfo } from "@/lib/schemas/auth";

export const sessionKey = ["session"] as const;

/** Whether sign-in is on, who is signed in, and their role per cluster. */
export function useSessionQuery() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: () => apiFetch<SessionInfo>("/api/auth/session"),
    staleTime: 60_000,
  });
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { user: string; password: string }) =>
      apiFetch<SessionInfo>("/api/auth/sign-in", { method: "POST", body }),
    onSuccess: (info) => {
      client.clear();
      client.setQueryData(sessionKey, info);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<{ ok: true }>("/api/auth/sign-out", { method: "POST" }),
    onSuccess: () => client.clear(),
  });
}

/**
 * Whether the signed-in user's role on `cluster` covers `role` (always, with sign-in off; never
 * while the session is not known yet): what the console shows of its actions. The server checks
 * again, topic and group patterns included, and says why when it refuses.
 */
export function useMay(cluster: string): (role: Role) => boolean {
  const info = useSessionQuery().data;
  return (role) => {
    if (!info) return false;
    if (!info.enabled) return true;
    const held = info.roles[cluster];
    return held !== undefined && covers(held, role);
  };
}
