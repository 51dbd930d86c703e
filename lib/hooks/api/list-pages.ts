import type { ListPage } from "@/lib/types";

/** Rows the browser asks for at a time: a screenful and more, a few kilobytes. */
export const LIST_PAGE_SIZE = 100;

/** Where the page after `last` starts, or undefined when `last` reached the end of what matched. */
export function nextOffset(last: ListPage<unknown>): number | undefined {
  const end = last.offset + last.items.length;
  return last.items.length > 0 && end < last.matched ? end : undefined;
}

/** Every row of the pages loaded so far, in order, each once (a row that moved between pages while they were fetched is kept where it was first seen). */
export function rowsOf<T>(pages: readonly ListPage<T>[] | undefined, key: (row: T) => string): T[] {
  const seen = new Set<string>();
  const rows: T[] = [];
  for (const page of pages ?? []) {
    for (const row of page.items) {
      const k = key(row);
      if (seen.has(k)) continue;
      seen.add(k);
      rows.push(row);
    }
  }
  return rows;
}
