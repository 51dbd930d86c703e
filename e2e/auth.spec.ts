import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import { expect, test } from "@playwright/test";
import getPort from "get-port";
import { Kafka, logLevel } from "kafkajs";
import Provider from "oidc-provider";
import { kafkaTool, kafkaTopicConfigs } from "../test/helpers/kafka-configs";
import { kcatMetadata } from "../test/helpers/kcat";
import { type RawResponse, rawRequest } from "../test/helpers/raw-http";
import { LAB_SECRET_ENV } from "./fixtures/clusters";
import { createTopicsLed } from "./fixtures/kafka";
import { ROUTE_ROLES } from "./fixtures/roles";
import { baseURL as sharedBaseURL } from "./pages/overview-page";

// Sign-in and roles on a second Quorum started as `npm start` does, with an "auth" section in its
// config file and a two-broker lab of its own ("local"). Its config file names that lab again as
// "ro", read-only; the shared lab as "lab"; and the shared lab's SASL_SSL listener as "secure",
// whose password and stores must never show. The role table sends every API route as nobody,
// viewer, operator, admin and a token, on "local" and "ro": first every refusal, each a request that
// would succeed (an independent client then finds nothing changed), then every allowed one, each
// answered 2xx.

const root = path.resolve(__dirname, "..");
const PASSWORD = "correct horse battery staple";
const OIDC_SECRET_VALUE = "oidc-client-secret-for-this-run-only";
const USERS = { viewer: "vi", operator: "op", admin: "ad" } as const;
const RANK = { viewer: 0, operator: 1, admin: 2 } as const;
/** A viewer of the lab's az- topics and groups alone. */
const SCOPED = "sc";

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

let server: ChildProcess;
/** Every secret this spec makes: none may appear in an answer or a log line. */
const secrets: string[] = [PASSWORD, OIDC_SECRET_VALUE];
let dir: string;
let base: string;
let bootstrap: string[];
/** The shared lab's SASL_SSL listener, as its Quorum tells it. */
let sharedSasl: { bootstrap: string[]; caFile: string; user: string; mechanism: string };
/** The auth Quorum's own lab, "local" (and "ro"). */
let labBootstrap: string[];
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
  const shared = (await (await fetch(`${sharedBaseURL()}/api/clusters/local`)).json()) as {
    bootstrap: string[];
    sasl?: { bootstrap: string[]; caFile: string; user: string; mechanism: string };
  };
  bootstrap = shared.bootstrap;
  if (!shared.sasl) throw new Error("global-setup starts the shared lab with QUORUM_LAB_SASL=true");
  const sasl = shared.sasl;
  sharedSasl = sasl;
  const saslPassword = process.env.E2E_LAB_SASL_PASSWORD as string;
  // The SASL password and the shared lab brokers' key and trust store password (ssl.*.password).
  secrets.push(saslPassword, fs.readFileSync(path.join(path.dirname(sasl.caFile), "store.password"), "utf8").trim());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-auth-e2e-"));
  const passwordHash = await hash(PASSWORD);
  secrets.push(passwordHash);
  const port = await getPort();
  base = `http://127.0.0.1:${port}`;
  const issuer = await startProvider(`${base}/api/auth/oidc/callback`);
  const config = (labBootstrap: string[]) => ({
    clusters: [
      { id: "lab", bootstrap },
      { id: "ro", bootstrap: labBootstrap, readOnly: true },
      {
        id: "secure",
        bootstrap: sasl.bootstrap,
        tls: { ca: sasl.caFile },
        sasl: { mechanism: sasl.mechanism, username: sasl.user, passwordEnv: LAB_SECRET_ENV },
      },
    ],
    auth: {
      users: [...Object.values(USERS), SCOPED].map((name) => ({ name, passwordHash })),
      grants: [
        ...Object.entries(USERS).map(([role, user]) => ({ user, role })),
        { user: SCOPED, role: "viewer", clusters: ["local"], topics: "az-*", groups: "az-*" },
        { group: "kafka-ops", role: "operator", clusters: ["lab"] },
      ],
      oidc: { issuer, clientId: "quorum", label: "Sign in with the test provider" },
    },
  });
  // Its lab's ports are named in the config file ("ro"), so they are chosen here; another process
  // can take one before its node listens on it. The lab then says so at once, and it starts again
  // on other ports, once.
  for (let attempt = 1; ; attempt++) {
    const brokerPorts = [await getPort(), await getPort()];
    const controllerPort = await getPort();
    labBootstrap = brokerPorts.map((p) => `127.0.0.1:${p}`);
    await launchServer(port, config(labBootstrap), brokerPorts, controllerPort, { saslPassword });
    const admin = { Cookie: await signIn(USERS.admin) };
    let last = "";
    const taken = await labUp(admin, (body) => {
      last = body;
    });
    if (taken === null) return;
    const log = serverLogTail();
    if (!taken || attempt === 2)
      throw new Error(
        `the auth Quorum's own lab ${taken ? "did not start, twice" : "not up within 150 s"}; last answer ${last}; its log ends:\n${log}`,
      );
    console.log(`[auth] the lab's start on ${labBootstrap.join(",")} failed, starting again: ${last}`);
    await stopServer();
    fs.rmSync(path.join(dir, "data"), { recursive: true, force: true });
  }
}

