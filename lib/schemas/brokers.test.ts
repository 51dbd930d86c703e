import { describe, expect, it } from "vitest";
import { brokerIdSchema, stopBrokerSchema } from "./brokers";

describe("broker schemas", () => {
  it("defaults a stop to graceful and accepts kill", () => {
    expect(stopBrokerSchema.parse({})).toEqual({ mode: "graceful", confirm: false });
    expect(stopBrokerSchema.parse({ mode: "kill", confirm: true })).toEqual({ mode: "kill", confirm: true });
  });

  it.each([{ mode: "force" }, { mode: 1 }, { mode: "kill", extra: true }, { confirm: "yes" }])("refuses %o", (body) => {
    expect(stopBrokerSchema.safeParse(body).success).toBe(false);
  });

  it.each([
    ["3", 3],
    ["0", 0],
  ])("reads broker id %s", (text, id) => {
    expect(brokerIdSchema.parse(text)).toBe(id);
  });

  it.each(["-1", "abc", "1.5", "99999999999"])("refuses broker id %s", (text) => {
    expect(brokerIdSchema.safeParse(text).success).toBe(false);
  });
});
