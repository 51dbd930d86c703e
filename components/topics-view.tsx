"use client";
import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useMemo, useRef, useState } from "react";
import { useReadOnly } from "@/lib/hooks/api/clusters";
import { useTopicsQuery } from "@/lib/hooks/api/topics";
import type { TopicSummary } from "@/lib/types";
import { ErrorPanel } from "./error-panel";
import { formatNumber } from "./format";

const ROW_HEIGHT = 41;

export function TopicsView({ cluster }: { cluster: string }) {
  const topics = useTopicsQuery(cluster);
  const { readOnly, reason } = useReadOnly(cluster);
  const [search, setSearch] = useState("");
  const [showInternal, setShowInternal] = useState(false);
  const [sorting, setSorting] = useState<SortingState>([{ id: "name", desc: false }]);
  const root = `/clusters/${encodeURIComponent(cluster)}`;

  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (topics.data ?? []).filter((t) => (showInternal || !t.internal) && (!q || t.name.toLowerCase().includes(q)));
  }, [topics.data, search, showInternal]);

  const columns = useMemo<ColumnDef<TopicSummary>[]>(
    () => [
      {
        accessorKey: "name",
        header: "Topic",
        cell: ({ row }) => (
          <span className="flex items-center gap-2">
            <Link
              href={`${root}/topics/${encodeURIComponent(row.original.name)}`}
              className="font-medium text-emerald-700 hover:underline"
              data-testid={`topic-link-${row.original.name}`}
            >
              {row.original.name}
            </Link>
            {row.original.internal && (
              <span className="rounded bg-slate-100 px-1.5 text-xs text-slate-600">internal</span>
            )}
          </span>
        ),
      },
      { accessorKey: "partitions", header: "Partitions", meta: { numeric: true } },
      { accessorKey: "replicationFactor", header: "RF", meta: { numeric: true } },
      {
        accessorKey: "underReplicated",
        header: "Under-replicated",
        meta: { numeric: true },
        cell: ({ getValue }) => {
          const v = getValue<number>();
          return v > 0 ? (
            <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-800">{v} URP</span>
          ) : (
            <span className="text-slate-400">0</span>
          );
        },
      },
      {
        accessorKey: "offline",
        header: "Offline",
        meta: { numeric: true },
        cell: ({ getValue }) => {
          const v = getValue<number>();
          return v > 0 ? (
            <span className="rounded-full bg-rose-100 px-2 py-0.5 text-xs font-semibold text-rose-800">
              {v} offline
            </span>
          ) : (
            <span className="text-slate-400">0</span>
          );
        },
      },
      {
        accessorKey: "messages",
        header: "Messages",
        meta: { numeric: true },
        cell: ({ getValue }) => formatNumber(getValue<number>()),
      },
    ],
    [root],
  );

  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const tableRows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);

  if (topics.error) return <ErrorPanel error={topics.error} />;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Topics</h1>
        <div className="flex items-center gap-4">
          {readOnly ? (
            <button
              type="button"
              disabled
              title={reason}
              data-testid="create-topic"
              className="cursor-not-allowed rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white opacity-50"
            >
              Create topic
            </button>
          ) : (
            <Link
              href={`${root}/topics/new`}
              data-testid="create-topic"
              className="rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-700"
            >
              Create topic
            </Link>
          )}
          <input
            type="search"
            placeholder="Search topics"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="topic-search"
            className="w-64 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
          />
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              checked={showInternal}
              onChange={(e) => setShowInternal(e.target.checked)}
              data-testid="toggle-internal"
            />
            Internal topics
          </label>
        </div>
      </div>
      <p className="text-sm text-slate-600" data-testid="topic-count">
        {topics.data ? `${rows.length} of ${topics.data.length} topics` : "Loading topics…"}
      </p>
      {topics.data && rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
          {topics.data.length === 0
            ? "This cluster has no topics yet. Create one with kafka-topics.sh --create, or from a client."
            : "No topic matches. Clear the search or show internal topics."}
        </div>
      ) : (
        <div ref={scrollRef} className="max-h-[70vh] overflow-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm" data-testid="topics-table">
            <thead className="sticky top-0 z-10 bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              {table.getHeaderGroups().map((hg) => (
                <tr key={hg.id}>
                  {hg.headers.map((h) => {
                    const numeric = (h.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                    const sorted = h.column.getIsSorted();
                    return (
                      <th key={h.id} className={`px-4 py-2 ${numeric ? "text-right" : ""}`}>
                        <button
                          type="button"
                          onClick={h.column.getToggleSortingHandler()}
                          className="uppercase hover:text-slate-900"
                        >
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          {sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}
                        </button>
                      </th>
                    );
                  })}
                </tr>
              ))}
            </thead>
            <tbody className="divide-y divide-slate-100">
              {padTop > 0 && (
                <tr>
                  <td style={{ height: padTop }} colSpan={columns.length} />
                </tr>
              )}
              {items.map((vi) => {
                const row = tableRows[vi.index];
                if (!row) return null;
                return (
                  <tr key={row.id} style={{ height: ROW_HEIGHT }} data-testid="topic-row">
                    {row.getVisibleCells().map((cell) => {
                      const numeric = (cell.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                      return (
                        <td key={cell.id} className={`px-4 py-2 ${numeric ? "text-right tabular-nums" : ""}`}>
                          {flexRender(cell.column.columnDef.cell, cell.getContext())}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
              {padBottom > 0 && (
                <tr>
                  <td style={{ height: padBottom }} colSpan={columns.length} />
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
