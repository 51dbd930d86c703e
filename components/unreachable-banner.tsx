"use client";
import { useClusterQuery } from "@/lib/hooks/api/clusters";

/** Said on every page of a cluster while no broker answers; it goes away by itself when one does. */
export function UnreachableBanner({ cluster }: { cluster: string }) {
  const summary = useClusterQuery(cluster);
  const s = summary.data;
  if (!s || (s.status !== "unreachable" && s.status !== "stopped")) return null;
  return (
    <div
      role="status"
      data-testid="cluster-unreachable"
      className="rounded-lg border border-rose-300 bg-rose-50 p-4 text-sm text-rose-900"
    >
      <b>Cluster unreachable</b>: no broker answers{s.message ? ` (${s.message})` : ""}.{" "}
      {s.controllable ? "Start a broker on the Brokers page" : "Check that the cluster is running"}; this page recovers
      by itself when one is back.
    </div>
  );
}
