import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { authConfigSchema } from "@/lib/schemas/auth";
import { AuthService } from "../auth/service";
import { readBody, withRoute } from "../http/with-route";
import type { AuditTrail } from "./trail";

const KEY = Symbol.for("quorum.instance");
const g = globalThis as unknown as Record<symbol, unknown>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-record-"));
let auth: AuthService;
let saved: unknown;
const fake: { auth?: AuthService; audit?: AuditTrail; clusters: Map<string, unknown>; config: object } = {
  clusters: new Map([["local", { readOnly: false }]]),
  config: { dataDir: dir, auditRetentionDays: 90 },
};

beforeAll(async () => {
  const passwordHash = await hash("correct horse battery");
  auth = new AuthService(
    authConfigSchema.parse({
      users: [
        { name: "vi", passwordHash },
        { name: "op", passwordHash },
      ],
      grants: [
        { user: "vi", role: "viewer" },
        { user: "op", role: "operator" },
      ],
    }),
    dir,
    "s".repeat(32),
  );
  fake.auth = auth;
  saved = g[KEY];
  g[KEY] = fake;
});
afterAll(() => {
  g[KEY] = saved;
  auth.store.close();
  fake.audit?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const cookie = async (user: string) =>
  (await auth.signIn(user, "correct horse battery", "10.0.0.1", false)).cookie.split(";")[0] as string;
const createTopic = withRoute<{ cluster: string }>(async (req) => {
  const body = await readBody(req, z.object({ name: z.string(), configs: z.record(z.string(), z.string()) }));
  return { created: body.name };
});
const listTopics = withRoute<{ cluster: string }>(() => ({ items: [] }));
const call = (route: typeof createTopic, method: string, headers: Record<string, string>, body?: object) =>
  route(
    new Request("http://127.0.0.1:3000/api/clusters/local/topics", {
      method,
      headers: { "x-forwarded-for": "10.9.8.7", ...headers, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }),
    { params: Promise.resolve({ cluster: "local" }) },
  );
const newest = () => (fake.audit as AuditTrail).query({ limit: 1 })[0];

describe("the audit trail of API requests", () => {
  it("writes a change that went through: who, role, action, body without secrets, result, address", async () => {
    const res = await call(
      createTopic,
      "POST",
      { cookie: await cookie("op") },
      {
        name: "orders",
        configs: { "retention.ms": "1000", "sasl.jaas.config": "org.apache.Secret required password=p;" },
      },
    );
    expect(res.status).toBe(200);
    expect(newest()).toMatchObject({
      user: "op",
      via: "password",
      role: "operator",
      cluster: "local",
      action: "topic.create",
      request: "POST /api/clusters/local/topics",
      target: { cluster: "local" },
      summary: { name: "orders", configs: { "retention.ms": "1000", "sasl.jaas.config": "[redacted]" } },
      result: "ok",
      status: 200,
      address: "10.9.8.7",
    });
    expect(JSON.stringify(newest())).not.toContain("password=p");
  });

  it("writes refusals, reads included, and no read that went through", async () => {
    const before = (fake.audit as AuditTrail).query({ limit: 100 }).length;
    expect((await call(listTopics, "GET", { cookie: await cookie("vi") })).status).toBe(200);
    expect((fake.audit as AuditTrail).query({ limit: 100 })).toHaveLength(before);
    expect((await call(createTopic, "POST", { cookie: await cookie("vi") }, { name: "x", configs: {} })).status).toBe(
      403,
    );
    expect(newest()).toMatchObject({
      user: "vi",
      role: "viewer",
      action: "topic.create",
      status: 403,
      result: "forbidden",
    });
    expect((await call(listTopics, "GET", {})).status).toBe(401);
    expect(newest()).toMatchObject({ user: null, action: "read", status: 401, result: "unauthenticated" });
  });
});
