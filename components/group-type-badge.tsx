import { useTranslations } from "next-intl";
import type { GroupType } from "@/lib/types";

/** A group's protocol: classic or consumer (KIP-848). */
export function GroupTypeBadge({ type, testId }: { type: GroupType; testId?: string }) {
  const t = useTranslations("common.groupType");
  return (
    <span
      title={t(type)}
      data-testid={testId}
      className={`rounded-full px-2 py-0.5 text-xs font-medium ${
        type === "consumer" ? "bg-violet-100 text-violet-800" : "bg-slate-100 text-slate-700"
      }`}
    >
      {type}
    </span>
  );
}
