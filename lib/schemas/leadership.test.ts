import { describe, expect, it } from "vitest";
import { leadershipQuerySchema, partitionsQuerySchema } from "./leadership";

const issue = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => ({
  field: r.error?.issues[0]?.path.join("."),
  message: r.error?.issues[0]?.message,
});

describe("leadershipQuerySchema", () => {
  it("defaults to the first 50 topics by name, internal ones left out", () => {
    expect(leadershipQuerySchema.parse({})).toEqual({ q: "", offset: 0, limit: 50, sort: "name", internal: false });
    expect(
      leadershipQuerySchema.parse({ q: "ord", offset: "100", limit: "500", sort: "problems", internal: "true" }),
    ).toEqual({ q: "ord", offset: 100, limit: 500, sort: "problems", internal: true });
  });

  it.each([
    [{ limit: "0" }, "limit", "limit is at least 1"],
    [{ limit: "501" }, "limit", "limit is at most 500"],
    [{ limit: "ten" }, "limit", "limit is a whole number (0 or more)"],
    [{ offset: "-1" }, "offset", "offset is a whole number (0 or more)"],
    [{ offset: "1.5" }, "offset", "offset is a whole number (0 or more)"],
    [{ sort: "leaders" }, "sort", "sort is name or problems"],
    [{ internal: "yes" }, "internal", "internal is true or false"],
    [{ q: "x".repeat(250) }, "q", "q is at most 249 characters (a topic name's longest)"],
  ])("refuses %j naming the field", (input, field, message) => {
    expect(issue(leadershipQuerySchema.safeParse(input))).toEqual({ field, message });
  });

  it("refuses an unknown parameter", () => {
    const r = leadershipQuerySchema.safeParse({ page: "2" });
    expect(r.success).toBe(false);
  });
});

describe("partitionsQuerySchema", () => {
  it("asks for every partition when nothing is given", () => {
    expect(partitionsQuerySchema.parse({})).toEqual({ internal: false, offset: 0 });
  });

  it("takes a topic and a page", () => {
    expect(partitionsQuerySchema.parse({ topic: "orders", offset: "10", limit: "5000" })).toEqual({
      internal: false,
      topic: "orders",
      offset: 10,
      limit: 5000,
    });
    expect(issue(partitionsQuerySchema.safeParse({ limit: "5001" }))).toEqual({
      field: "limit",
      message: "limit is at most 5000",
    });
    expect(issue(partitionsQuerySchema.safeParse({ topic: "" }))).toEqual({
      field: "topic",
      message: "topic is a topic's name",
    });
  });
});
