import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authConfigSchema } from "@/lib/schemas/auth";
import { httpErrorOf } from "../errors";
import { allowOrRefuse, identifyRequest, visibleClusters } from "./guard";
import { AuthService, SESSION_COOKIE, SIGN_IN_LIMITS } from "./service";

const KEY = Symbol.for("quorum.instance");
const g = globalThis as unknown as Record<symbol, unknown>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-guard-"));
let auth: AuthService;
let saved: unknown;

beforeAll(async () => {
  const passwordHash = await hash("correct horse battery");
  const config = authConfigSchema.parse({
    users: ["vi", "op", "ad", "pay"].map((name) => ({ name, passwordHash })),
    grants: [
      { user: "vi", role: "viewer" },
      { user: "op", role: "operator", clusters: ["local"] },
      { user: "ad", role: "admin" },
      { user: "pay", role: "operator", topics: "payments-*" },
    ],
  });
  auth = new AuthService(config, dir, "s".repeat(32));
  saved = g[KEY];
  g[KEY] = {
    auth,
    clusters: new Map([
      ["local", {}],
      ["prod", {}],
    ]),
  };
});
afterAll(() => {
  g[KEY] = saved;
  auth.store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What `withRoute` asks before a handler: who the request is, then whether their grants allow it. */
async function authorize(req: Request, params: Record<string, string>) {
  const who = await identifyRequest(req);
  if (who) allowOrRefuse(who, req, params);
  return who;
}

const cookieOf = (setCookie: string) => setCookie.split(";")[0] as string;
const signIn = async (user: string) =>
  cookieOf((await auth.signIn(user, "correct horse battery", "10.0.0.1", false)).cookie);
const request = (method: string, pathname: string, cookie?: string) =>
  new Request(`http://127.0.0.1:3000${pathname}`, { method, headers: cookie ? { cookie } : {} });
/** The status `authorize` answers with: 200 when it lets the request through. */
const status = async (method: string, pathname: string, params: Record<string, string>, cookie?: string) => {
  try {
    await authorize(request(method, pathname, cookie), params);
    return 200;
  } catch (err) {
    return httpErrorOf(err)?.status ?? 500;
  }
};

describe("authorize", () => {
  it("asks for a session first: 401 without a cookie, with a forged one, and after sign-out", async () => {
    expect(await status("GET", "/api/clusters", {})).toBe(401);
    expect(await status("GET", "/api/clusters", {}, `${SESSION_COOKIE}=Fe26.2*1*forged`)).toBe(401);
    const cookie = await signIn("vi");
    expect(await status("GET", "/api/clusters", {}, cookie)).toBe(200);
    await auth.signOut(cookie, false);
    expect(await status("GET", "/api/clusters", {}, cookie)).toBe(401);
  });

  it("lets each role do what the policy gives it, on the clusters its grants name", async () => {
    const [vi, op, ad] = [await signIn("vi"), await signIn("op"), await signIn("ad")];
    const local = { cluster: "local" };
    const create = ["POST", "/api/clusters/local/topics", local] as const;
    const stop = ["POST", "/api/clusters/local/brokers/1/stop", { ...local, broker: "1" }] as const;
    expect(await status(...create, vi)).toBe(403);
    expect(await status(...create, op)).toBe(200);
    expect(await status("POST", "/api/clusters/prod/topics", { cluster: "prod" }, op)).toBe(403); // not granted there
    expect(await status(...stop, op)).toBe(403);
    expect(await status(...stop, ad)).toBe(200);
    expect(await status("GET", "/api/clusters/local/topics", local, vi)).toBe(200);
  });

  it("asks /metrics for a role like any read: 401 without a session, any grant on any cluster passes", async () => {
    expect(await status("GET", "/metrics", {})).toBe(401);
    for (const user of ["vi", "op", "pay"])
      expect(await status("GET", "/metrics", {}, await signIn(user)), user).toBe(200);
    expect(await status("HEAD", "/metrics", {}, await signIn("vi"))).toBe(200);
    expect(await status("POST", "/metrics", {}, await signIn("ad"))).toBe(403); // no such route: open to no one
  });

  it("says which role the action needs and which the user has", async () => {
    const vi = await signIn("vi");
    const err = await authorize(request("POST", "/api/clusters/local/topics", vi), { cluster: "local" }).catch(
      (e: unknown) => httpErrorOf(e),
    );
    expect(err).toMatchObject({ status: 403, code: "forbidden" });
    expect((err as { message: string }).message).toBe(
      '"topic.create" needs the operator role on cluster "local"; vi has the viewer role there',
    );
  });

  it("holds a grant scoped by a topic pattern to the topics it matches, decoding the path", async () => {
    const pay = await signIn("pay");
    const configs = (topic: string) =>
      status("PATCH", `/api/clusters/local/topics/${topic}/configs`, { cluster: "local", topic }, pay);
    expect(await configs("payments-in")).toBe(200);
    expect(await configs(encodeURIComponent("payments-ü"))).toBe(200);
    expect(await configs("orders")).toBe(403);
    expect(await status("POST", "/api/clusters/local/topics", { cluster: "local" }, pay)).toBe(403);
  });

  it(`pauses sign-in for a user after ${SIGN_IN_LIMITS.perUser} wrong passwords, saying for how long`, async () => {
    const wrong = () => auth.signIn("op", "not the password", "10.0.0.2", false).catch((e: unknown) => httpErrorOf(e));
    for (let i = 0; i < SIGN_IN_LIMITS.perUser; i++) expect(await wrong()).toMatchObject({ status: 401 });
    expect(await wrong()).toMatchObject({
      status: 429,
      code: "too_many_attempts",
      message: 'Too many failed sign-ins for the user "op"; try again in 15 minutes',
    });
    // The right password does not get through the pause either.
    expect(
      await auth.signIn("op", "correct horse battery", "10.0.0.2", false).catch((e: unknown) => httpErrorOf(e)?.status),
    ).toBe(429);
    // Another user from the same address still may.
    expect((await auth.signIn("ad", "correct horse battery", "10.0.0.2", false)).identity.name).toBe("ad");
  });

  it("lists to each user the clusters they hold a role on", async () => {
    const op = { name: "op", groups: [], via: "password" as const };
    const ad = { name: "ad", groups: [], via: "password" as const };
    expect([...visibleClusters(op)]).toEqual(["local"]);
    expect([...visibleClusters(ad)]).toEqual(["local", "prod"]);
    expect([...visibleClusters({ name: "stranger", groups: [], via: "password" })]).toEqual([]);
  });

  it("answers an unknown user as it answers a wrong password", async () => {
    const e = await auth
      .signIn("nobody", "correct horse battery", "10.0.0.3", false)
      .catch((x: unknown) => httpErrorOf(x));
    expect(e).toEqual({
      status: 401,
      code: "unauthenticated",
      message: "Wrong user name or password",
      field: undefined,
    });
  });

  it("sets an httpOnly, SameSite=Lax cookie, Secure over TLS, lasting the session's absolute limit", async () => {
    const { cookie } = await auth.signIn("vi", "correct horse battery", "10.0.0.4", true);
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=Fe26\\.2\\*`));
    expect(cookie).toContain("; HttpOnly; SameSite=Lax; Max-Age=43200; Secure");
    expect((await auth.signIn("vi", "correct horse battery", "10.0.0.4", false)).cookie).not.toContain("Secure");
  });
});
