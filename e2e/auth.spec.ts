import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import { expect, test } from "@playwright/test";
import getPort from "get-port";
import Provider from "oidc-provider";
import { kcatMetadata } from "../test/helpers/kcat";
import { rawRequest } from "../test/helpers/raw-http";
import { ROUTE_ROLES } from "./fixtures/roles";
import { baseURL as sharedBaseURL } from "./pages/overview-page";

// Sign-in and roles on a second Quorum started as `npm start` does, with an "auth" section in its
// config file, a one-broker lab of its own ("local"), and two clusters that are both the shared lab:
// "lab", and "ro", read-only. Every API
// route is sent as nobody, viewer, operator and admin, on each cluster, aimed at things that do not
// exist (a missing topic, group, broker) with bodies that fail validation, so that what gets
// through the roles changes nothing either; an independent client checks the lab afterwards.

const root = path.resolve(__dirname, "..");
const PASSWORD = "correct horse battery staple";
const OIDC_SECRET_VALUE = "oidc-client-secret-for-this-run-only";
const USERS = { viewer: "vi", operator: "op", admin: "ad" } as const;
const RANK = { viewer: 0, operator: 1, admin: 2 } as const;

let server: ChildProcess;
/** Every secret this spec makes: none may appear in an answer or a log line. */
const secrets: string[] = [PASSWORD, OIDC_SECRET_VALUE];
let dir: string;
let base: string;
let bootstrap: string[];
/** The OpenID Connect provider (oidc-provider, the certified implementation) on loopback. */
let idp: Server;
const OIDC_SECRET = OIDC_SECRET_VALUE;

/**
 * A real OpenID Connect provider on a free loopback port, with Quorum as its one client and its
 * development login form: any name signs in; "sso-op" is in the group "kafka-ops".
 */
async function startProvider(redirectUri: string): Promise<string> {
  const port = await getPort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "quorum",
        client_secret: OIDC_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], profile: ["preferred_username", "groups"] },
    conformIdTokenClaims: false,
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, preferred_username: id, groups: id === "sso-op" ? ["kafka-ops"] : [] }),
    }),
  });
  idp = provider.listen(port);
  return issuer;
}

async function startWithAuth(): Promise<void> {
  const shared = (await (await fetch(`${sharedBaseURL()}/api/clusters/local`)).json()) as { bootstrap: string[] };
  bootstrap = shared.bootstrap;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-auth-e2e-"));
  const passwordHash = await hash(PASSWORD);
  secrets.push(passwordHash);
  const config = path.join(dir, "quorum.config.json");
  const port = await getPort();
  base = `http://127.0.0.1:${port}`;
  const issuer = await startProvider(`${base}/api/auth/oidc/callback`);
  fs.writeFileSync(
    config,
    JSON.stringify({
      clusters: [
        { id: "lab", bootstrap },
        { id: "ro", bootstrap, readOnly: true },
      ],
      auth: {
        users: Object.values(USERS).map((name) => ({ name, passwordHash })),
        grants: [
          ...Object.entries(USERS).map(([role, user]) => ({ user, role })),
          { group: "kafka-ops", role: "operator", clusters: ["lab"] },
        ],
        oidc: { issuer, clientId: "quorum", label: "Sign in with the test provider" },
      },
    }),
  );
  const log = fs.openSync(path.join(root, "test-results-e2e-auth-server.log"), "w");
  server = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      QUORUM_DATA_DIR: path.join(dir, "data"),
      // Its own small lab too (one broker), for the controls only a cluster Quorum runs has.
      QUORUM_EMBEDDED: "true",
      QUORUM_BROKERS: "1",
      QUORUM_BROKER_PORTS: "auto",
      QUORUM_CONTROLLER_PORTS: "auto",
      QUORUM_BROKER_HEAP_MB: "256",
      QUORUM_CONTROLLER_HEAP_MB: "192",
      QUORUM_DEMO: "false",
      QUORUM_LAB_SASL: "false",
      QUORUM_SSE_HEARTBEAT_MS: "1000",
      QUORUM_CONFIG: config,
      QUORUM_OIDC_CLIENT_SECRET: OIDC_SECRET,
    },
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error("Quorum with sign-in exited during start: see its log");
    const res = await fetch(`${base}/api/auth/session`).catch(() => null);
    if (res?.ok) return;
    if (Date.now() > deadline) throw new Error("Quorum with sign-in did not answer within 120 s");
    await new Promise((r) => setTimeout(r, 300));
  }
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await startWithAuth();
});

