import { describe, expect, it } from "vitest";
import { type Grant, grantSchema } from "@/lib/schemas/auth";
import { allows, grantsOf, type Identity, listPatterns, matches, roleOn } from "./access";
import { policyFor } from "./policy";

const g = (x: Record<string, unknown>): Grant => grantSchema.parse(x);
const p = (pattern: string, method: string) => {
  const policy = policyFor(pattern, method);
  if (!policy) throw new Error(`no policy for ${method} ${pattern}`);
  return policy;
};
const TOPIC = "/api/clusters/[cluster]/topics/[topic]";
const CONFIGS = "/api/clusters/[cluster]/topics/[topic]/configs";
const RESET = "/api/clusters/[cluster]/consumer-groups/[group]/reset-offsets";
const TOPICS = "/api/clusters/[cluster]/topics";
const STOP = "/api/clusters/[cluster]/brokers/[broker]/stop";

describe("name patterns", () => {
  it("reads * as any run of characters and everything else literally", () => {
    expect(matches("orders-*", "orders-eu")).toBe(true);
    expect(matches("orders-*", "orders-")).toBe(true);
    expect(matches("orders-*", "x-orders-eu")).toBe(false);
    expect(matches("*", "")).toBe(true);
    expect(matches("a.b", "aXb")).toBe(false);
    expect(matches("a.b", "a.b")).toBe(true);
    expect(matches("(x)+", "(x)+")).toBe(true);
    expect(matches("*-dlq", "payments-dlq")).toBe(true);
  });
});

describe("grants", () => {
  const grants = [
    g({ user: "ana", role: "admin" }),
    g({ group: "ops", role: "operator", clusters: ["prod-*"] }),
    g({ group: "payments", role: "operator", clusters: ["prod-eu"], topics: "payments-*", groups: "payments-*" }),
  ];
  const who = (name: string, groups: string[] = []): Identity => ({ name, groups, via: "password" });

  it("apply by user name or by group, and a token carries its own", () => {
    expect(grantsOf(who("ana"), { grants })).toEqual([grants[0]]);
    expect(grantsOf(who("bo", ["ops", "payments"]), { grants })).toEqual([grants[1], grants[2]]);
    expect(grantsOf(who("ana-2"), { grants })).toEqual([]);
    const own = [g({ user: "token:1", role: "viewer" })];
    expect(grantsOf({ name: "token:1", groups: [], via: "token", grants: own }, { grants })).toBe(own);
  });

  it("allow a route when the role covers it on a matching cluster", () => {
    const ops = [grants[1] as Grant];
    expect(allows(ops, p(TOPICS, "POST"), { cluster: "prod-eu" })).toBe(true);
    expect(allows(ops, p(TOPICS, "POST"), { cluster: "staging" })).toBe(false);
    expect(allows(ops, p(STOP, "POST"), { cluster: "prod-eu" })).toBe(false); // admin's
    expect(allows(ops, p(TOPICS, "GET"), { cluster: "prod-eu" })).toBe(true);
    // A change of Quorum's cluster list needs a grant on every cluster; a read of it, any grant.
    expect(allows(ops, p("/api/clusters", "POST"), { cluster: null })).toBe(false);
    expect(allows(ops, p("/api/clusters", "GET"), { cluster: null })).toBe(true);
    expect(allows([grants[0] as Grant], p("/api/clusters", "POST"), { cluster: null })).toBe(true);
  });

  it("scoped by patterns, allow the names they match and, elsewhere, reads only", () => {
    const pay = [grants[2] as Grant];
    const on = (topic: string) => ({ cluster: "prod-eu", topic });
    expect(allows(pay, p(CONFIGS, "PATCH"), on("payments-in"))).toBe(true);
    expect(allows(pay, p(CONFIGS, "PATCH"), on("orders"))).toBe(false);
    expect(allows(pay, p(RESET, "POST"), { cluster: "prod-eu", group: "payments-app" })).toBe(true);
    expect(allows(pay, p(RESET, "POST"), { cluster: "prod-eu", group: "orders-app" })).toBe(false);
    expect(allows(pay, p(TOPIC, "DELETE"), on("payments-in"))).toBe(false); // admin's
    expect(allows(pay, p(TOPICS, "GET"), { cluster: "prod-eu" })).toBe(true);
    expect(allows(pay, p(TOPICS, "POST"), { cluster: "prod-eu" })).toBe(false);
    // A grant with a pattern for topics only says nothing about groups.
    const topicsOnly = [g({ user: "cy", role: "operator", topics: "payments-*" })];
    expect(allows(topicsOnly, p(RESET, "POST"), { cluster: "prod-eu", group: "payments-app" })).toBe(false);
    expect(allows(topicsOnly, p(TOPIC, "GET"), on("payments-in"))).toBe(true);
    expect(allows(topicsOnly, p(TOPIC, "GET"), on("orders"))).toBe(false);
  });

  it("name the highest role held on a cluster, or none", () => {
    expect(roleOn(grants, "prod-eu")).toBe("admin");
    expect(roleOn([grants[1] as Grant, grants[2] as Grant], "prod-eu")).toBe("operator");
    expect(roleOn([grants[1] as Grant], "staging")).toBeNull();
  });

  it("name exactly one user or one group, and a role that exists", () => {
    expect(() => grantSchema.parse({ role: "admin" })).toThrow(/one user or one group/);
    expect(() => grantSchema.parse({ user: "a", group: "b", role: "admin" })).toThrow(/one user or one group/);
    expect(() => grantSchema.parse({ user: "a", role: "root" })).toThrow(/role is one of viewer, operator, admin/);
    expect(grantSchema.parse({ user: "a", role: "viewer" }).clusters).toEqual(["*"]);
  });
});

describe("what a topic or group list shows", () => {
  it("everything under a grant without patterns on the cluster, else each grant's pattern for the kind", () => {
    const scoped = g({ user: "li", role: "viewer", clusters: ["prod"], topics: "orders-*", groups: "billing-*" });
    const topicsOnly = g({ user: "li", role: "operator", clusters: ["prod"], topics: "payments-*" });
    const everywhereElse = g({ user: "li", role: "viewer", clusters: ["stage"] });
    expect(listPatterns([scoped, topicsOnly, everywhereElse], "prod", "topic")).toEqual(["orders-*", "payments-*"]);
    expect(listPatterns([scoped, topicsOnly, everywhereElse], "prod", "group")).toEqual(["billing-*"]);
    expect(listPatterns([topicsOnly], "prod", "group")).toEqual([]);
    expect(listPatterns([scoped, topicsOnly, everywhereElse], "stage", "topic")).toBeNull();
    expect(listPatterns([scoped], "stage", "topic")).toEqual([]);
  });
});
