import type { GroupType } from "@/lib/types";

const titles: Record<GroupType, string> = {
  classic: "Classic group protocol: members join and sync, and a leader member assigns the partitions",
  consumer:
    "Consumer group protocol (KIP-848, group.protocol=consumer): the coordinator assigns partitions and members reconcile one by one",
};

/** A group's protocol: classic or consumer (KIP-848). */
export function GroupTypeBadge({ type, testId }: { type: GroupType; testId?: string }) {
  return (
    <span
      title={titles[type]}
      data-testid={testId}
      className={`rounded-full px-2 py-0.5 text-xs font-medium ${
        type === "consumer" ? "bg-violet-100 text-violet-800" : "bg-slate-100 text-slate-700"
      }`}
    >
      {type}
    </span>
  );
}
