"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Grant, NewToken, TokenInfo } from "@/lib/schemas/auth";

const tokensKey = ["tokens"] as const;

export function useTokensQuery() {
  return useQuery({ queryKey: tokensKey, queryFn: () => apiFetch<TokenInfo[]>("/api/auth/tokens") });
}

/** A token just made: the only time its value is known. */
export interface MadeToken {
  id: string;
  token: string;
  name: string;
  grant: Grant;
  expiresAt: number | null;
}

export function useCreateTokenMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<NewToken> & Pick<NewToken, "name" | "role">) =>
      apiFetch<MadeToken>("/api/auth/tokens", { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeTokenMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<{ revoked: string }>(`/api/auth/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: tokensKey }),
  });
}
