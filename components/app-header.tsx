"use client";
import Link from "next/link";
import { useClustersQuery } from "@/lib/hooks/api/clusters";
import { ReadOnlyBadge } from "./read-only-badge";
import { StatusBadge } from "./status-badge";

export function AppHeader() {
  const clusters = useClustersQuery();
  return (
    <header className="border-b border-slate-800 bg-slate-900 text-slate-100">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span className="grid h-7 w-7 place-items-center rounded-md bg-emerald-500 font-bold text-slate-900">Q</span>
          Quorum
        </Link>
        <nav className="flex items-center gap-3 text-sm" aria-label="Clusters">
          {clusters.data?.map((c) => (
            <Link
              key={c.id}
              href={`/clusters/${c.id}`}
              className="flex items-center gap-2 rounded-md px-2 py-1 hover:bg-slate-800"
            >
              {c.name}
              <StatusBadge status={c.status} />
              {c.readOnly && <ReadOnlyBadge />}
            </Link>
          ))}
        </nav>
        <Link
          href="/clusters/new"
          data-testid="add-cluster-link"
          className="ml-auto rounded-md border border-slate-700 px-2 py-1 text-sm hover:bg-slate-800"
        >
          Clusters…
        </Link>
      </div>
    </header>
  );
}
