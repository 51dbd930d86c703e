"use client";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslations } from "next-intl";
import { type ReactNode, useEffect, useRef } from "react";
import type { SortDir } from "@/lib/schemas/lists";

/** A column of a virtual table: its heading, its cell, and the server's sort key when it sorts. */
export interface VirtualColumn<T> {
  id: string;
  label: string;
  numeric?: boolean;
  /** The `sort` value the server knows this column by; absent: the column does not sort. */
  sortKey?: string;
  cell: (row: T) => ReactNode;
  /** The cell's test id, when a test looks for it. */
  testId?: (row: T) => string;
}

/** Rows from the last one on screen to the end of what is loaded, under which the next page is asked for. */
const PREFETCH_ROWS = 30;

/**
 * A table whose body renders only the rows in view (plus a margin), for lists of any length fed page
 * by page from the server: `rows` are the rows loaded so far; scrolling within PREFETCH_ROWS of
 * their end calls `onLoadMore` while `hasMore`. Sorting is the server's: a heading's click calls
 * `onSort` with its key.
 */
export function VirtualTable<T>({
  testId,
  rowTestId,
  rowKey,
  columns,
  rows,
  rowHeight,
  hasMore,
  loadingMore,
  onLoadMore,
  sort,
  onSort,
  busy,
  resetKey,
}: {
  testId: string;
  rowTestId: (row: T) => string;
  rowKey: (row: T) => string;
  columns: VirtualColumn<T>[];
  rows: T[];
  rowHeight: number;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  sort: { key: string; dir: SortDir };
  onSort: (key: string) => void;
  /** A new search or sort is on its way: the rows shown are the previous answer's. */
  busy?: boolean;
  /** Changes with the search and sort: the list scrolls back to its top. */
  resetKey?: string;
}) {
  const t = useTranslations("common");
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // Before the table is measured (and when rendered on the server): a 1280×800 window's table
    // (70vh), so the first rows are in the HTML and hydrate as they are.
    initialRect: { width: 1200, height: 560 },
  });
  useEffect(() => {
    if (resetKey !== undefined) scrollRef.current?.scrollTo({ top: 0 });
  }, [resetKey]);
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - PREFETCH_ROWS) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, onLoadMore]);
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);

  return (
    <div
      ref={scrollRef}
      className={`max-h-[70vh] overflow-auto rounded-lg border border-slate-200 bg-white transition-opacity ${busy ? "opacity-60" : ""}`}
      aria-busy={busy || undefined}
    >
      <table className="min-w-full text-sm" data-testid={testId}>
        <thead className="sticky top-0 z-10 bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((c) => {
              const sorted = c.sortKey !== undefined && sort.key === c.sortKey ? sort.dir : null;
              return (
                <th
                  key={c.id}
                  className={`px-4 py-2 ${c.numeric ? "text-right" : ""}`}
                  aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                >
                  {c.sortKey === undefined ? (
                    c.label
                  ) : (
                    <button
                      type="button"
                      onClick={() => c.sortKey !== undefined && onSort(c.sortKey)}
                      className="uppercase hover:text-slate-900"
                      data-testid={`sort-${c.id}`}
                    >
                      {c.label}
                      {sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}
                    </button>
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {padTop > 0 && (
            <tr>
              <td style={{ height: padTop }} colSpan={columns.length} />
            </tr>
          )}
          {items.map((vi) => {
            const row = rows[vi.index];
            if (!row) {
              return (
                <tr key="more" style={{ height: rowHeight }}>
                  <td colSpan={columns.length} className="px-4 py-2 text-slate-500" data-testid={`${testId}-more`}>
                    {t("loadingMore")}
                  </td>
                </tr>
              );
            }
            return (
              <tr key={rowKey(row)} style={{ height: rowHeight }} data-testid={rowTestId(row)}>
                {columns.map((c) => (
                  <td
                    key={c.id}
                    className={`whitespace-nowrap px-4 py-2 ${c.numeric ? "text-right tabular-nums" : ""}`}
                    data-testid={c.testId?.(row)}
                  >
                    {c.cell(row)}
                  </td>
                ))}
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
  );
}

/** The next sort after a click on `key`: the same column flips; another starts ascending for names, descending for counts. */
export function nextSort<K extends string>(
  current: { key: K; dir: SortDir },
  key: K,
  startsDescending: (key: K) => boolean,
): { key: K; dir: SortDir } {
  if (current.key === key) return { key, dir: current.dir === "asc" ? "desc" : "asc" };
  return { key, dir: startsDescending(key) ? "desc" : "asc" };
}
