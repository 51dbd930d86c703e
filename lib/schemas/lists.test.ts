import { describe, expect, it } from "vitest";
import { groupListQuerySchema, LIST_LIMIT_DEFAULT, listSearch, topicListQuerySchema } from "./lists";

const fail = (schema: typeof topicListQuerySchema | typeof groupListQuerySchema, input: Record<string, string>) => {
  const r = schema.safeParse(input);
  expect(r.success).toBe(false);
  return r.error?.issues[0];
};

describe("list query schemas", () => {
  it("fills the defaults: first page of 100 by name, without internal topics", () => {
    expect(topicListQuerySchema.parse({})).toEqual({
      q: "",
      sort: "name",
      dir: "asc",
      offset: 0,
      limit: LIST_LIMIT_DEFAULT,
      internal: false,
    });
    expect(groupListQuerySchema.parse({})).toEqual({ q: "", sort: "groupId", dir: "asc", offset: 0, limit: 100 });
  });

  it("reads every parameter from its text", () => {
    expect(
      topicListQuerySchema.parse({
        q: "  Ord ",
        sort: "messages",
        dir: "desc",
        offset: "200",
        limit: "1000",
        internal: "true",
      }),
    ).toEqual({ q: "Ord", sort: "messages", dir: "desc", offset: 200, limit: 1000, internal: true });
    expect(groupListQuerySchema.parse({ sort: "lag", limit: "1" })).toMatchObject({ sort: "lag", limit: 1 });
  });

  it.each([
    [{ limit: "0" }, "limit"],
    [{ limit: "1001" }, "limit"],
    [{ limit: "ten" }, "limit"],
    [{ limit: "" }, "limit"],
    [{ offset: "-1" }, "offset"],
    [{ offset: "1.5" }, "offset"],
    [{ sort: "lag" }, "sort"],
    [{ dir: "up" }, "dir"],
    [{ internal: "yes" }, "internal"],
    [{ q: "x".repeat(257) }, "q"],
  ])("refuses %j naming %s", (input, field) => {
    expect(fail(topicListQuerySchema, input)?.path).toEqual([field]);
  });

  it("refuses an unknown parameter, and sorting groups by a topic column", () => {
    expect(fail(topicListQuerySchema, { page: "2" })?.code).toBe("unrecognized_keys");
    expect(fail(groupListQuerySchema, { internal: "true" })?.code).toBe("unrecognized_keys");
    expect(fail(groupListQuerySchema, { sort: "partitions" })?.path).toEqual(["sort"]);
  });

  it("builds a query string the schema reads back, empty fields left out", () => {
    const text = listSearch({ q: "a&b", sort: "name", dir: "desc", offset: 0, limit: 20, internal: true });
    expect(text).toBe("?q=a%26b&sort=name&dir=desc&offset=0&limit=20&internal=true");
    expect(topicListQuerySchema.parse(Object.fromEntries(new URLSearchParams(text)))).toMatchObject({
      q: "a&b",
      limit: 20,
      internal: true,
    });
    expect(listSearch({ q: "" })).toBe("");
  });
});
