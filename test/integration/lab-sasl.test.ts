import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as brokersRoute from "@/app/api/clusters/[cluster]/brokers/route";
import * as electRoute from "@/app/api/clusters/[cluster]/elect-leaders/route";
import * as clusterRoute from "@/app/api/clusters/[cluster]/route";
import * as configsRoute from "@/app/api/clusters/[cluster]/topics/[topic]/configs/route";
import * as partitionsRoute from "@/app/api/clusters/[cluster]/topics/[topic]/partitions/route";
import * as topicsRoute from "@/app/api/clusters/[cluster]/topics/route";
import * as clustersRoute from "@/app/api/clusters/route";
import * as testRoute from "@/app/api/clusters/test/route";
import type { Broker, ClusterSummary, ConnectionTestResult, ElectionReport, ListPage, TopicSummary } from "@/lib/types";
import type { ClusterConnection } from "@/server/clusters/connection";
import { testConnection } from "@/server/clusters/connection-test";
import { RuntimeClusterStore } from "@/server/clusters/runtime-store";
import { withPool } from "@/server/kafka/pool";
import { takeSnapshot } from "@/server/kafka/snapshot";
import { logger } from "@/server/logger";
import { getQuorum } from "@/server/quorum";
import { eventually, startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { kafkaTopicConfigs } from "../helpers/kafka-configs";
import { hasKcat, kcatMetadata } from "../helpers/kcat";
import { call, serveThroughRoutes } from "../helpers/routes";

// The lab's SASL_SSL (SCRAM-SHA-512) listener, checked with independent clients (kcat, librdkafka;
// Kafka's own Java tools); one test then reaches it with Quorum's own protocol layer.

/** Everything the server logs while this file runs (pino's stream swapped for an array). */
const logLines: string[] = [];
const streamSym = pino.symbols.streamSym as unknown as keyof typeof logger;
const loggerStream = logger[streamSym];
const loggerLevel = logger.level;

function kcat(args: string[]) {
  const r = spawnSync("kcat", args, { encoding: "utf8", timeout: 20_000 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

function saslArgs(ca: string, user: string, password: string): string[] {
  return [
    "-X",
    "security.protocol=SASL_SSL",
    "-X",
    "sasl.mechanisms=SCRAM-SHA-512",
    "-X",
    `sasl.username=${user}`,
    "-X",
    `sasl.password=${password}`,
    "-X",
    `ssl.ca.location=${ca}`,
  ];
}

const libs = path.join(__dirname, "../../.cache/kafka/libs");

/**
 * One of Kafka's own command-line tools (its Java clients, from the fetched jars) against the
 * SASL_SSL listener, with a client config (SCRAM-SHA-512, the lab CA as PEM truststore) in a 0600
 * file so that no password is on a command line.
 */
function kafkaTool(
  mainClass: string,
  args: string[],
  client: { user: string; password: string; ca: string },
  input?: string,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-client-"));
  const config = path.join(dir, "client.properties");
  fs.writeFileSync(
    config,
    [
      "security.protocol=SASL_SSL",
      "sasl.mechanism=SCRAM-SHA-512",
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${client.user}" password="${client.password}";`,
      "ssl.truststore.type=PEM",
      `ssl.truststore.location=${client.ca}`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  try {
    const r = spawnSync(
      "java",
      [
        "-Xmx128m",
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-cp",
        `${libs}${path.sep}*`,
        mainClass,
        ...args,
        "--command-config",
        config,
      ],
      { input, encoding: "utf8", timeout: 90_000 },
    );
    return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The brokers (id and address) that Kafka's BrokerApiVersionsCommand reaches from `bootstrap`. */
function brokersSeen(bootstrap: string[], client: { user: string; password: string; ca: string }) {
  const r = kafkaTool(
    "org.apache.kafka.tools.BrokerApiVersionsCommand",
    ["--bootstrap-server", bootstrap.join(",")],
    client,
  );
  const brokers = [...r.stdout.matchAll(/^(\S+) \(id: (\d+) rack/gm)].map((m) => ({
    id: Number(m[2]),
    address: m[1] ?? "",
  }));
  return { ...r, brokers };
}

/** Every file under `dir` (binary ones too: metadata log segments), as path and bytes. */
function filesUnder(dir: string): { file: string; bytes: Buffer }[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name))
    .map((file) => ({ file, bytes: fs.readFileSync(file) }));
}

/** Files holding `secret`, leaving out the secrets' own folder (and, for the store password, server.properties). */
function leaks(dataDir: string, secret: string, allowed: (file: string) => boolean): string[] {
  const inFiles = filesUnder(dataDir)
    .filter(({ file }) => !file.startsWith(path.join(dataDir, "security") + path.sep) && !allowed(file))
    .filter(({ bytes }) => bytes.includes(secret))
    .map(({ file }) => file);
  const inLog = logLines.filter((l) => l.includes(secret)).map(() => "server log");
  return [...inFiles, ...inLog];
}

describe.skipIf(!hasKcat)("the lab's SASL_SSL listener", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-sasl-"));
  const securityDir = path.join(dataDir, "security");
  let tc: TestCluster | undefined;
  let sasl: ClusterSummary["sasl"];
  let password = "";
  let storePassword = "";
  const topic = uniqueName("sasl");

  beforeAll(async () => {
    (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = {
      write: (line: string) => logLines.push(line),
    };
    logger.level = "debug";
    const began = Date.now();
    tc = await startTestCluster({ brokers: 3, sasl: true, dataDir });
    console.info(`cold start with SASL on: ${Date.now() - began} ms`);
    serveThroughRoutes(tc.cluster);
    password = fs.readFileSync(path.join(securityDir, "sasl.password"), "utf8").trim();
    storePassword = fs.readFileSync(path.join(securityDir, "store.password"), "utf8").trim();
  });

  afterAll(async () => {
    delete process.env.QUORUM_SECRET_LAB_IT;
    delete process.env.QUORUM_SECRET_LAB_WRONG;
    for (const c of getQuorum().clusters.values()) await c.gateway.close();
    await tc?.stop();
    (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = loggerStream;
    logger.level = loggerLevel;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps its secrets in a 0700 folder, in 0600 files", () => {
    expect(fs.statSync(securityDir).mode & 0o777).toBe(0o700);
    for (const f of ["sasl.password", "store.password", "broker.p12", "ca.p12", "sasl-user.json"]) {
      expect(fs.statSync(path.join(securityDir, f)).mode & 0o777).toBe(0o600);
    }
    expect(password.length).toBeGreaterThanOrEqual(32);
  });

  it("is in GET /api/clusters/local, without the password", async () => {
    const res = await call(clusterRoute.GET, { cluster: "local" }, { method: "GET" });
    expect(res.status).toBe(200);
    sasl = (res.body as ClusterSummary).sasl;
    expect(sasl).toEqual({
      bootstrap: tc?.cluster.saslBootstrap,
      securityProtocol: "SASL_SSL",
      mechanism: "SCRAM-SHA-512",
      user: "quorum",
      caFile: path.join(securityDir, "ca.pem"),
    });
    expect(sasl?.bootstrap).toHaveLength(3);
    expect(sasl?.bootstrap.some((b) => tc?.bootstrap.includes(b))).toBe(false);
    // What Quorum's own clients will use: the same listener, with the secrets resolved.
    const conn: ClusterConnection | null = tc?.cluster.saslConnection() ?? null;
    expect(conn?.bootstrap).toEqual(sasl?.bootstrap);
    expect(conn?.tls?.ca).toBe(fs.readFileSync(path.join(securityDir, "ca.pem"), "utf8"));
    expect(conn?.sasl).toEqual({ mechanism: "SCRAM-SHA-512", username: "quorum", password });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(password);
    expect(text).not.toContain(storePassword);
  });

  const client = () => ({ user: "quorum", password, ca: sasl?.caFile ?? "" });

  it("lists every broker, at its SASL_SSL address, to a SCRAM-SHA-512 client that trusts the lab CA", () => {
    const bootstrap = sasl?.bootstrap ?? [];
    const seen = brokersSeen(bootstrap, client());
    expect(seen.status, seen.stderr).toBe(0);
    expect(seen.brokers.map((b) => b.id).sort()).toEqual([1, 2, 3]);
    expect(seen.brokers.map((b) => b.address).sort()).toEqual([...bootstrap].sort());
  });

  it("produces and consumes through it", () => {
    const bootstrap = (sasl?.bootstrap ?? []).join(",");
    const sent = ["k1:one", "k2:two", "k3:three"];
    const produced = kafkaTool(
      "org.apache.kafka.tools.ConsoleProducer",
      [
        "--bootstrap-server",
        bootstrap,
        "--topic",
        topic,
        "--reader-property",
        "parse.key=true",
        "--reader-property",
        "key.separator=:",
      ],
      client(),
      `${sent.join("\n")}\n`,
    );
    expect(produced.status, produced.stderr).toBe(0);
    const consumed = kafkaTool(
      "org.apache.kafka.tools.consumer.ConsoleConsumer",
      [
        "--bootstrap-server",
        bootstrap,
        "--topic",
        topic,
        "--from-beginning",
        "--max-messages",
        "3",
        "--timeout-ms",
        "30000",
        "--formatter-property",
        "print.key=true",
        "--formatter-property",
        "key.separator=:",
      ],
      client(),
    );
    expect(consumed.status, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split("\n")).toEqual(sent);
  });

  it("refuses a wrong password with an authentication error", () => {
    const seen = brokersSeen(sasl?.bootstrap ?? [], { ...client(), password: `${password}x` });
    expect(seen.status).not.toBe(0);
    expect(seen.brokers).toEqual([]);
    expect(`${seen.stdout}${seen.stderr}`).toMatch(
      /SaslAuthenticationException|invalid credentials with SASL mechanism SCRAM-SHA-512/,
    );
  });

  it("is reached by Quorum's own protocol layer: every connection-test step, and a snapshot over the pool", async () => {
    const conn = tc?.cluster.saslConnection() as ClusterConnection;
    const tested = await testConnection(conn);
    expect(tested.steps.map((s) => [s.step, s.ok])).toEqual([
      ["tcp", true],
      ["tls", true],
      ["sasl", true],
      ["api-versions", true],
      ["metadata", true],
    ]);
    expect(tested.steps[2]?.message).toMatch(/accepted quorum \(SCRAM-SHA-512\)$/);
    const snap = await withPool(conn, (pool) => takeSnapshot(pool, conn.bootstrap, 5000));
    expect(snap.errors).toEqual([]);
    expect(snap.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...conn.bootstrap].sort());

    const wrong = await testConnection({ ...conn, sasl: conn.sasl && { ...conn.sasl, password: `${password}x` } });
    expect(wrong.steps.map((s) => [s.step, s.ok])).toEqual([
      ["tcp", true],
      ["tls", true],
      ["sasl", false],
    ]);
    expect(JSON.stringify(wrong)).not.toContain(password);
  });

  it("gives kcat (OpenSSL) a certificate it verifies with the lab CA for 127.0.0.1", () => {
    // Debian 12's kcat links librdkafka 2.0.2, whose SCRAM nonce bug (fixed in 2.6.1) Kafka 4.x
    // rejects: it cannot log in, but it shows TLS verification passing and SCRAM being asked for.
    const r = kcat([
      "-b",
      sasl?.bootstrap[0] ?? "",
      ...saslArgs(sasl?.caFile ?? "", "quorum", password),
      "-L",
      "-m",
      "5",
    ]);
    expect(r.stderr).not.toMatch(/SSL handshake failed|certificate verify failed/i);
    if (r.status !== 0) expect(r.stderr).toMatch(/state AUTH_REQ/);
    const noCa = kcat([
      "-b",
      sasl?.bootstrap[0] ?? "",
      ...saslArgs("/etc/ssl/certs/ca-certificates.crt", "quorum", password),
      "-L",
      "-m",
      "5",
    ]);
    expect(noCa.status).not.toBe(0);
    expect(noCa.stderr).toMatch(/certificate verify failed|SSL handshake failed/i);
  });

  it("refuses a plaintext client on the SASL port, which the PLAINTEXT port still serves", () => {
    const onSasl = kcat(["-b", sasl?.bootstrap[0] ?? "", "-L", "-m", "5"]);
    expect(onSasl.status).not.toBe(0);
    expect(onSasl.stdout).not.toMatch(/3 brokers/);
    const onPlain = kcat(["-b", tc?.bootstrap[0] ?? "", "-L", "-m", "5"]);
    expect(onPlain.status, onPlain.stderr).toBe(0);
    expect(onPlain.stdout).toMatch(/3 brokers/);
  });

  // Added the way a user adds a cluster (the clusters routes, a QUORUM_SECRET_ variable), then
  // browsed and administered through that cluster's own routes: every request goes over SASL_SSL.
  // Each effect is checked on the PLAINTEXT listener by Kafka's own tools and kcat.
  const secured = "lab-secured";
  const wrong = "lab-wrong-password";
  const wrongPassword = "Wrong-pass_0123456789";
  /** Every body the API answered in these tests: none may carry a password. */
  const answers: unknown[] = [];
  const api = async (...args: Parameters<typeof call>) => {
    const res = await call(...args);
    answers.push(res.body);
    return res;
  };
  const securedEntry = (id: string, passwordEnv: string) => ({
    id,
    name: "Lab over SASL_SSL",
    bootstrap: sasl?.bootstrap ?? [],
    tls: { ca: sasl?.caFile ?? "" },
    sasl: { mechanism: "SCRAM-SHA-512", username: "quorum", passwordEnv },
  });

  it("is added at run time over SASL_SSL with SCRAM credentials, and browsed and administered through its routes", async () => {
    const q = getQuorum();
    q.definitions = new Map();
    q.runtimeStore = new RuntimeClusterStore(path.join(dataDir, "clusters.json"));
    process.env.QUORUM_SECRET_LAB_IT = password;
    const entry = securedEntry(secured, "QUORUM_SECRET_LAB_IT");

    // A variable not named QUORUM_SECRET_… is refused before it is looked up.
    const outside = await api(testRoute.POST, {}, { body: securedEntry(secured, "HOME") });
    expect(outside.status).toBe(400);
    expect(outside.body).toMatchObject({ error: { code: "validation_failed", field: "sasl.passwordEnv" } });

    const tested = await api(testRoute.POST, {}, { body: entry });
    expect(tested.status).toBe(200);
    const steps = (tested.body as ConnectionTestResult).steps;
    expect(steps.map((st) => [st.step, st.ok])).toEqual([
      ["tcp", true],
      ["tls", true],
      ["sasl", true],
      ["api-versions", true],
      ["metadata", true],
    ]);
    expect(steps[2]?.message).toMatch(/accepted quorum \(SCRAM-SHA-512\)$/);

    const added = await api(clustersRoute.POST, {}, { body: entry });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ ...entry, readOnly: false, origin: "runtime" });
    const stored = fs.readFileSync(path.join(dataDir, "clusters.json"), "utf8");
    expect(fs.statSync(path.join(dataDir, "clusters.json")).mode & 0o777).toBe(0o600);
    expect(stored).toContain("QUORUM_SECRET_LAB_IT");

    const summary = await api(clusterRoute.GET, { cluster: secured }, { method: "GET" });
    expect(summary.body).toMatchObject({
      status: "ok",
      brokersUp: 3,
      security: { tls: true, sasl: { mechanism: "SCRAM-SHA-512", username: "quorum" } },
    });

    // Browse: its brokers are the SASL_SSL listeners; the topic produced over SASL is there.
    const brokers = (await api(brokersRoute.GET, { cluster: secured }, { method: "GET" })).body as Broker[];
    expect(brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...(sasl?.bootstrap ?? [])].sort());
    expect(brokers.every((b) => b.status === "up")).toBe(true);
    const topics = (
      (await api(topicsRoute.GET, { cluster: secured }, { method: "GET" })).body as ListPage<TopicSummary>
    ).items;
    expect(topics.find((t) => t.name === topic)).toMatchObject({ partitions: 1, messages: 3 });

    // Create a topic, add partitions, change a config: each seen by kcat / kafka-configs on PLAINTEXT.
    const made = uniqueName("sasl-admin");
    const created = await api(
      topicsRoute.POST,
      { cluster: secured },
      {
        body: { name: made, partitions: 2, replicationFactor: 3 },
      },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const plain = tc?.bootstrap ?? [];
    const partitionsOf = () => kcatMetadata(plain).partitions.filter((p) => p.topic === made);
    expect(partitionsOf()).toHaveLength(2);

    const grown = await api(partitionsRoute.POST, { cluster: secured, topic: made }, { body: { count: 4 } });
    expect(grown.status, JSON.stringify(grown.body)).toBe(200);
    await eventually("4 partitions seen by kcat", () => (partitionsOf().length === 4 ? true : undefined));

    const altered = await api(
      configsRoute.PATCH,
      { cluster: secured, topic: made },
      {
        method: "PATCH",
        body: { configs: { "retention.ms": 3_600_000 } },
      },
    );
    expect(altered.status, JSON.stringify(altered.body)).toBe(200);
    expect((await kafkaTopicConfigs(plain, [made]))[made]?.["retention.ms"]).toBe("3600000");

    // Preferred election: first make partition 0's preferred leader another broker by reordering
    // its replicas (Kafka's own reassignment tool; the leader stays), then elect through SASL.
    const p0 = partitionsOf().find((p) => p.partition === 0);
    if (!p0) throw new Error("partition 0 missing");
    const reordered = [...p0.replicas.filter((r) => r !== p0.leader), p0.leader];
    const plan = path.join(dataDir, "reorder.json");
    fs.writeFileSync(
      plan,
      JSON.stringify({ version: 1, partitions: [{ topic: made, partition: 0, replicas: reordered }] }),
    );
    const reassign = spawnSync(
      "java",
      ["-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", `${libs}${path.sep}*`]
        .concat(["org.apache.kafka.tools.reassign.ReassignPartitionsCommand", "--bootstrap-server", plain.join(",")])
        .concat(["--reassignment-json-file", plan, "--execute"]),
      { encoding: "utf8", timeout: 90_000 },
    );
    expect(reassign.status, reassign.stderr).toBe(0);
    await eventually("replicas reordered", () => {
      const now = partitionsOf().find((p) => p.partition === 0);
      return now && now.replicas[0] === reordered[0] && now.leader === p0.leader ? true : undefined;
    });
    const elected = await api(electRoute.POST, { cluster: secured }, { body: { topic: made } });
    expect(elected.status, JSON.stringify(elected.body)).toBe(200);
    const report = elected.body as ElectionReport;
    expect(report.results).toHaveLength(4);
    expect(report).toMatchObject({ elected: 1, already: 3, failed: 0 });
    await eventually("partition 0 led by its new preferred leader", () =>
      partitionsOf().find((p) => p.partition === 0)?.leader === reordered[0] ? true : undefined,
    );
    expect(partitionsOf().every((p) => p.leader === p.replicas[0])).toBe(true);
  });

  it("names SASL when the password is wrong: the connection test stops at sasl, reads and commands answer 503", async () => {
    process.env.QUORUM_SECRET_LAB_WRONG = wrongPassword;
    const entry = securedEntry(wrong, "QUORUM_SECRET_LAB_WRONG");
    const tested = await api(testRoute.POST, {}, { body: entry });
    expect(tested.status).toBe(200);
    const result = tested.body as ConnectionTestResult;
    expect(result.ok).toBe(false);
    expect(result.steps.map((st) => [st.step, st.ok])).toEqual([
      ["tcp", true],
      ["tls", true],
      ["sasl", false],
    ]);
    expect(result.steps[2]?.message).toMatch(
      /^SASL: authentication failed for user quorum with mechanism SCRAM-SHA-512: .*invalid credentials with SASL mechanism SCRAM-SHA-512/,
    );
    // An unknown user gets the same kind of answer.
    const nobody = await api(
      testRoute.POST,
      {},
      {
        body: { ...entry, sasl: { ...entry.sasl, username: "nobody" } },
      },
    );
    expect((nobody.body as ConnectionTestResult).steps.at(-1)).toMatchObject({ step: "sasl", ok: false });
    expect((nobody.body as ConnectionTestResult).steps.at(-1)?.message).toMatch(
      /user nobody with mechanism SCRAM-SHA-512/,
    );

    // Added anyway (adding does not test): every read and command says SASL, as 503 JSON.
    expect((await api(clustersRoute.POST, {}, { body: entry })).status).toBe(201);
    const saslFailed = /SASL authentication failed for user quorum with mechanism SCRAM-SHA-512: .*invalid credentials/;
    const topics = await api(topicsRoute.GET, { cluster: wrong }, { method: "GET" });
    expect(topics.status).toBe(503);
    expect(topics.body).toMatchObject({ error: { code: "cluster_unavailable" } });
    expect((topics.body as { error: { message: string } }).error.message).toMatch(saslFailed);
    const create = await api(
      topicsRoute.POST,
      { cluster: wrong },
      {
        body: { name: uniqueName("never"), partitions: 1, replicationFactor: 1 },
      },
    );
    expect(create.status).toBe(503);
    expect((create.body as { error: { message: string } }).error.message).toMatch(saslFailed);
    const summary = (await api(clusterRoute.GET, { cluster: wrong }, { method: "GET" })).body as ClusterSummary;
    expect(summary.status).toBe("unreachable");
    expect(summary.message).toMatch(saslFailed);

    // Both removed: gone from the routes.
    for (const id of [secured, wrong]) {
      expect((await api(clusterRoute.DELETE, { cluster: id }, { method: "DELETE" })).status).toBe(200);
      expect((await api(clusterRoute.GET, { cluster: id }, { method: "GET" })).status).toBe(404);
    }
  });

  it("puts neither password in any API answer or log line", () => {
    expect(answers.length).toBeGreaterThan(10);
    const text = JSON.stringify(answers);
    expect(text).not.toContain(password);
    expect(text).not.toContain(wrongPassword);
    expect(logLines.some((l) => l.includes(secured))).toBe(true);
    expect(logLines.filter((l) => l.includes(password) || l.includes(wrongPassword))).toEqual([]);
  });

  it("writes neither the SCRAM nor the store password to any log", () => {
    expect(logLines.length).toBeGreaterThan(0);
    const nodeLogs = filesUnder(dataDir).filter(({ file }) => file.endsWith(".log") && file.includes("logs"));
    expect(nodeLogs.length).toBeGreaterThanOrEqual(4);
    expect(leaks(dataDir, password, () => false)).toEqual([]);
    expect(leaks(dataDir, storePassword, (f) => path.basename(f) === "server.properties")).toEqual([]);
  });

  it("gives the user a new password through kafka-configs when restarted with one", async () => {
    await tc?.stop();
    tc = undefined;
    const next = "Next-pass_0123456789";
    const began = Date.now();
    tc = await startTestCluster({ brokers: 3, sasl: true, dataDir, env: { QUORUM_LAB_SASL_PASSWORD: next } });
    console.info(`warm start with SASL on and a new password: ${Date.now() - began} ms`);
    // Auto ports: get-port keeps handing out recently used ports as locked within one process,
    // so an in-process restart may move the listener; read it again.
    const bootstrap = tc.cluster.saslBootstrap;
    expect(bootstrap).toHaveLength(3);
    const next_ = { ...client(), password: next };
    const seen = await eventually("the new password accepted", () => {
      const r = brokersSeen(bootstrap, next_);
      return r.status === 0 ? r : undefined;
    });
    expect(seen.brokers.map((b) => b.id).sort()).toEqual([1, 2, 3]);
    const old = brokersSeen(bootstrap, client());
    expect(old.status).not.toBe(0);
    expect(`${old.stdout}${old.stderr}`).toMatch(/SaslAuthenticationException|invalid credentials/);
    expect(logLines.some((l) => l.includes("adding the SCRAM user"))).toBe(true);
    expect(leaks(dataDir, next, () => false)).toEqual([]);
  });
});
