import { describe, expect, it } from "vitest";
import { compareAt, parseJsonPath, parseOperand } from "./json-path";

describe("parseJsonPath", () => {
  it("reads names, indexes and quoted names, with or without $", () => {
    expect(parseJsonPath("a.b[0].c")).toEqual(["a", "b", 0, "c"]);
    expect(parseJsonPath("$.a.b")).toEqual(["a", "b"]);
    expect(parseJsonPath('$["odd key"][12].x-y')).toEqual(["odd key", 12, "x-y"]);
    expect(parseJsonPath("$")).toEqual([]);
  });

  it("says where a path is malformed", () => {
    expect(() => parseJsonPath("a..b")).toThrow(/a name .* at character 3/);
    expect(() => parseJsonPath("a[0")).toThrow(/unclosed \[/);
    expect(() => parseJsonPath("a[x]")).toThrow(/index/);
    expect(() => parseJsonPath("a b")).toThrow(/unexpected " "/);
  });
});

describe("compareAt", () => {
  const doc = { order: { id: 7, status: "shipped", items: [{ sku: "A-1", qty: 2 }], tags: ["rush", "gift"] }, n: null };
  const at = (path: string, op: Parameters<typeof compareAt>[2], operand?: string) =>
    compareAt(doc, parseJsonPath(path), op, operand === undefined ? undefined : parseOperand(operand));

  it("compares equal and not equal by JSON value, a bare word as a string", () => {
    expect(at("order.id", "==", "7")).toBe(true);
    expect(at("order.id", "==", '"7"')).toBe(false);
    expect(at("order.status", "==", "shipped")).toBe(true);
    expect(at("order.status", "!=", "shipped")).toBe(false);
    expect(at("order.items[0]", "==", '{"qty":2,"sku":"A-1"}')).toBe(true);
    expect(at("n", "==", "null")).toBe(true);
  });

  it("orders numbers with numbers and strings with strings, never across", () => {
    expect(at("order.items[0].qty", ">", "1")).toBe(true);
    expect(at("order.items[0].qty", ">=", "2")).toBe(true);
    expect(at("order.items[0].qty", "<", "2")).toBe(false);
    expect(at("order.items[0].qty", "<=", "2")).toBe(true);
    expect(at("order.status", ">", "r")).toBe(true);
    expect(at("order.status", ">", "1")).toBe(false);
  });

  it("contains: a substring of a string, an element of an array", () => {
    expect(at("order.status", "contains", "ipp")).toBe(true);
    expect(at("order.tags", "contains", "gift")).toBe(true);
    expect(at("order.tags", "contains", "gi")).toBe(false);
    expect(at("order.id", "contains", "7")).toBe(false);
  });

  it("a missing path matches only != ; exists tells presence", () => {
    expect(at("order.missing", "==", "1")).toBe(false);
    expect(at("order.items[5].qty", ">", "0")).toBe(false);
    expect(at("order.missing", "!=", "1")).toBe(true);
    expect(at("order.missing", "exists")).toBe(false);
    expect(at("n", "exists")).toBe(true);
    expect(at("order.tags.length", "exists")).toBe(false);
  });
});
