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

const titles: Record<ReplicaState, string> = {
  leader: "leader",
  "in-sync": "in-sync follower",
  "out-of-sync": "out of sync: not in the ISR",
  offline: "offline replica",
};

export function ReplicaChip({ partition, broker }: { partition: PartitionInfo; broker: number }) {
  const state = replicaState(partition, broker);
  return (
    <span
      title={`broker ${broker}: ${titles[state]}`}
      data-testid={`replica-${partition.partition}-${broker}`}
      data-state={state}
      className={`inline-flex h-6 min-w-6 items-center justify-center rounded px-1.5 font-mono text-xs font-semibold ring-1 ring-inset ${styles[state]}`}
    >
      {broker}
    </span>
  );
}

export function ReplicaLegend() {
  return (
    <div className="flex flex-wrap gap-4 text-xs text-slate-600">
      {(Object.keys(styles) as ReplicaState[]).map((s) => (
        <span key={s} className="flex items-center gap-1.5">
          <span className={`inline-block h-3 w-3 rounded-sm ring-1 ring-inset ${styles[s]}`} />
          {titles[s]}
        </span>
      ))}
    </div>
  );
}
