"use client";
import { useControllersQuery } from "@/lib/hooks/api/clusters";
import { StatusBadge } from "./status-badge";

/** The KRaft controller quorum of a cluster Quorum runs: n voters tolerate ⌊(n−1)/2⌋ failures. */
export function ControllerQuorum({ cluster }: { cluster: string }) {
  const controllers = useControllersQuery(cluster);
  const list = controllers.data ?? [];
  if (list.length === 0) return null;
  const tolerates = Math.floor((list.length - 1) / 2);
  return (
    <section>
      <h2 className="mb-3 text-lg font-semibold">
        KRaft controller quorum{" "}
        <span className="text-sm font-normal text-slate-600">
          ({list.length} voter{list.length > 1 ? "s" : ""}, tolerates {tolerates} failure{tolerates === 1 ? "" : "s"})
        </span>
      </h2>
      <div className="flex flex-wrap gap-3">
        {list.map((c) => (
          <div
            key={c.id}
            data-testid={`controller-${c.id}`}
            className="flex items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm"
          >
            <span className="font-semibold">Controller {c.id}</span>
            <code className="font-mono text-slate-600">
              {c.host}:{c.port}
            </code>
            <StatusBadge status={c.status} />
          </div>
        ))}
      </div>
    </section>
  );
}
