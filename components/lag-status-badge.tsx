import type { LagStatus } from "@/lib/types";

const tones: Record<LagStatus, string> = {
  OK: "bg-emerald-100 text-emerald-800",
  WARNING: "bg-amber-100 text-amber-800",
  STALLED: "bg-rose-100 text-rose-800",
  STOPPED: "bg-slate-300 text-slate-800",
};

export function LagStatusBadge({ status, reason, testId }: { status: LagStatus; reason?: string; testId?: string }) {
  return (
    <span
      title={reason}
      data-testid={testId}
      className={`rounded px-1.5 py-0.5 text-xs font-semibold ${tones[status]}`}
    >
      {status}
    </span>
  );
}
