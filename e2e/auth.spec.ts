import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import { expect, test } from "@playwright/test";
import getPort from "get-port";
import { kcatMetadata } from "../test/helpers/kcat";
import { rawRequest } from "../test/helpers/raw-http";
import { ROUTE_ROLES } from "./fixtures/roles";
import { baseURL as sharedBaseURL } from "./pages/overview-page";

// Sign-in and roles on a second Quorum started as `npm start` does, with an "auth" section in its
// config file and two clusters that are both the shared lab: "lab", and "ro", read-only. Every API
// route is sent as nobody, viewer, operator and admin, on each cluster, aimed at things that do not
// exist (a missing topic, group, broker) with bodies that fail validation, so that what gets
// through the roles changes nothing either; an independent client checks the lab afterwards.

const root = path.resolve(__dirname, "..");
const PASSWORD = "correct horse battery staple";
const USERS = { viewer: "vi", operator: "op", admin: "ad" } as const;
const RANK = { viewer: 0, operator: 1, admin: 2 } as const;

let server: ChildProcess;
let dir: string;
let base: string;
let bootstrap: string[];

async function startWithAuth(): Promise<void> {
  const shared = (await (await fetch(`${sharedBaseURL()}/api/clusters/local`)).json()) as { bootstrap: string[] };
  bootstrap = shared.bootstrap;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-auth-e2e-"));
  const passwordHash = await hash(PASSWORD);
  const config = path.join(dir, "quorum.config.json");
  fs.writeFileSync(
    config,
    JSON.stringify({
      clusters: [
        { id: "lab", bootstrap },
        { id: "ro", bootstrap, readOnly: true },
      ],
      auth: {
        users: Object.values(USERS).map((name) => ({ name, passwordHash })),
        grants: Object.entries(USERS).map(([role, user]) => ({ user, role })),
      },
    }),
  );
  const port = await getPort();
  base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(root, "test-results-e2e-auth-server.log"), "w");
  server = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      QUORUM_DATA_DIR: path.join(dir, "data"),
      QUORUM_EMBEDDED: "false",
      QUORUM_CONFIG: config,
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
  return setCookie.split(";")[0] as string;
}

const concrete = (pattern: string, cluster: string) =>
  pattern
    .replace("[cluster]", cluster)
    .replace("[topic]", "auth-e2e-missing-topic")
    .replace("[group]", "auth-e2e-missing-group")
    .replace("[broker]", "99")
    .replace("[drill]", "auth-e2e-missing-drill");

test("every route answers each role as the roles define, on a read-only cluster too, and changes nothing", async () => {
  const topicsBefore = kcatMetadata(bootstrap)
    .partitions.map((p) => `${p.topic}-${p.partition}:${p.leader}`)
    .sort();
  const cookies: Record<string, string | null> = { nobody: null };
  for (const [role, user] of Object.entries(USERS)) cookies[role] = await signIn(user);

  const wrong: string[] = [];
  let sent = 0;
  for (const [pattern, methods] of Object.entries(ROUTE_ROLES)) {
    const clusters = pattern.includes("[cluster]") ? ["lab", "ro"] : ["-"];
    for (const [method, needed] of Object.entries(methods)) {
      if (needed === "public") continue;
      for (const cluster of clusters)
        for (const [who, cookie] of Object.entries(cookies)) {
          const mutation = method !== "GET";
          const res = await rawRequest(base, {
            method,
            path: concrete(pattern, cluster),
            headers: {
              ...(cookie ? { Cookie: cookie } : {}),
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
          const allowed = who !== "nobody" && RANK[who as keyof typeof RANK] >= RANK[needed];
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
    headers: { Cookie: cookies.admin as string },
  });
  expect((JSON.parse(listed.body) as { id: string }[]).map((c) => c.id).sort()).toEqual(["lab", "ro"]);
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
  expect(all).toContain('"action":"auth.sign-in"');
  expect(all).not.toContain(PASSWORD);
});
