import { useTranslations } from "next-intl";
import type { ClusterStatus, NodeStatus } from "@/lib/types";

const styles: Record<NodeStatus | ClusterStatus, string> = {
  up: "bg-emerald-100 text-emerald-800 ring-emerald-600/30",
  ok: "bg-emerald-100 text-emerald-800 ring-emerald-600/30",
  starting: "bg-sky-100 text-sky-800 ring-sky-600/30",
  stopping: "bg-amber-100 text-amber-800 ring-amber-600/30",
  degraded: "bg-amber-100 text-amber-800 ring-amber-600/30",
  down: "bg-rose-100 text-rose-800 ring-rose-600/30",
  unreachable: "bg-rose-100 text-rose-800 ring-rose-600/30",
  stopped: "bg-slate-200 text-slate-700 ring-slate-500/30",
};

export function StatusBadge({ status, testId }: { status: NodeStatus | ClusterStatus; testId?: string }) {
  const t = useTranslations("common.status");
  return (
    <span
      data-testid={testId}
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${styles[status]}`}
    >
      <span
        className={`h-1.5 w-1.5 rounded-full ${status === "up" || status === "ok" ? "bg-emerald-500" : "bg-current"} ${status === "starting" || status === "stopping" ? "animate-pulse" : ""}`}
      />
      {t(status)}
    </span>
  );
}
