import { describe, expect, it } from "vitest";
import type { ListPage } from "@/lib/types";
import { nextOffset, rowsOf } from "./list-pages";

const page = (offset: number, items: string[], matched: number): ListPage<string> => ({
  items,
  total: 50,
  matched,
  offset,
  limit: 2,
  snapshot: {
    takenAt: 0,
    ageMs: 0,
    complete: true,
    partial: { metadata: false, offsets: false, groups: false, quorum: false, elr: false },
  },
});

describe("list pages in the browser", () => {
  it("asks for the next page until what matched is all loaded", () => {
    expect(nextOffset(page(0, ["a", "b"], 5))).toBe(2);
    expect(nextOffset(page(4, ["e"], 5))).toBeUndefined();
    // Fewer matches now than when the page was asked for: an empty page ends the list.
    expect(nextOffset(page(6, [], 10))).toBeUndefined();
  });

  it("joins the pages, keeping a row that moved into the next page where it was first seen", () => {
    expect(rowsOf([page(0, ["a", "b"], 4), page(2, ["b", "c"], 4)], (s) => s)).toEqual(["a", "b", "c"]);
    expect(rowsOf(undefined, (s: string) => s)).toEqual([]);
  });
});
