import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as clusterRoute from "@/app/api/clusters/[cluster]/route";
import type { ClusterSummary } from "@/lib/types";
import { logger } from "@/server/logger";
import { eventually, startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { hasKcat } from "../helpers/kcat";
import { call, serveThroughRoutes } from "../helpers/routes";

// The lab's SASL_SSL (SCRAM-SHA-512) listener, checked with an independent client (kcat, librdkafka):
// nothing here goes through Quorum's own Kafka protocol code.

/** Everything the server logs while this file runs (pino's stream swapped for an array). */
const logLines: string[] = [];
const streamSym = pino.symbols.streamSym as unknown as keyof typeof logger;
const loggerStream = logger[streamSym];
const loggerLevel = logger.level;

function kcat(args: string[], input?: string) {
  const r = spawnSync("kcat", args, { input, encoding: "utf8", timeout: 20_000 });
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
    await tc?.stop();
    (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = loggerStream;
    logger.level = loggerLevel;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps its secrets in a 0700 folder, in 0600 files", () => {
    expect(fs.statSync(securityDir).mode & 0o777).toBe(0o700);
    for (const f of ["sasl.password", "store.password", "broker.p12", "truststore.p12", "ca.p12", "sasl-user.json"]) {
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
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(password);
    expect(text).not.toContain(storePassword);
  });

  it("lists every broker, at its SASL_SSL address, to a SCRAM-SHA-512 client that trusts the lab CA", async () => {
    const bootstrap = sasl?.bootstrap ?? [];
    const md = await eventually("metadata over SASL_SSL", () => {
      const r = kcat(["-b", bootstrap.join(","), ...saslArgs(sasl?.caFile ?? "", "quorum", password), "-L", "-J"]);
      return r.status === 0 ? (JSON.parse(r.stdout) as { brokers: { id: number; name: string }[] }) : undefined;
    });
    expect(md.brokers.map((b) => b.id).sort()).toEqual([1, 2, 3]);
    expect(md.brokers.map((b) => b.name).sort()).toEqual([...bootstrap].sort());
  });

  it("produces and consumes through it", () => {
    const args = ["-b", (sasl?.bootstrap ?? []).join(","), ...saslArgs(sasl?.caFile ?? "", "quorum", password)];
    const sent = ["k1:one", "k2:two", "k3:three"];
    const produced = kcat([...args, "-P", "-t", topic, "-K:"], `${sent.join("\n")}\n`);
    expect(produced.status, produced.stderr).toBe(0);
    const consumed = kcat([...args, "-C", "-t", topic, "-o", "beginning", "-e", "-f", "%k:%s\\n"]);
    expect(consumed.status, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split("\n")).toEqual(sent);
  });

  it("refuses a wrong password with an authentication error", () => {
    const r = kcat([
      "-b",
      (sasl?.bootstrap ?? []).join(","),
      ...saslArgs(sasl?.caFile ?? "", "quorum", `${password}x`),
      "-L",
      "-m",
      "5",
    ]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Authentication failed|SASL authentication error/i);
  });

  it("refuses a plaintext client on the SASL port, which the PLAINTEXT port still serves", () => {
    const onSasl = kcat(["-b", sasl?.bootstrap[0] ?? "", "-L", "-m", "5"]);
    expect(onSasl.status).not.toBe(0);
    expect(onSasl.stdout).not.toMatch(/3 brokers/);
    const onPlain = kcat(["-b", tc?.bootstrap[0] ?? "", "-L", "-m", "5"]);
    expect(onPlain.status, onPlain.stderr).toBe(0);
    expect(onPlain.stdout).toMatch(/3 brokers/);
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
    const bootstrap = tc.cluster.saslBootstrap;
    expect(bootstrap).toEqual(sasl?.bootstrap);
    const md = (pw: string) =>
      kcat(["-b", bootstrap.join(","), ...saslArgs(sasl?.caFile ?? "", "quorum", pw), "-L", "-J", "-m", "5"]);
    await eventually("the new password accepted", () => (md(next).status === 0 ? true : undefined));
    const old = md(password);
    expect(old.status).not.toBe(0);
    expect(old.stderr).toMatch(/Authentication failed|SASL authentication error/i);
    expect(logLines.some((l) => l.includes("adding the SCRAM user"))).toBe(true);
    expect(leaks(dataDir, next, () => false)).toEqual([]);
  });
});
