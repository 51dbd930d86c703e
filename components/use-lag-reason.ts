"use client";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import type { LagWhy } from "@/lib/types";

/**
 * A lag status's reason in the page's language, from its key and numbers (`why`); the API's
 * English `reason` when there is no `why`. In English both read the same (lib/lag-status.test.ts).
 */
export function useLagReason(): (why: LagWhy | undefined, reason: string | undefined) => string | undefined {
  const t = useTranslations("groups.lagReason");
  return useCallback((why, reason) => (why ? t(why.key, why) : reason), [t]);
}