/**
 * Waits up to 150 s for "local" to be ok: null when it is, true when its start failed because a
 * port chosen for it was taken meanwhile, false otherwise.
 */
async function labUp(admin: Record<string, string>, seen: (body: string) => void): Promise<boolean | null> {
  for (const deadline = Date.now() + 150_000; Date.now() < deadline; ) {
    const res = await rawRequest(base, { method: "GET", path: "/api/clusters/local", headers: admin });
    seen(`${res.status} ${res.body}`);
    if (res.status === 200) {
      const summary = JSON.parse(res.body) as { status: string; message?: string | null };
      if (summary.status === "ok") return null;
      if (/is held by another process/.test(summary.message ?? "")) return true;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

const serverLog = () => path.join(root, "test-results-e2e-auth-server.log");

/** The auth Quorum's last log lines that are not debug or info. */
function serverLogTail(): string {
  const lines = fs.existsSync(serverLog()) ? fs.readFileSync(serverLog(), "utf8").split("\n") : [];
  return lines
    .filter((l) => !/"level":(20|30)\b/.test(l))
    .slice(-30)
    .join("\n");
}

async function launchServer(
  port: number,
  config: object,
  brokerPorts: number[],
  controllerPort: number,
  opts: { saslPassword: string },
): Promise<void> {
  const file = path.join(dir, "quorum.config.json");
  fs.writeFileSync(file, JSON.stringify(config));
  // Appended to (global-setup empties it): a later worker's start must not erase an earlier one's.
  const log = fs.openSync(serverLog(), "a");
  server = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      QUORUM_DATA_DIR: path.join(dir, "data"),
      // Its own small lab too (two brokers: a drill needs two replicas), for the controls only a
      // cluster Quorum runs has, on ports the config file's "ro" names.
      QUORUM_EMBEDDED: "true",
      QUORUM_BROKERS: "2",
      QUORUM_BROKER_PORTS: brokerPorts.join(","),
      QUORUM_CONTROLLER_PORTS: String(controllerPort),
      QUORUM_BROKER_HEAP_MB: "256",
      QUORUM_CONTROLLER_HEAP_MB: "192",
      QUORUM_DEMO: "false",
      QUORUM_LAB_SASL: "false",
      QUORUM_SSE_HEARTBEAT_MS: "1000",
      QUORUM_CONFIG: file,
      QUORUM_OIDC_CLIENT_SECRET: OIDC_SECRET,
      [LAB_SECRET_ENV]: opts.saslPassword,
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

async function stopServer(): Promise<void> {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGTERM");
    await exited;
  }
}

test.beforeAll(async () => {
  test.setTimeout(600_000);
  await startWithAuth();
});

test.afterAll(async () => {
  await stopServer();
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

type Who = "nobody" | "viewer" | "operator" | "admin" | "token";
/** In phase two an allowed request may change what a later one of the same row needs: refusals go first. */
const WHO: readonly Who[] = ["nobody", "viewer", "token", "operator", "admin"];

/** What one request of a row aims at: path parameters besides the cluster, a query, a body. */
interface Aim {
  topic?: string;
  group?: string;
  broker?: string;
  drill?: string;
  token?: string;
  run?: string;
  controller?: string;
  query?: string;
  body?: unknown;
}

interface Row {
  /** The clusters the row is sent to when its path names one: the lab and the read-only cluster unless said. */
  clusters?: readonly string[];
  aim?: (who: Who) => Aim;
  /** What "ro" answers when the roles let the request through, if not 2xx: it is not a cluster Quorum runs. */
  onRo?: string;
  /** Phase two, after the row's allowed requests: read what they made, wait out what they started. */
  after?: (answers: RawResponse[]) => Promise<void>;
}

/** The lab cluster of the table (the auth Quorum's own) and a read-only entry for the same brokers. */
const TABLE_CLUSTERS = ["local", "ro"] as const;
const READ_ONLY = new Set(["ro", "az-gone-ro"]);
/** Each role that changes something aims at its own copy, so that a later one's change is its own to make. */
const own = (who: Who) => (who === "token" || who === "operator" || who === "admin" ? who : "operator");
const read = { topic: "az-read" };
const table: { revokeId: string; drillId: string; runs: Record<string, string>; added: string } = {
  revokeId: "",
  drillId: "",
  runs: {},
  added: "",
};

/**
 * Every route and method but the public ones, with a request that succeeds when the roles let it
 * through: in the order phase two sends them (a broker stopped before it is started, a drill run
 * before it is read, the workload started, one of its groups paused, then the workload stopped).
 */
function tableRows(admin: Record<string, string>): Record<string, Row> {
  const get = async (p: string) =>
    JSON.parse((await rawRequest(base, { method: "GET", path: p, headers: admin })).body);
  const api = "/api/clusters/[cluster]";
  return {
    "GET /api/audit": { aim: () => ({ query: "?limit=5" }) },
    "GET /api/auth/tokens": {},
    "POST /api/auth/tokens": { aim: (who) => ({ body: { name: `az-${who}`, role: "viewer" } }) },
    "DELETE /api/auth/tokens/[token]": { aim: () => ({ token: table.revokeId }) },
    "GET /api/clusters": {},
    // Quorum's own metrics, in Prometheus' text format.
    "GET /metrics": {},
    "POST /api/clusters": { aim: () => ({ body: { id: "az-added", bootstrap: labBootstrap } }) },
    "POST /api/clusters/test": { aim: () => ({ body: { id: "az-tested", bootstrap: labBootstrap } }) },
    [`GET ${api}`]: {},
    // Removing an entry from Quorum's list changes no cluster: a read-only one may be removed too.
    [`DELETE ${api}`]: { clusters: ["az-gone", "az-gone-ro"] },
    [`GET ${api}/brokers`]: {},
    [`GET ${api}/brokers/[broker]/impact`]: { aim: () => ({ broker: "2" }) },
    [`GET ${api}/consumer-groups`]: {},
    [`GET ${api}/consumer-groups/[group]`]: { aim: () => ({ group: "az-group" }) },
    [`DELETE ${api}/consumer-groups/[group]`]: { aim: () => ({ group: "az-doomed-group" }) },
    [`GET ${api}/consumer-groups/[group]/actions`]: { aim: () => ({ group: "az-group" }) },
    [`GET ${api}/consumer-groups/[group]/history`]: { aim: () => ({ group: "az-group" }) },
    [`DELETE ${api}/consumer-groups/[group]/offsets/[topic]`]: {
      aim: (who) => ({ group: `az-off-${own(who)}`, ...read }),
    },
    [`POST ${api}/consumer-groups/[group]/reset-offsets`]: {
      aim: () => ({ group: "az-group", body: { mode: "earliest", topics: [read], execute: true } }),
    },
    [`GET ${api}/controllers`]: {},
    [`POST ${api}/elect-leaders`]: { aim: () => ({ body: read }) },
    [`GET ${api}/events`]: {},
    [`GET ${api}/events/history`]: {},
    [`GET ${api}/history`]: {},
    [`GET ${api}/broker-metrics`]: {},
    [`GET ${api}/leadership`]: {},
    [`GET ${api}/monitor`]: {},
    [`GET ${api}/overview`]: {},
    [`GET ${api}/partitions`]: {},
    [`GET ${api}/reassignments`]: {},
    // Each role moves its own topic of 3 MB at 1 KiB/s: still moving when the cancels come.
    [`POST ${api}/reassignments`]: {
      aim: (who) => ({
        body: {
          partitions: [{ topic: `az-move-${own(who)}`, partition: 0, replicas: [2] }],
          throttleBytesPerSec: 1024,
        },
      }),
      after: async (answers) => {
        for (const answer of answers) {
          const run = JSON.parse(answer.body) as { id: string; partitions: { topic: string }[] };
          table.runs[(run.partitions[0]?.topic ?? "").replace("az-move-", "")] = run.id;
        }
      },
    },
    [`GET ${api}/reassignments/plan`]: { aim: () => ({ query: "?goal=balance" }) },
    // A run is one cluster's: "ro" (the same brokers, another entry) has none.
    [`GET ${api}/reassignments/[run]`]: { onRo: "404 not_found", aim: () => ({ run: table.runs.operator ?? "none" }) },
    [`DELETE ${api}/reassignments/[run]`]: {
      aim: (who) => ({ run: table.runs[own(who)] ?? "none" }),
      after: async () => {
        let last: unknown[] = [];
        await until("every reassignment cancelled", 60_000, async () => {
          last = await Promise.all(
            Object.values(table.runs).map((id) => get(`/api/clusters/local/reassignments/${id}`)),
          );
          return last.every((r) => (r as { status: string }).status === "cancelled");
        }).catch((err: Error) => {
          throw new Error(`${err.message}: ${JSON.stringify(last)}`);
        });
      },
    },
    [`GET ${api}/topics`]: {},
    [`POST ${api}/topics`]: {
      aim: (who) => ({ body: { name: `az-new-${who}`, partitions: 1, replicationFactor: 1 } }),
    },
    [`GET ${api}/topics/[topic]`]: { aim: () => read },
    [`DELETE ${api}/topics/[topic]`]: { aim: () => ({ topic: "az-doomed" }) },
    [`GET ${api}/topics/[topic]/configs`]: { aim: () => read },
    [`PATCH ${api}/topics/[topic]/configs`]: {
      aim: () => ({ ...read, body: { configs: { "retention.ms": 3_600_000 } } }),
    },
    [`POST ${api}/topics/[topic]/delete-records`]: {
      aim: () => ({ ...read, body: { partitions: [{ partition: 0, offset: 1 }], execute: true } }),
    },
    [`GET ${api}/topics/[topic]/history`]: { aim: () => read },
    [`GET ${api}/topics/[topic]/messages`]: { aim: () => ({ ...read, query: "?seek=oldest&limit=5" }) },
    [`POST ${api}/topics/[topic]/messages`]: { aim: (who) => ({ ...read, body: { key: "k", value: `from ${who}` } }) },
    [`GET ${api}/topics/[topic]/messages/partition`]: { aim: () => ({ ...read, query: "?key=k" }) },
    [`GET ${api}/topics/[topic]/messages/search`]: {
      aim: () => ({ ...read, query: "?mode=substring&pattern=from&maxSeconds=5" }),
    },
    [`GET ${api}/topics/[topic]/messages/tail`]: { aim: () => read },
    [`POST ${api}/topics/[topic]/partitions`]: { aim: (who) => ({ topic: `az-grow-${own(who)}`, body: { count: 2 } }) },
    [`POST ${api}/brokers/[broker]/stop`]: { aim: () => ({ broker: "2", body: { mode: "graceful", confirm: true } }) },
    [`POST ${api}/brokers/[broker]/start`]: {
      aim: () => ({ broker: "2", body: {} }),
      after: () =>
        until("broker 2 back in every ISR of az-read", 90_000, async () =>
          kcatMetadata(labBootstrap)
            .partitions.filter((p) => p.topic === "az-read")
            .every((p) => p.isr.length === 2),
        ),
    },
    // The auth lab's one controller, stopped (which loses its quorum: confirmed) and started again.
    [`POST ${api}/controllers/[controller]/stop`]: {
      aim: () => ({ controller: "101", body: { mode: "graceful", confirm: true } }),
    },
    [`POST ${api}/controllers/[controller]/start`]: {
      aim: () => ({ controller: "101", body: {} }),
      after: () =>
        until("the quorum back and both brokers answering", 120_000, async () => {
          const q = (await get("/api/clusters/local/quorum")) as { state: string };
          const brokers = (await get("/api/clusters/local/brokers")) as { status: string }[];
          return q.state === "ok" && brokers.every((b) => b.status === "up");
        }),
    },
    [`GET ${api}/quorum`]: {},
    [`GET ${api}/drills`]: { onRo: "409 not_controllable" },
    // Three cycles, aborted by the admin after the first: the drill ends once its broker is back.
    [`POST ${api}/drills`]: {
      aim: () => ({ body: { ...read, cycles: 3, downMs: 500, rate: 10 } }),
      after: async ([answer]) => {
        table.drillId = (JSON.parse(answer?.body ?? "{}") as { id: string }).id;
      },
    },
    [`GET ${api}/drills/[drill]`]: { onRo: "409 not_controllable", aim: () => ({ drill: table.drillId || "none" }) },
    [`POST ${api}/drills/[drill]/abort`]: {
      aim: () => ({ drill: table.drillId || "none", body: {} }),
      after: () =>
        until("the aborted drill's end", 180_000, async () =>
          ["done", "failed"].includes((await get(`/api/clusters/local/drills/${table.drillId}`)).status),
        ),
    },
    [`GET ${api}/workload`]: { onRo: "409 not_controllable" },
    [`POST ${api}/workload`]: {
      aim: () => ({ body: { action: "start" } }),
      after: () =>
        until("the workload running", 90_000, async () => (await get("/api/clusters/local/workload")).running),
    },
    [`POST ${api}/workload/groups/[group]`]: {
      aim: () => ({ group: "billing", body: { paused: true } }),
      after: async () => {
        await rawRequest(base, {
          method: "POST",
          path: "/api/clusters/local/workload",
          headers: { ...admin, "Content-Type": "application/json" },
          body: '{"action":"stop"}',
        });
        await until("the workload stopped", 60_000, async () => !(await get("/api/clusters/local/workload")).running);
      },
    },
    [`GET ${api}/labs/consumers`]: { onRo: "409 not_controllable" },
    // Each role that may starts one consumer in a lab group of its own; the reset below stops them.
    [`POST ${api}/labs/consumers`]: {
      aim: (who) => ({ body: { action: "start", group: `lab-az-${own(who)}`, topic: "lab-az", count: 1 } }),
    },
    // The guided labs' reset: their consumers stopped, lab- topics and groups deleted.
    [`POST ${api}/labs/reset`]: {
      aim: () => ({ body: {} }),
      after: async () => {
        const left = (await get("/api/clusters/local/labs/consumers")) as unknown[];
        expect(left).toEqual([]);
      },
    },
    // The lab grows by a broker, which then leaves again (it holds no replica).
    [`POST ${api}/brokers`]: {
      aim: () => ({ body: {} }),
      after: async ([answer]) => {
        table.added = String((JSON.parse(answer?.body ?? "{}") as { broker: number }).broker);
      },
    },
    [`DELETE ${api}/brokers/[broker]`]: { aim: () => ({ broker: table.added || "3" }) },
    // Last: the admin starts the lab over at the same size (its topics go), and waits for it.
    [`POST ${api}/lab`]: {
      aim: () => ({ body: { brokers: 2, controllers: 1, confirm: true } }),
      after: () =>
        until("the recreated lab up", 180_000, async () => {
          const lab = (await get("/api/clusters/local")) as { status: string };
          const brokers = (await get("/api/clusters/local/brokers")) as { status: string }[];
          return lab.status === "ok" && brokers.length === 2 && brokers.every((b) => b.status === "up");
        }),
    },
  };
}

function pathOf(pattern: string, cluster: string, aim: Aim): string {
  const at = (name: string, value: string | undefined) => {
    if (pattern.includes(`[${name}]`) && value === undefined) throw new Error(`${pattern}: no ${name} to aim at`);
    return encodeURIComponent(value ?? "");
  };
  return (
    pattern
      .replace("[cluster]", cluster)
      .replace("[topic]", () => at("topic", aim.topic))
      .replace("[group]", () => at("group", aim.group))
      .replace("[broker]", () => at("broker", aim.broker))
      .replace("[drill]", () => at("drill", aim.drill))
      .replace("[token]", () => at("token", aim.token))
      .replace("[run]", () => at("run", aim.run))
      .replace("[controller]", () => at("controller", aim.controller)) + (aim.query ?? "")
  );
}

/**
 * What an independent client sees of the lab (kcat's metadata; Kafka's own tools for the offsets
 * of each az- topic, every group's committed offsets and az-read's configs), and Quorum's own
 * lists (clusters, tokens, drills, the workload), for the before/after of the refusals.
 */
async function labState(admin: Record<string, string>): Promise<unknown> {
  const servers = labBootstrap.join(",");
  const offsets = (time: string) =>
    kafkaTool("org.apache.kafka.tools.GetOffsetShell", [
      "--bootstrap-server",
      servers,
      "--topic",
      "az-.*",
      "--time",
      time,
    ]);
  const [latest, earliest, groups, configs] = await Promise.all([
    offsets("-1"),
    offsets("-2"),
    kafkaTool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", [
      "--bootstrap-server",
      servers,
      "--describe",
      "--all-groups",
      "--offsets",
    ]),
    kafkaTopicConfigs(labBootstrap, ["az-read"]),
  ]);
  const lines = (out: string) =>
    out
      .split("\n")
      .map((l) => l.trim().split(/\s+/).slice(0, 4).join(" "))
      .filter((l) => l && !l.startsWith("GROUP") && !l.startsWith("Consumer"))
      .sort();
  const quorum = async (p: string) =>
    JSON.parse((await rawRequest(base, { method: "GET", path: p, headers: admin })).body);
  const md = kcatMetadata(labBootstrap);
  return {
    brokers: md.brokers,
    partitions: md.partitions.map((p) => `${p.topic}-${p.partition} ${p.leader} ${p.replicas} ${p.isr}`).sort(),
    latest: lines(latest),
    earliest: lines(earliest),
    groups: lines(groups),
    configs,
    clusters: ((await quorum("/api/clusters")) as { id: string }[]).map((c) => c.id).sort(),
    tokens: ((await quorum("/api/auth/tokens")) as { name: string; revokedAt: number | null }[]).map(
      (t) => `${t.name} ${t.revokedAt === null ? "live" : "revoked"}`,
    ),
    drills: ((await quorum("/api/clusters/local/drills")) as unknown[]).length,
    workload: (await quorum("/api/clusters/local/workload")).running,
    labConsumers: await quorum("/api/clusters/local/labs/consumers"),
  };
}

/** What the table's requests need on the lab: topics with messages, groups with offsets, a token, two cluster entries. */
async function tableFixtures(admin: Record<string, string>): Promise<void> {
  const kafka = new Kafka({ clientId: "auth-e2e", brokers: labBootstrap, logLevel: logLevel.NOTHING });
  const kadmin = kafka.admin();
  await kadmin.connect();
  try {
    await createTopicsLed(kadmin, [
      { topic: "az-read", numPartitions: 2, replicationFactor: 2 },
      { topic: "az-doomed", numPartitions: 1, replicationFactor: 1 },
      { topic: "lab-az", numPartitions: 2, replicationFactor: 1 },
      ...["operator", "token", "admin"].map((who) => ({
        topic: `az-grow-${who}`,
        numPartitions: 1,
        replicationFactor: 1,
      })),
      ...["operator", "token", "admin"].map((who) => ({
        topic: `az-move-${who}`,
        replicaAssignment: [{ partition: 0, replicas: [1] }],
      })),
    ]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: "az-read",
      messages: Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, key: `k${i}`, value: `before ${i}` })),
    });
    // 3 MB each: a move throttled at 1 KiB/s takes far longer than the table.
    for (const who of ["operator", "token", "admin"])
      for (let i = 0; i < 3; i++)
        await producer.send({
          topic: `az-move-${who}`,
          messages: Array.from({ length: 1000 }, () => ({ value: "x".repeat(1000) })),
        });
    await producer.disconnect();
    for (const groupId of ["az-group", "az-doomed-group", "az-off-operator", "az-off-token", "az-off-admin"])
      await kadmin.setOffsets({
        groupId,
        topic: "az-read",
        partitions: [
          { partition: 0, offset: "2" },
          { partition: 1, offset: "3" },
        ],
      });
  } finally {
    await kadmin.disconnect();
  }
  table.revokeId = (await makeToken(admin.Cookie as string, { name: "az-revoke", role: "viewer" })).id;
  for (const [id, readOnly] of [
    ["az-gone", false],
    ["az-gone-ro", true],
  ] as const) {
    const res = await rawRequest(base, {
      method: "POST",
      path: "/api/clusters",
      headers: { ...admin, "Content-Type": "application/json" },
      body: JSON.stringify({ id, bootstrap: labBootstrap, readOnly }),
    });
    expect(res.status, res.body).toBe(201);
  }
}