test.afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGTERM");
    await exited;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await new Promise((r) => (idp ? idp.close(r) : r(undefined)));
});

async function signIn(user: string): Promise<string> {
  const res = await rawRequest(base, {
    method: "POST",
    path: "/api/auth/sign-in",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user, password: PASSWORD }),
  });
  expect(res.status, res.body).toBe(200);
  const setCookie = res.headers["set-cookie"]?.[0] ?? "";
  expect(setCookie).toContain("HttpOnly");
  secrets.push(setCookie.split(";")[0]?.split("=")[1] as string);
  return setCookie.split(";")[0] as string;
}

const concrete = (pattern: string, cluster: string) =>
  pattern
    .replace("[cluster]", cluster)
    .replace("[topic]", "auth-e2e-missing-topic")
    .replace("[group]", "auth-e2e-missing-group")
    .replace("[broker]", "99")
    .replace("[drill]", "auth-e2e-missing-drill")
    .replace("[token]", "000000000000");

/** An API token made by the admin whose cookie is given; returns the token itself. */
async function makeToken(adminCookie: string, body: object): Promise<{ id: string; token: string }> {
  const res = await rawRequest(base, {
    method: "POST",
    path: "/api/auth/tokens",
    headers: { Cookie: adminCookie, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, res.body).toBe(201);
  const made = JSON.parse(res.body) as { id: string; token: string };
  secrets.push(made.token);
  return made;
}

test("every route answers nobody, each role and a token as the roles define, on a read-only cluster too, and changes nothing", async () => {
  const topicsBefore = kcatMetadata(bootstrap)
    .partitions.map((p) => `${p.topic}-${p.partition}:${p.leader}`)
    .sort();
  const identities: Record<string, Record<string, string>> = { nobody: {} };
  for (const [role, user] of Object.entries(USERS)) identities[role] = { Cookie: await signIn(user) };
  // A script's token, carrying the operator role on every cluster.
  const { token } = await makeToken(identities.admin?.Cookie as string, { name: "table", role: "operator" });
  identities.token = { Authorization: `Bearer ${token}` };
  const rank = { ...RANK, token: RANK.operator };

  const wrong: string[] = [];
  let sent = 0;
  for (const [pattern, methods] of Object.entries(ROUTE_ROLES)) {
    const clusters = pattern.includes("[cluster]") ? ["lab", "ro"] : ["-"];
    for (const [method, needed] of Object.entries(methods)) {
      if (needed === "public") continue;
      for (const cluster of clusters)
        for (const [who, credentials] of Object.entries(identities)) {
          const mutation = method !== "GET";
          const res = await rawRequest(base, {
            method,
            path: concrete(pattern, cluster),
            headers: {
              ...credentials,
              ...(mutation ? { "Content-Type": "application/json" } : {}),
            },
            // An election of every topic is what an empty body asks: this one names a missing topic.
            body: mutation
              ? pattern.endsWith("/elect-leaders")
                ? '{"topic":"auth-e2e-missing-topic"}'
                : "{}"
              : undefined,
          });
          sent++;
          const code = res.stream
            ? null
            : ((JSON.parse(res.body || "{}") as { error?: { code?: string } }).error?.code ?? null);
          const allowed = who !== "nobody" && rank[who as keyof typeof rank] >= RANK[needed];
          const expected =
            who === "nobody"
              ? "401 unauthenticated"
              : !allowed
                ? "403 forbidden"
                : cluster === "ro" && mutation && pattern !== "/api/clusters/[cluster]"
                  ? "403 read_only"
                  : "not refused";
          const got = `${res.status} ${code ?? ""}`.trim();
          const ok =
            expected === "not refused"
              ? res.status !== 401 && code !== "forbidden" && code !== "read_only"
              : got === expected;
          if (!ok) wrong.push(`${method} ${concrete(pattern, cluster)} as ${who}: ${got}, expected ${expected}`);
        }
    }
  }
  console.log(`auth: ${sent} requests, ${sent - wrong.length} as the roles define`);
  expect(wrong).toEqual([]);
  // Nothing the requests reached changed the lab: the same partitions and leaders, read by kcat.
  const topicsAfter = kcatMetadata(bootstrap)
    .partitions.map((p) => `${p.topic}-${p.partition}:${p.leader}`)
    .sort();
  expect(topicsAfter).toEqual(topicsBefore);
  // Nor Quorum's list of clusters.
  const listed = await rawRequest(base, {
    method: "GET",
    path: "/api/clusters",
    headers: identities.admin as Record<string, string>,
  });
  expect((JSON.parse(listed.body) as { id: string }[]).map((c) => c.id).sort()).toEqual(["lab", "local", "ro"]);
});

test("a page's server-rendered rows need a session too, even asked for as one segment's payload", async () => {
  const topic = kcatMetadata(bootstrap).partitions.find((p) => !p.topic.startsWith("__"))?.topic;
  expect(topic).toBeTruthy();
  const variants: Record<string, string>[] = [{}, { RSC: "1" }, { RSC: "1", "Next-Router-State-Tree": "%5B%22%22%5D" }];
  for (const headers of variants) {
    const res = await rawRequest(base, { method: "GET", path: "/clusters/lab/topics", headers });
    expect(res.body).not.toContain(topic as string);
    expect([303, 307, 200]).toContain(res.status);
  }
  // Signed in, the same page carries them.
  const cookie = await signIn("vi");
  const res = await rawRequest(base, { method: "GET", path: "/clusters/lab/topics", headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  expect(res.body).toContain(topic as string);
});

test("pages send whoever has not signed in to sign in, and a signed-in user back out", async ({ page }) => {
  await page.goto(`${base}/clusters/lab/topics`);
  await expect(page).toHaveURL(`${base}/sign-in`);
  await page.getByTestId("sign-in-user").fill("vi");
  await page.getByTestId("sign-in-password").fill("not the password at all");
  await page.getByTestId("sign-in-submit").click();
  await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong user name or password");
  await page.screenshot({ path: path.join(root, "test-results", "sign-in.png") });
  await page.getByTestId("sign-in-password").fill(PASSWORD);
  await page.getByTestId("sign-in-submit").click();
  await expect(page.getByTestId("session-user")).toHaveText("vi");
  await page.goto(`${base}/clusters/lab/topics`);
  await expect(page.getByTestId("session-user")).toHaveText("vi");
  await expect(page).toHaveURL(`${base}/clusters/lab/topics`);
  await expect(page.locator('[data-testid^="topic-link-"]').first()).toBeVisible();
  await page.screenshot({ path: path.join(root, "test-results", "signed-in.png") });
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(`${base}/sign-in`);
  // The session is over on the server, not only in this browser.
  const again = await page.request.get(`${base}/api/clusters`);
  expect(again.status()).toBe(401);
});

test("a viewer sees no change to make, is refused one through the API, and an admin finds the attempt on the Audit page", async ({
  page,
}) => {
  const topic = kcatMetadata(bootstrap).partitions.find((p) => !p.topic.startsWith("__"))?.topic as string;
  await page.goto(`${base}/sign-in`);
  await page.getByTestId("sign-in-user").fill("vi");
  await page.getByTestId("sign-in-password").fill(PASSWORD);
  await page.getByTestId("sign-in-submit").click();
  await expect(page.getByTestId("session-user")).toHaveText("vi");
  await page.goto(`${base}/clusters/lab/topics/${encodeURIComponent(topic)}`);
  await expect(page.getByTestId("elect-topic")).toHaveCount(0);
  await expect(page.getByTestId("delete-topic")).toHaveCount(0);
  await expect(page.getByTestId("session-user")).toHaveText("vi");
  await expect(page.getByTestId("audit-link")).toHaveCount(0);
  await page.goto(`${base}/clusters/lab/topics`);
  await expect(page.locator('[data-testid^="topic-link-"]').first()).toBeVisible();
  await expect(page.getByTestId("create-topic")).toHaveCount(0);
  // Trying anyway, with the browser's own session: refused, saying why.
  const refused = await page.request.post(`${base}/api/clusters/lab/topics`, {
    data: { name: "auth-e2e-viewer-try", partitions: 1, replicationFactor: 1 },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toBe(
    '"topic.create" needs the operator role on cluster "lab"; vi has the viewer role there',
  );
  // The Audit page is an admin's: asked by URL, it says so.
  await page.goto(`${base}/audit`);
  await expect(page.getByTestId("error-panel")).toContainText('"audit.read" needs the admin role on every cluster');
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(`${base}/sign-in`);

  await page.getByTestId("sign-in-user").fill("ad");
  await page.getByTestId("sign-in-password").fill(PASSWORD);
  await page.getByTestId("sign-in-submit").click();
  await expect(page.getByTestId("audit-link")).toBeVisible();
  await page.getByTestId("audit-link").click();
  await page.getByTestId("audit-user").fill("vi");
  await page.getByTestId("audit-action").fill("topic.create");
  const row = page.getByTestId("audit-row").first();
  await expect(row).toContainText("vi");
  await expect(row).toContainText("viewer");
  await expect(row).toContainText("403 forbidden");
  await expect(row).toContainText("lab");
  await page.screenshot({ path: path.join(root, "test-results", "audit.png") });
  // The export is the same trail as JSON lines, and the trail holds no password.
  const exported = await page.request.get(`${base}/api/audit?format=jsonl&user=vi`);
  expect(exported.headers()["content-type"]).toContain("application/x-ndjson");
  const lines = (await exported.text())
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { action: string });
  expect(lines.some((l) => l.action === "topic.create")).toBe(true);
  const all = await (await page.request.get(`${base}/api/audit?format=jsonl`)).text();
  const signIns = all
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { action: string; user: string | null; summary: unknown; result: string })
    .filter((e) => e.action === "auth.sign-in" && e.user === "vi");
  expect(signIns.map((e) => e.result)).toContain("unauthenticated"); // the wrong password, earlier
  expect(signIns.map((e) => e.result)).toContain("ok");
  expect(signIns[0]?.summary).toEqual({ user: "vi", password: "[redacted]" });
  expect(all).not.toContain(PASSWORD);
});

test("an API token carries its own grant, is shown once, cannot make tokens, and stops at revocation", async () => {
  const admin = await signIn("ad");
  const made = await makeToken(admin, { name: "ci-lab", role: "operator", clusters: ["lab"] });
  const as = (path: string, method = "GET", body?: string) =>
    rawRequest(base, {
      method,
      path,
      headers: { Authorization: `Bearer ${made.token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body,
    });
  expect((await as("/api/clusters/lab/topics")).status).toBe(200);
  expect((await as("/api/clusters/ro/topics")).status).toBe(403); // its grant names "lab" only
  expect((await as("/api/clusters/lab/brokers/1/stop", "POST", "{}")).status).toBe(403); // an admin's
  // The list shows it without its secret; a token cannot make another.
  const listed = await rawRequest(base, { method: "GET", path: "/api/auth/tokens", headers: { Cookie: admin } });
  expect(listed.body).toContain('"name":"ci-lab"');
  expect(listed.body).not.toContain(made.token.slice(-43));
  const adminToken = await makeToken(admin, { name: "ci-admin", role: "admin" });
  const minted = await rawRequest(base, {
    method: "POST",
    path: "/api/auth/tokens",
    headers: { Authorization: `Bearer ${adminToken.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "minted", role: "admin" }),
  });
  expect(minted.status).toBe(403);
  // Bad input is answered in words and makes nothing.
  const bad = async (body: string, field?: string) => {
    const res = await rawRequest(base, {
      method: "POST",
      path: "/api/auth/tokens",
      headers: { Cookie: admin, "Content-Type": "application/json" },
      body,
    });
    expect(res.status, body).toBe(400);
    expect(JSON.parse(res.body).error).toMatchObject({ code: "validation_failed", ...(field ? { field } : {}) });
  };
  await bad(JSON.stringify({ name: "has space", role: "viewer" }), "name");
  await bad(JSON.stringify({ name: "x", role: "root" }), "role");
  await bad(JSON.stringify({ name: "x", role: "viewer", expiresInDays: 0 }), "expiresInDays");
  await bad(JSON.stringify({ name: "x", role: "viewer", secret: "mine" }));
  const missing = await rawRequest(base, {
    method: "DELETE",
    path: "/api/auth/tokens/0123456789ab",
    headers: { Cookie: admin },
  });
  expect(missing.status).toBe(404);
  expect(JSON.parse(missing.body).error.code).toBe("not_found");
  const noPassword = await rawRequest(base, {
    method: "POST",
    path: "/api/auth/sign-in",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user: "vi" }),
  });
  expect(noPassword.status).toBe(400);
  expect(JSON.parse(noPassword.body).error).toMatchObject({ code: "validation_failed", field: "password" });
  const listedAfter = await rawRequest(base, { method: "GET", path: "/api/auth/tokens", headers: { Cookie: admin } });
  expect((JSON.parse(listedAfter.body) as { name: string }[]).map((t) => t.name)).not.toContain("has space");
  // Revoked, it is refused at once.
  const revoked = await rawRequest(base, {
    method: "DELETE",
    path: `/api/auth/tokens/${made.id}`,
    headers: { Cookie: admin },
  });
  expect(revoked.status).toBe(200);
  const after = await as("/api/clusters/lab/topics");
  expect(after.status).toBe(401);
  expect(JSON.parse(after.body).error.message).toBe("This API token is not valid: unknown, revoked or expired");
});

test("an admin makes a token on the Tokens page, sees it once, and revokes it there", async ({ page }) => {
  await page.goto(`${base}/sign-in`);
  await page.getByTestId("sign-in-user").fill("ad");
  await page.getByTestId("sign-in-password").fill(PASSWORD);
  await page.getByTestId("sign-in-submit").click();
  await page.getByTestId("tokens-link").click();
  await page.getByTestId("token-name").fill("nightly-report");
  await page.getByTestId("token-role").selectOption("viewer");
  await page.getByTestId("token-create").click();
  const value = (await page.getByTestId("token-value").textContent()) ?? "";
  secrets.push(value);
  expect(value).toMatch(/^qrm_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: path.join(root, "test-results", "tokens.png") });
  const read = () =>
    rawRequest(base, {
      method: "GET",
      path: "/api/clusters/lab/overview",
      headers: { Authorization: `Bearer ${value}` },
    });
  expect((await read()).status).toBe(200);
  // Shown once: after a reload the page lists it, without its value.
  await page.reload();
  await expect(page.getByTestId("token-row").filter({ hasText: "nightly-report" })).toBeVisible();
  await expect(page.getByTestId("token-value")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(value.slice(-43));
  await page.getByTestId("token-revoke-nightly-report").click();
  await expect(page.getByTestId("token-row").filter({ hasText: "nightly-report" })).toContainText("revoked");
  expect((await read()).status).toBe(401);
});

test("no password, hash, token, session cookie or session secret appears in any answer or log line", async () => {
  const admin = await signIn("ad");
  const sessionSecret = fs.readFileSync(path.join(dir, "data", "session-secret"), "utf8").trim();
  const all = [...secrets, sessionSecret].filter((x) => x.length >= 16);
  expect(all.length).toBeGreaterThan(5);
  const answers = await Promise.all(
    ["/api/auth/session", "/api/auth/tokens", "/api/audit?format=jsonl", "/api/clusters", "/api/clusters/lab"].map(
      async (p) => (await rawRequest(base, { method: "GET", path: p, headers: { Cookie: admin } })).body,
    ),
  );
  const log = fs.readFileSync(path.join(root, "test-results-e2e-auth-server.log"), "utf8");
  expect(log.length).toBeGreaterThan(0);
  expect(log).toContain('"msg":"audit"');
  for (const secret of all) {
    for (const body of answers) expect(body.includes(secret), `an answer holds ${secret.slice(0, 8)}…`).toBe(false);
    expect(log.includes(secret), `the log holds ${secret.slice(0, 8)}…`).toBe(false);
  }
});

test("sign-in through a real OpenID Connect provider: the group claim gives the role, and the trail says so", async ({
  page,
}) => {
  await page.goto(`${base}/sign-in`);
  await page.getByTestId("sign-in-oidc").click();
  // The provider's own login and consent pages.
  await page.locator('input[name="login"]').fill("sso-op");
  await page.locator('input[name="password"]').fill("any");
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click();
  await expect(page.getByTestId("session-user")).toHaveText("sso-op");
  const session = (await (await page.request.get(`${base}/api/auth/session`)).json()) as {
    user: { name: string; via: string };
    roles: Record<string, string>;
  };
  expect(session.user).toEqual({ name: "sso-op", via: "oidc" });
  expect(session.roles).toEqual({ lab: "operator" });
  await page.goto(`${base}/clusters/lab/topics`);
  await expect(page.getByTestId("create-topic")).toBeVisible();
  const admin = await signIn("ad");
  const trail = await rawRequest(base, {
    method: "GET",
    path: "/api/audit?format=jsonl&action=auth.sign-in.oidc",
    headers: { Cookie: admin },
  });
  const entries = trail.body
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { user: string; via: string; result: string });
  expect(entries[0]).toMatchObject({ user: "sso-op", via: "oidc", result: "ok" });
  // A callback that was not started in this browser goes back to sign-in, saying why.
  await page.context().clearCookies();
  await page.goto(`${base}/api/auth/oidc/callback?code=forged&state=forged`);
  await expect(page.getByTestId("sign-in-provider-error")).toHaveText(
    "This sign-in was not started here, or took over 10 minutes",
  );
});

test("on a lab Quorum runs, a viewer sees no Stop button, is refused the stop through the API, and the attempt is on the Audit page", async ({
  browser,
}) => {
  const admin = await signIn("ad");
  for (const deadline = Date.now() + 150_000; ; ) {
    const res = await rawRequest(base, { method: "GET", path: "/api/clusters/local", headers: { Cookie: admin } });
    if (res.status === 200 && (JSON.parse(res.body) as { status: string }).status === "ok") break;
    if (Date.now() > deadline) throw new Error("the auth Quorum's own lab did not come up within 150 s");
    await new Promise((r) => setTimeout(r, 500));
  }
  const asUser = async (user: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByTestId("sign-in-user").fill(user);
    await page.getByTestId("sign-in-password").fill(PASSWORD);
    await page.getByTestId("sign-in-submit").click();
    await expect(page.getByTestId("session-user")).toHaveText(user);
    await page.goto(`${base}/clusters/local/brokers`);
    await expect(page.getByTestId("broker-row-1")).toBeVisible();
    return { context, page };
  };
  const adminView = await asUser("ad");
  await expect(adminView.page.getByTestId("broker-stop-1")).toBeVisible();
  await adminView.context.close();
  const viewer = await asUser("vi");
  await expect(viewer.page.getByTestId("broker-stop-1")).toHaveCount(0);
  await expect(viewer.page.getByTestId("broker-kill-1")).toHaveCount(0);
  await expect(viewer.page.getByTestId("broker-actions-role")).toHaveText(
    "Stopping, killing and starting brokers is an admin's; your role on this cluster is viewer.",
  );
  await viewer.page.screenshot({ path: path.join(root, "test-results", "brokers-as-viewer.png") });
  const refused = await viewer.page.request.post(`${base}/api/clusters/local/brokers/1/stop`, {
    data: { mode: "graceful", confirm: true },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toBe(
    '"broker.stop" needs the admin role on cluster "local"; vi has the viewer role there',
  );
  await viewer.context.close();
  // The broker is still up, and the trail has the attempt.
  const brokers = await rawRequest(base, {
    method: "GET",
    path: "/api/clusters/local/brokers",
    headers: { Cookie: admin },
  });
  expect((JSON.parse(brokers.body) as { id: number; status: string }[]).map((b) => b.status)).toEqual(["up"]);
  const trail = await rawRequest(base, {
    method: "GET",
    path: "/api/audit?format=jsonl&action=broker.stop&user=vi",
    headers: { Cookie: admin },
  });
  expect(JSON.parse(trail.body.trim().split("\n")[0] as string)).toMatchObject({
    user: "vi",
    role: "viewer",
    cluster: "local",
    target: { cluster: "local", broker: "1" },
    status: 403,
    result: "forbidden",
  });
});

test("an open event stream ends within a heartbeat of its session's sign-out", async () => {
  const cookie = await signIn("vi");
  const res = await fetch(`${base}/api/clusters/lab/events`, { headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  await reader.read(); // the stream's opening
  const out = await rawRequest(base, { method: "POST", path: "/api/auth/sign-out", headers: { Cookie: cookie } });
  expect(out.status).toBe(200);
  const began = Date.now();
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
    expect(Date.now() - began).toBeLessThan(10_000);
  }
  // Ended by the server: the same cookie opens no new stream.
  expect((await fetch(`${base}/api/clusters/lab/events`, { headers: { Cookie: cookie } })).status).toBe(401);
});
