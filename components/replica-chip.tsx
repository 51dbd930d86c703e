import { useTranslations } from "next-intl";
import type { PartitionInfo } from "@/lib/types";

export type ReplicaState = "leader" | "in-sync" | "out-of-sync" | "offline";

export function replicaState(p: PartitionInfo, broker: number): ReplicaState {
  if (p.offlineReplicas.includes(broker)) return "offline";
  if (p.leader === broker) return "leader";
  return p.isr.includes(broker) ? "in-sync" : "out-of-sync";
}

const styles: Record<ReplicaState, string> = {
  leader: "bg-emerald-600 text-white ring-emerald-700",
  "in-sync": "bg-emerald-50 text-emerald-800 ring-emerald-500",
  "out-of-sync": "bg-amber-50 text-amber-800 ring-amber-500 ring-dashed border border-dashed border-amber-500",
  offline: "bg-rose-50 text-rose-700 ring-rose-400 line-through",
};

/** Each state's words: `brokers.replica.states.<key>`. */
const titleKeys: Record<ReplicaState, string> = {
  leader: "leader",
  "in-sync": "inSync",
  "out-of-sync": "outOfSync",
  offline: "offline",
};

export function ReplicaChip({ partition, broker }: { partition: PartitionInfo; broker: number }) {
  const t = useTranslations("brokers.replica");
  const state = replicaState(partition, broker);
  return (
    <span
      title={t("title", { broker, state: t(`states.${titleKeys[state]}`) })}
      data-testid={`replica-${partition.partition}-${broker}`}
      data-state={state}
      className={`inline-flex h-6 min-w-6 items-center justify-center rounded px-1.5 font-mono text-xs font-semibold ring-1 ring-inset ${styles[state]}`}
    >
      {broker}
    </span>
  );
}

export function ReplicaLegend() {
  const t = useTranslations("brokers.replica");
  return (
    <div className="flex flex-wrap gap-4 text-xs text-slate-600">
      {(Object.keys(styles) as ReplicaState[]).map((s) => (
        <span key={s} className="flex items-center gap-1.5">
          <span className={`inline-block h-3 w-3 rounded-sm ring-1 ring-inset ${styles[s]}`} />
          {t(`states.${titleKeys[s]}`)}
        </span>
      ))}
    </div>
  );
}