test("every route answers nobody, each role and a token as the roles define, on a read-only cluster too; refusals change nothing", async () => {
  test.setTimeout(600_000);
  const identities: Record<Who, Record<string, string>> = {
    nobody: {},
    viewer: { Cookie: await signIn(USERS.viewer) },
    operator: { Cookie: await signIn(USERS.operator) },
    admin: { Cookie: await signIn(USERS.admin) },
    token: {},
  };
  // A script's token, carrying the operator role on every cluster.
  identities.token = {
    Authorization: `Bearer ${(await makeToken(identities.admin.Cookie as string, { name: "table", role: "operator" })).token}`,
  };
  const rank = { ...RANK, token: RANK.operator };
  const rows = tableRows(identities.admin);
  // The rows are the role table's routes, every one.
  const routes = Object.entries(ROUTE_ROLES).flatMap(([pattern, methods]) =>
    Object.entries(methods)
      .filter(([, needed]) => needed !== "public")
      .map(([method]) => `${method} ${pattern}`),
  );
  expect(Object.keys(rows).sort()).toEqual(routes.sort());
  await tableFixtures(identities.admin);

  interface Cell {
    key: string;
    cluster: string;
    who: Who;
    expected: string;
    /** The roles let it through (and the cluster is not read-only): phase two. */
    allowed: boolean;
  }
  const cells: Cell[] = [];
  for (const [key, row] of Object.entries(rows)) {
    const [method = "", pattern = ""] = key.split(" ");
    const needed = ROUTE_ROLES[pattern]?.[method] as keyof typeof RANK;
    const clusters = pattern.includes("[cluster]") ? (row.clusters ?? TABLE_CLUSTERS) : ["-"];
    for (const cluster of clusters)
      for (const who of WHO) {
        const mutation = method !== "GET";
        const expected =
          who === "nobody"
            ? "401 unauthenticated"
            : rank[who] < RANK[needed]
              ? "403 forbidden"
              : READ_ONLY.has(cluster) && mutation && pattern !== "/api/clusters/[cluster]"
                ? "403 read_only"
                : cluster === "ro" && row.onRo
                  ? row.onRo
                  : "2xx";
        cells.push({
          key,
          cluster,
          who,
          expected,
          allowed: !expected.startsWith("401") && !expected.startsWith("403"),
        });
      }
  }
  const send = async ({ key, cluster, who }: Cell) => {
    const [method = "", pattern = ""] = key.split(" ");
    const aim = rows[key]?.aim?.(who) ?? {};
    const line = `${method} ${pathOf(pattern, cluster, aim)} as ${who}`;
    const res = await rawRequest(base, {
      method,
      path: pathOf(pattern, cluster, aim),
      headers: {
        ...identities[who],
        ...(aim.body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      body: aim.body !== undefined ? JSON.stringify(aim.body) : undefined,
    }).catch((err: Error) => {
      throw new Error(`${line}: ${err.message}`);
    });
    // Refusals are JSON errors; an answer let through may be an event stream or text (/metrics).
    const through = res.status >= 200 && res.status < 300;
    const code =
      res.stream || through
        ? null
        : ((JSON.parse(res.body || "{}") as { error?: { code?: string } }).error?.code ?? null);
    const got = through ? "2xx" : `${res.status} ${code ?? ""}`.trim();
    return { res, got, line };
  };

  // Phase one: every refusal, each a request that would succeed if it got through.
  const before = await labState(identities.admin);
  const wrong: string[] = [];
  const refusals = cells.filter((c) => !c.allowed);
  for (const cell of refusals) {
    const { got, line, res } = await send(cell);
    if (got !== cell.expected) wrong.push(`${line}: ${got}, expected ${cell.expected} ${res.body.slice(0, 200)}`);
  }
  expect(wrong).toEqual([]);
  // Nothing they aimed at changed: Kafka's side read by kcat and Kafka's own tools, Quorum's own lists.
  expect(await labState(identities.admin)).toEqual(before);

  // Phase two: every allowed request succeeds, row by row, in the rows' order.
  const allowed = cells.filter((c) => c.allowed);
  for (const [key, row] of Object.entries(rows)) {
    const answers: RawResponse[] = [];
    for (const cell of allowed.filter((c) => c.key === key)) {
      const { got, line, res } = await send(cell);
      answers.push(res);
      if (got !== cell.expected) wrong.push(`${line}: ${got}, expected ${cell.expected} ${res.body.slice(0, 300)}`);
    }
    if (answers.length && row.after)
      await row.after(answers).catch((err: Error) => wrong.push(`after ${key}: ${err.message.slice(0, 600)}`));
  }
  console.log(
    `auth: ${cells.length} requests; ${refusals.length} refused as the roles define, changing nothing; ${allowed.length - wrong.length} of ${allowed.length} let through answered as expected (${allowed.filter((c) => c.expected === "2xx").length} with 2xx)`,
  );
  expect(wrong).toEqual([]);
});

test("a grant scoped by name patterns lists those topics and groups alone, and says so", async ({ page }) => {
  // Its own az- topic and group (the role table's lab was started over at its end).
  const kafka = new Kafka({ clientId: "auth-e2e-scoped", brokers: labBootstrap, logLevel: logLevel.NOTHING });
  const kadmin = kafka.admin();
  await kadmin.connect();
  await createTopicsLed(kadmin, [{ topic: "az-scoped", numPartitions: 1, replicationFactor: 1 }]);
  await kadmin.setOffsets({
    groupId: "az-scoped-group",
    topic: "az-scoped",
    partitions: [{ partition: 0, offset: "0" }],
  });
  await kadmin.disconnect();
  const cookie = await signIn(SCOPED);
  const covered = [...new Set(kcatMetadata(labBootstrap).partitions.map((p) => p.topic))]
    .filter((t) => t.startsWith("az-"))
    .sort();
  expect(covered.length).toBeGreaterThan(0);
  const list = async (p: string) => {
    const res = await rawRequest(base, { method: "GET", path: p, headers: { Cookie: cookie } });
    expect(res.status, res.body).toBe(200);
    return JSON.parse(res.body) as {
      items: Record<string, unknown>[];
      total: number;
      matched: number;
      scope?: string[];
    };
  };
  const topics = await list("/api/clusters/local/topics?limit=500");
  expect(topics.items.map((t) => t.name).sort()).toEqual(covered);
  expect(topics).toMatchObject({ total: covered.length, matched: covered.length, scope: ["az-*"] });
  const groups = await list("/api/clusters/local/consumer-groups?limit=500");
  expect(groups.items.length).toBeGreaterThan(0);
  expect(groups.items.every((g) => String(g.groupId).startsWith("az-"))).toBe(true);
  expect(groups.scope).toEqual(["az-*"]);
  // A topic outside the pattern is refused by name, and the admin's list is whole.
  const other = await rawRequest(base, {
    method: "GET",
    path: "/api/clusters/local/topics/__consumer_offsets",
    headers: { Cookie: cookie },
  });
  expect(other.status).toBe(403);
  const whole = await rawRequest(base, {
    method: "GET",
    path: "/api/clusters/local/topics?internal=true&limit=500",
    headers: { Cookie: await signIn(USERS.admin) },
  });
  const wholeList = JSON.parse(whole.body) as { total: number; scope?: string[] };
  expect(wholeList.scope).toBeUndefined();
  expect(wholeList.total).toBeGreaterThan(covered.length);
  // The page says the list is the role's part of the cluster.
  await page
    .context()
    .addCookies([{ name: cookie.split("=")[0] as string, value: cookie.slice(cookie.indexOf("=") + 1), url: base }]);
  await page.goto(`${base}/clusters/local/topics`);
  await expect(page.getByTestId("topic-count-scope")).toHaveText("only the topics your role covers: az-*");
  await expect(page.getByTestId("topic-row")).toHaveCount(covered.length);
  await page.screenshot({ path: path.join(root, "test-results", "topics-scoped.png") });
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

test("no password, hash, token, session cookie, session secret or Kafka secret appears in any answer or log line", async () => {
  const admin = await signIn("ad");
  const sessionSecret = fs.readFileSync(path.join(dir, "data", "session-secret"), "utf8").trim();
  // The auth Quorum's own lab keeps no secret of its own (its SASL listener is off); the shared
  // lab's, reached as "secure" over SASL_SSL, are in `secrets`.
  const all = [...secrets, sessionSecret].filter((x) => x.length >= 16);
  expect(all.length).toBeGreaterThan(7);
  const get = async (p: string) => {
    const res = await rawRequest(base, { method: "GET", path: p, headers: { Cookie: admin } });
    expect(res.status, `${p}: ${res.body.slice(0, 200)}`).toBe(200);
    return res.body;
  };
  const secure = "/api/clusters/secure";
  const topics = JSON.parse(await get(`${secure}/topics`)) as { items: { name: string }[] };
  const topic = topics.items.find((t) => !t.name.startsWith("__"))?.name as string;
  expect(topic).toBeTruthy();
  const answers = await Promise.all(
    [
      "/api/auth/session",
      "/api/auth/tokens",
      "/api/audit?format=jsonl&limit=1000",
      "/api/clusters",
      "/api/clusters/lab",
      secure,
      `${secure}/overview`,
      `${secure}/brokers`,
      `${secure}/topics/${encodeURIComponent(topic)}/configs`,
    ].map(get),
  );
  // A connection test over SASL_SSL, as the add-cluster form runs it, answers each step.
  const tested = await rawRequest(base, {
    method: "POST",
    path: "/api/clusters/test",
    headers: { Cookie: admin, "Content-Type": "application/json" },
    body: JSON.stringify({
      id: "az-secure-test",
      bootstrap: sharedSasl.bootstrap,
      tls: { ca: sharedSasl.caFile },
      sasl: { mechanism: sharedSasl.mechanism, username: sharedSasl.user, passwordEnv: LAB_SECRET_ENV },
    }),
  });
  expect(tested.status, tested.body).toBe(200);
  expect(tested.body).toContain("SCRAM-SHA-512");
  answers.push(tested.body);
  const logs = [serverLog(), process.env.E2E_SERVER_LOG as string].map((f) => fs.readFileSync(f, "utf8"));
  expect(logs[0]).toContain('"msg":"audit"');
  for (const secret of all) {
    for (const body of answers) expect(body.includes(secret), `an answer holds ${secret.slice(0, 8)}…`).toBe(false);
    for (const log of logs) expect(log.includes(secret), `a log holds ${secret.slice(0, 8)}…`).toBe(false);
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
  expect((JSON.parse(brokers.body) as { id: number; status: string }[]).map((b) => b.status)).toEqual(["up", "up"]);
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
  // And an admin finds it on the Audit page.
  const audit = await asUser("ad");
  await audit.page.goto(`${base}/audit`);
  await audit.page.getByTestId("audit-user").fill("vi");
  await audit.page.getByTestId("audit-action").fill("broker.stop");
  const row = audit.page.getByTestId("audit-row").first();
  await expect(row).toContainText("broker.stop");
  await expect(row).toContainText("403 forbidden");
  await expect(row).toContainText("local");
  await audit.page.screenshot({ path: path.join(root, "test-results", "audit-broker-stop.png") });
  await audit.context.close();
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
