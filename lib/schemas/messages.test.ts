import { describe, expect, it } from "vitest";
import { MAX_MESSAGES_LIMIT, messagesQuerySchema, produceSchema } from "./messages";

const issue = (
  input: unknown,
  schema: {
    safeParse: (x: unknown) => { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
  } = messagesQuerySchema,
) => {
  const r = schema.safeParse(input);
  expect(r.success).toBe(false);
  const first = r.error?.issues[0];
  return { field: first?.path.join("."), message: first?.message };
};

describe("messagesQuerySchema", () => {
  it("defaults: newest 100, read_committed, auto formats, 16 KiB per value", () => {
    expect(messagesQuerySchema.parse({})).toEqual({
      seek: "newest",
      limit: 100,
      isolation: "read_committed",
      keyFormat: "auto",
      valueFormat: "auto",
      maxValueBytes: 16384,
    });
  });

  it("offset and timestamp imply their seek; offsets keep int64 precision", () => {
    expect(messagesQuerySchema.parse({ offset: "9223372036854775807" })).toMatchObject({
      seek: "offset",
      offset: 9223372036854775807n,
    });
    expect(messagesQuerySchema.parse({ timestamp: "2026-01-02T03:04:05Z" })).toMatchObject({
      seek: "timestamp",
      timestamp: Date.UTC(2026, 0, 2, 3, 4, 5),
    });
  });

  it.each([
    [{ offset: "-1" }, "offset", /whole number/],
    [{ offset: "abc" }, "offset", /whole number/],
    [{ offset: "1e3" }, "offset", /whole number/],
    [{ offset: "9223372036854775808" }, "offset", /at most 2\^63/],
    [{ partition: "-2" }, "partition", /whole number/],
    [{ partition: "x" }, "partition", /whole number/],
    [{ limit: String(MAX_MESSAGES_LIMIT + 1) }, "limit", /at most 1000/],
    [{ limit: "0" }, "limit", /at least 1/],
    [{ isolation: "dirty" }, "isolation", /read_committed or read_uncommitted/],
    [{ seek: "middle" }, "seek", /one of newest/],
    [{ seek: "offset" }, "offset", /required with seek=offset/],
    [{ seek: "newest", offset: "3" }, "offset", /goes with seek=offset/],
    [{ timestamp: "yesterday" }, "timestamp", /milliseconds since 1970 or an ISO 8601/],
    [{ cursor: "abc", offset: "1" }, "cursor", /carries its own positions/],
    [{ valueFormat: "xml" }, "valueFormat", /one of auto/],
    [{ maxValueBytes: "2000000" }, "maxValueBytes", /at most 1048576/],
  ])("refuses %o, naming %s", (input, field, message) => {
    const got = issue(input);
    expect(got.field).toBe(field);
    expect(got.message).toMatch(message);
  });

  it("refuses parameters it does not know", () => {
    expect(messagesQuerySchema.safeParse({ ofset: "1" }).success).toBe(false);
  });
});

describe("produceSchema", () => {
  it("a json value must be JSON, said on the field", () => {
    expect(issue({ value: "{oops", valueType: "json" }, produceSchema)).toEqual({
      field: "value",
      message: expect.stringMatching(/^value is not valid JSON: /),
    });
    expect(produceSchema.parse({ value: "{oops" })).toMatchObject({ valueType: "text", acks: -1, headers: [] });
  });

  it.each([
    [{ value: "x", acks: 2 }, "acks"],
    [{ value: "x", partition: -1 }, "partition"],
    [{ value: "x", headers: [{ key: "", value: "v" }] }, "headers.0.key"],
    [{}, "value"],
  ])("refuses %o on %s", (input, field) => {
    expect(issue(input, produceSchema).field).toBe(field);
  });
});
