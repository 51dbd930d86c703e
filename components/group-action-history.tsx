"use client";
import { useGroupActionsQuery } from "@/lib/hooks/api/group-actions";

const MAX_CHANGES_SHOWN = 6;

/** The group's timeline of actions done through Quorum: who reset what, from what to what. */
export function GroupActionHistory({ cluster, group }: { cluster: string; group: string }) {
  const actions = useGroupActionsQuery(cluster, group);
  const list = [...(actions.data ?? [])].reverse();
  return (
    <section>
      <h2 className="mb-2 text-lg font-semibold">Actions</h2>
      {actions.error ? (
        <p className="text-sm text-rose-700">{actions.error.message}</p>
      ) : list.length === 0 ? (
        <p className="text-sm text-slate-500">No reset or deletion through Quorum yet.</p>
      ) : (
        <ol className="space-y-2" data-testid="group-actions">
          {list.map((a) => (
            <li key={`${a.ts}-${a.action}`} className="rounded-md border border-slate-200 bg-white p-3 text-sm">
              <div className="flex flex-wrap items-baseline gap-2">
                <time className="font-mono text-xs text-slate-500">{new Date(a.ts).toLocaleString()}</time>
                <span className="font-medium">{a.by}</span>
                <span>{a.summary}</span>
              </div>
              {a.changes.length > 0 && (
                <p className="mt-1 font-mono text-xs text-slate-600">
                  {a.changes
                    .slice(0, MAX_CHANGES_SHOWN)
                    .map((c) => `${c.topic}-${c.partition}: ${c.from ?? "—"} → ${c.to ?? "deleted"}`)
                    .join("; ")}
                  {a.changes.length > MAX_CHANGES_SHOWN && `; … ${a.changes.length - MAX_CHANGES_SHOWN} more`}
                </p>
              )}
              <p className="mt-1 break-all font-mono text-xs text-slate-400">$ {a.command}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
