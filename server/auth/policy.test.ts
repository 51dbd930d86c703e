import { describe, expect, it } from "vitest";
import { ROUTE_ROLES } from "@/e2e/fixtures/roles";
import { API_ROUTES } from "../http/api-routes";
import { covers, POLICY, PUBLIC_ROUTES, policyFor, ROLES } from "./policy";

describe("route policy", () => {
  it("classifies every API route and method, as policed or public, and nothing else", () => {
    const routes = Object.fromEntries(API_ROUTES.map((r) => [r.pattern, [...r.methods].sort()]));
    const policed = Object.fromEntries(Object.entries(POLICY).map(([p, m]) => [p, Object.keys(m).sort()]));
    for (const pattern of Object.keys(PUBLIC_ROUTES)) expect(POLICY[pattern], pattern).toBeUndefined();
    expect({ ...policed, ...PUBLIC_ROUTES }).toEqual(routes);
  });

  it("asks of each route the role the product defines (e2e/fixtures/roles.ts)", () => {
    const asked = Object.fromEntries(
      API_ROUTES.map((r) => [
        r.pattern,
        Object.fromEntries(
          r.methods.map((m) => [m, PUBLIC_ROUTES[r.pattern]?.includes(m) ? "public" : policyFor(r.pattern, m)?.role]),
        ),
      ]),
    );
    expect(asked).toEqual(ROUTE_ROLES);
  });

  it("opens only signing in and out and asking who one is", () => {
    expect(Object.keys(PUBLIC_ROUTES).sort()).toEqual([
      "/api/auth/oidc/callback",
      "/api/auth/oidc/start",
      "/api/auth/session",
      "/api/auth/sign-in",
      "/api/auth/sign-out",
    ]);
  });

  it("lets every role read, but the audit trail and the token list, and asks more than viewer of every change", () => {
    for (const [pattern, methods] of Object.entries(POLICY))
      for (const [method, p] of Object.entries(methods)) {
        if (pattern === "/api/audit" || pattern === "/api/auth/tokens")
          expect(p, `${method} ${pattern}`).toMatchObject({ role: "admin", scopedBy: null });
        else if (method === "GET") expect(p, `${method} ${pattern}`).toMatchObject({ role: "viewer", action: "read" });
        else {
          expect(p.role, `${method} ${pattern}`).not.toBe("viewer");
          expect(p.action, `${method} ${pattern}`).not.toBe("read");
        }
      }
  });

  it("scopes every route that names a topic or group by it (the group, where it names both)", () => {
    for (const [pattern, methods] of Object.entries(POLICY))
      for (const [method, p] of Object.entries(methods)) {
        const expected = pattern.includes("[group]") ? "group" : pattern.includes("[topic]") ? "topic" : null;
        expect(p.scopedBy, `${method} ${pattern}`).toBe(expected);
      }
  });

  it("keeps the lab's nodes, deletes and Quorum's cluster list to admins", () => {
    expect(policyFor("/api/clusters/[cluster]/brokers/[broker]/stop", "POST")?.role).toBe("admin");
    expect(policyFor("/api/clusters/[cluster]/topics/[topic]", "DELETE")?.role).toBe("admin");
    expect(policyFor("/api/clusters", "POST")?.role).toBe("admin");
    expect(policyFor("/api/clusters/[cluster]/topics", "POST")?.role).toBe("operator");
    expect(policyFor("/api/clusters/[cluster]/topics", "HEAD")?.role).toBe("viewer");
    expect(policyFor("/api/clusters/[cluster]/topics", "PUT")).toBeNull();
  });

  it("orders roles viewer < operator < admin", () => {
    expect(ROLES.filter((r) => covers(r, "operator"))).toEqual(["operator", "admin"]);
    expect(ROLES.filter((r) => covers("operator", r))).toEqual(["viewer", "operator"]);
  });
});
