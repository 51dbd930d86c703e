const tones: Record<string, string> = {
  Stable: "bg-emerald-100 text-emerald-800",
  Empty: "bg-slate-200 text-slate-700",
  PreparingRebalance: "bg-sky-100 text-sky-800",
  CompletingRebalance: "bg-sky-100 text-sky-800",
  // consumer-protocol groups (KIP-848) move through these instead of the two rebalance states
  Assigning: "bg-sky-100 text-sky-800",
  Reconciling: "bg-sky-100 text-sky-800",
  Dead: "bg-rose-100 text-rose-800",
};

/** A consumer group's state as Kafka names it (Stable, Empty, PreparingRebalance, Reconciling, …). */
export function GroupStateBadge({ state }: { state: string }) {
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${tones[state] ?? "bg-amber-100 text-amber-800"}`}>
      {state}
    </span>
  );
}
