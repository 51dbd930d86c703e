import { describe, expect, it } from "vitest";
import { searchQuerySchema } from "@/lib/schemas/messages";
import type { RawRecord } from "./batches";
import { buildFilter, compileSearchRegex } from "./filter";

const rec = (
  key: string | null,
  value: string | Buffer | null,
  headers: [string, string | null][] = [],
): RawRecord => ({
  offset: 0n,
  timestamp: 0n,
  timestampType: "CreateTime",
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.isBuffer(value) ? value : Buffer.from(value),
  headers: headers.map(([k, v]) => [Buffer.from(k), v === null ? null : Buffer.from(v)]),
  size: 0,
  codec: "none",
});

const filter = (params: Record<string, string>) => buildFilter(searchQuerySchema.parse(params));

describe("search filters", () => {
  it("substring: byte for byte in key, value or headers, as asked", () => {
    const f = filter({ mode: "substring", pattern: "ünï" });
    expect(f(rec(null, "a ünïcode value"))).toBe(true);
    expect(f(rec("ünï", null))).toBe(true);
    expect(f(rec(null, "x", [["trace", "ünï-1"]]))).toBe(true);
    expect(f(rec(null, "x", [["ünï", null]]))).toBe(true);
    expect(f(rec(null, "UNI"))).toBe(false);
    const valueOnly = filter({ mode: "substring", pattern: "abc", in: "value" });
    expect(valueOnly(rec("abc", "x", [["abc", "abc"]]))).toBe(false);
    expect(valueOnly(rec(null, Buffer.from([0, 0x61, 0x62, 0x63, 0xff])))).toBe(true);
  });

  it("regex: on each field's text", () => {
    const f = filter({ mode: "regex", pattern: "^order-\\d{3}$", in: "key" });
    expect(f(rec("order-123", "x"))).toBe(true);
    expect(f(rec("order-1234", "x"))).toBe(false);
    expect(f(rec(null, "order-123"))).toBe(false);
    expect(filter({ mode: "regex", pattern: "[Ss]hipped|SHIPPED" })(rec(null, "was SHIPPED"))).toBe(true);
    expect(filter({ mode: "regex", pattern: "shipped" })(rec(null, "SHIPPED"))).toBe(false);
  });

  it("regex: an invalid pattern is a 400 naming pattern", () => {
    expect(() => compileSearchRegex("a(b")).toThrow(/pattern: not a valid regular expression/);
    try {
      compileSearchRegex("[z-a]");
      expect.unreachable();
    } catch (err) {
      expect((err as { code: string; field: string }).code).toBe("validation_failed");
      expect((err as { field: string }).field).toBe("pattern");
    }
  });

  it("regex: backreferences and lookarounds are refused; a catastrophic pattern runs in linear time", () => {
    // Only V8's linear-time engine refuses these (the backtracking one runs them): the patterns
    // are compiled by it, so `^(a+)+$` below cannot backtrack (on a backtracking engine this input
    // would take longer than the universe's age).
    expect(() => compileSearchRegex("(a)\\1")).toThrow(/linear time/);
    expect(() => compileSearchRegex("a(?=b)")).toThrow(/linear time/);
    expect(compileSearchRegex("^(a+)+$").flags).toContain("l");
    const evil = filter({ mode: "regex", pattern: "^(a+)+$" });
    expect(evil(rec(null, `${"a".repeat(5000)}!`))).toBe(false);
  });

  it("jsonpath: parses JSON fields only, compares at the path", () => {
    const f = filter({ mode: "jsonpath", path: "order.items[0].qty", op: ">", operand: "1", in: "value" });
    expect(f(rec(null, '{"order":{"items":[{"qty":2}]}}'))).toBe(true);
    expect(f(rec(null, '{"order":{"items":[{"qty":1}]}}'))).toBe(false);
    expect(f(rec(null, "not json {"))).toBe(false);
    expect(f(rec(null, null))).toBe(false);
    const inHeaders = filter({ mode: "jsonpath", path: "v", op: "==", operand: "2", in: "headers" });
    expect(inHeaders(rec(null, '{"v":2}', [["meta", '{"v":2}']]))).toBe(true);
    expect(inHeaders(rec(null, '{"v":2}', [["meta", '{"v":3}']]))).toBe(false);
  });
});

describe("searchQuerySchema", () => {
  const issue = (params: Record<string, string>) => {
    const r = searchQuerySchema.safeParse(params);
    return r.success ? null : `${r.error.issues[0]?.path.join(".")}: ${r.error.issues[0]?.message}`;
  };
  it("refuses budgets above the caps and mixed modes", () => {
    expect(issue({ mode: "substring", pattern: "x", maxMessages: "10000001" })).toMatch(
      /^maxMessages: .*at most 10000000/,
    );
    expect(issue({ mode: "substring", pattern: "x", maxSeconds: "301" })).toMatch(/^maxSeconds/);
    expect(issue({ mode: "substring", pattern: "x", maxMatches: "0" })).toMatch(/^maxMatches/);
    expect(issue({ mode: "substring", pattern: "x".repeat(501) })).toMatch(/^pattern: .*500/);
    expect(issue({ mode: "substring" })).toMatch(/^pattern: .*required/);
    expect(issue({ mode: "jsonpath", path: "a..b", op: "==", operand: "1" })).toMatch(/^path: /);
    expect(issue({ mode: "jsonpath", path: "a", op: ">" })).toMatch(/^operand: /);
    expect(issue({ mode: "substring", pattern: "x", in: "value,body" })).toMatch(/^in: .*"body"/);
    expect(issue({ mode: "substring", pattern: "x", partition: "0,x" })).toMatch(/^partition/);
    expect(issue({ mode: "substring", pattern: "x", offset: "5" })).toMatch(/^offset: offset goes with seek=offset/);
    expect(issue({ mode: "substring", pattern: "x", seek: "offset", offset: "5", partition: "0,2" })).toBeNull();
  });
});
