import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A working directory holding `quorum.config.json` with `content`. */
function cwdWithConfig(content: unknown, name = "quorum.config.json"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-cwd-"));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, name), JSON.stringify(content));
  return dir;
}

describe("loadConfig", () => {
  it("defaults to the seeds' 3-broker cluster with one controller under ./.quorum", () => {
    const c = loadConfig({}, "/srv/app");
    expect(c.embedded).toMatchObject({
      dataDir: "/srv/app/.quorum",
      brokers: 3,
      controllers: 1,
      brokerPorts: [19092, 29092, 39092],
      controllerPorts: [19093],
      sessionTimeoutMs: 4000,
      heartbeatMs: 1000,
      autoLeaderRebalance: false,
    });
    expect(c.external).toEqual([]);
  });

  it("takes sizes, auto ports and external clusters from the environment", () => {
    const c = loadConfig(
      {
        QUORUM_BROKERS: "5",
        QUORUM_CONTROLLERS: "3",
        QUORUM_BROKER_PORTS: "auto",
        QUORUM_DATA_DIR: "/tmp/lab",
        QUORUM_CLUSTERS: "prod=k1:9092,k2:9092; staging=s1:9092",
      },
      "/srv/app",
    );
    expect(c.embedded?.brokers).toBe(5);
    expect(c.embedded?.controllers).toBe(3);
    expect(c.embedded?.brokerPorts).toBe("auto");
    expect(c.embedded?.controllerPorts).toEqual([19093, 29093, 39093]);
    expect(c.embedded?.dataDir).toBe("/tmp/lab");
    expect(c.external).toEqual([
      {
        id: "prod",
        name: "prod",
        bootstrap: ["k1:9092", "k2:9092"],
        readOnly: false,
        tls: null,
        sasl: null,
        metrics: null,
        origin: "env",
      },
      {
        id: "staging",
        name: "staging",
        bootstrap: ["s1:9092"],
        readOnly: false,
        tls: null,
        sasl: null,
        metrics: null,
        origin: "env",
      },
    ]);
    expect(c.configFile).toBeNull();
  });

  it("reads quorum.config.json from the working directory after QUORUM_CLUSTERS", () => {
    const cwd = cwdWithConfig({
      clusters: [{ id: "prod", name: "Production", bootstrap: ["k1:9092"], readOnly: true }],
    });
    const c = loadConfig({ QUORUM_CLUSTERS: "staging=s1:9092" }, cwd);
    expect(c.configFile).toBe(path.join(cwd, "quorum.config.json"));
    expect(c.external.map((x) => [x.id, x.name, x.readOnly, x.origin])).toEqual([
      ["staging", "staging", false, "env"],
      ["prod", "Production", true, "config-file"],
    ]);
  });

  it("reads the file QUORUM_CONFIG names, relative to the working directory", () => {
    const cwd = cwdWithConfig({ clusters: [{ id: "other", bootstrap: ["o:9092"] }] }, "other.json");
    expect(loadConfig({ QUORUM_CONFIG: "other.json" }, cwd).external.map((x) => x.id)).toEqual(["other"]);
    expect(() => loadConfig({ QUORUM_CONFIG: "absent.json" }, cwd)).toThrow(
      `${path.join(cwd, "absent.json")}: cannot be read (ENOENT)`,
    );
  });

  it("stops on an id in both QUORUM_CLUSTERS and the file, naming the file, the entry and the field", () => {
    const cwd = cwdWithConfig({
      clusters: [
        { id: "a", bootstrap: ["a:1"] },
        { id: "prod", bootstrap: ["k1:9092"] },
      ],
    });
    expect(() => loadConfig({ QUORUM_CLUSTERS: "prod=k:9092" }, cwd)).toThrow(
      `${path.join(cwd, "quorum.config.json")}: clusters[1] ("prod"): id: QUORUM_CLUSTERS already has a cluster "prod"`,
    );
  });

  it("stops on a bad entry in the file, and on a SASL cluster whose password variable is not set", () => {
    const bad = cwdWithConfig({ clusters: [{ id: "local", bootstrap: ["k:9092"] }] });
    expect(() => loadConfig({}, bad)).toThrow(ConfigError);
    expect(() => loadConfig({}, bad)).toThrow(
      /clusters\[0\] \("local"\): id: the id "local" is the embedded cluster's/,
    );
    const sasl = cwdWithConfig({
      clusters: [
        { id: "p", bootstrap: ["k:9092"], sasl: { mechanism: "SCRAM-SHA-512", username: "u", passwordEnv: "P" } },
      ],
    });
    expect(() => loadConfig({}, sasl)).toThrow(
      /clusters\[0\] \("p"\): sasl\.passwordEnv: the environment variable P is not set/,
    );
    expect(loadConfig({ P: "x" }, sasl).external[0]?.sasl).toEqual({
      mechanism: "SCRAM-SHA-512",
      username: "u",
      passwordEnv: "P",
    });
  });

  it("gives 9 distinct default broker ports for the largest lab", () => {
    const ports = loadConfig({ QUORUM_BROKERS: "9" }).embedded?.brokerPorts;
    expect(Array.isArray(ports) && new Set(ports).size).toBe(9);
  });

  it("leaves the lab's SASL_SSL listener off unless QUORUM_LAB_SASL asks for it", () => {
    expect(loadConfig({}).embedded?.sasl).toBeNull();
    expect(loadConfig({ QUORUM_LAB_SASL: "false", QUORUM_LAB_SASL_PORTS: "9192,9193,9194" }).embedded?.sasl).toBeNull();
  });

  it("puts each SASL_SSL listener at its broker's port + 1000 by default, auto with auto ports", () => {
    expect(loadConfig({ QUORUM_LAB_SASL: "true" }).embedded?.sasl).toEqual({
      ports: [20092, 30092, 40092],
      user: "quorum",
      password: null,
    });
    expect(loadConfig({ QUORUM_LAB_SASL: "true", QUORUM_BROKERS: "9" }).embedded?.sasl?.ports).toEqual([
      20092, 30092, 40092, 50092, 60092, 20094, 30094, 40094, 50094,
    ]);
    expect(loadConfig({ QUORUM_LAB_SASL: "1", QUORUM_BROKER_PORTS: "auto" }).embedded?.sasl?.ports).toBe("auto");
    const given = loadConfig({
      QUORUM_LAB_SASL: "yes",
      QUORUM_LAB_SASL_PORTS: "9192,9193,9194",
      QUORUM_LAB_SASL_USER: "alice.b",
      QUORUM_LAB_SASL_PASSWORD: "Secret-pass_9",
    }).embedded?.sasl;
    expect(given).toEqual({ ports: [9192, 9193, 9194], user: "alice.b", password: "Secret-pass_9" });
  });

  it.each([
    [{ QUORUM_LAB_SASL: "on" }, /QUORUM_LAB_SASL/],
    [{ QUORUM_LAB_SASL: "true", QUORUM_LAB_SASL_PORTS: "9192" }, /lists 1 ports for 3 brokers/],
    [{ QUORUM_LAB_SASL: "true", QUORUM_LAB_SASL_PORTS: "9192,29092,9194" }, /must all differ/],
    [{ QUORUM_LAB_SASL: "true", QUORUM_BROKER_PORTS: "65000,29092,39092" }, /passes 65535/],
    [{ QUORUM_LAB_SASL: "true", QUORUM_LAB_SASL_USER: "a,b" }, /QUORUM_LAB_SASL_USER/],
    [{ QUORUM_LAB_SASL: "true", QUORUM_LAB_SASL_PASSWORD: "short" }, /QUORUM_LAB_SASL_PASSWORD/],
    [{ QUORUM_LAB_SASL: "true", QUORUM_LAB_SASL_PASSWORD: "has,comma]x" }, /QUORUM_LAB_SASL_PASSWORD/],
  ])("rejects SASL setting %o with one clear sentence", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("never repeats a rejected password in its message", () => {
    expect(() => loadConfig({ QUORUM_LAB_SASL_PASSWORD: "bad pass word" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("bad pass word") }),
    );
  });

  it("lets API reads use a snapshot up to 5 s old unless QUORUM_READ_MAX_AGE_MS says otherwise", () => {
    expect(loadConfig({}).readMaxAgeMs).toBe(5000);
    expect(loadConfig({ QUORUM_READ_MAX_AGE_MS: "1500" }).readMaxAgeMs).toBe(1500);
    expect(loadConfig({ QUORUM_READ_MAX_AGE_MS: "0" }).readMaxAgeMs).toBe(0);
    expect(() => loadConfig({ QUORUM_READ_MAX_AGE_MS: "60001" })).toThrow(/QUORUM_READ_MAX_AGE_MS/);
    expect(() => loadConfig({ QUORUM_READ_MAX_AGE_MS: "soon" })).toThrow(/QUORUM_READ_MAX_AGE_MS/);
  });

  it("turns the embedded cluster off", () => {
    expect(loadConfig({ QUORUM_EMBEDDED: "false" }).embedded).toBeNull();
  });

  it.each([
    [{ QUORUM_BROKERS: "0" }, /QUORUM_BROKERS/],
    [{ QUORUM_BROKERS: "10" }, /QUORUM_BROKERS/],
    [{ QUORUM_BROKERS: "two" }, /QUORUM_BROKERS/],
    [{ QUORUM_CONTROLLERS: "2" }, /QUORUM_CONTROLLERS: must be 1 or 3/],
    [{ QUORUM_BROKER_PORTS: "19092,29092" }, /lists 2 ports for 3 brokers/],
    [{ QUORUM_BROKER_PORTS: "80,29092,39092" }, /QUORUM_BROKER_PORTS/],
    [{ QUORUM_BROKER_PORTS: "19093,29092,39092" }, /must all differ/],
    [{ QUORUM_SESSION_TIMEOUT_MS: "1500", QUORUM_HEARTBEAT_MS: "1000" }, /at least twice/],
    [{ QUORUM_CLUSTERS: "local=k:9092" }, /"local"/],
    [{ QUORUM_CLUSTERS: "test=k:9092" }, /"test" is taken by Quorum's own paths/],
    [{ QUORUM_CLUSTERS: "a=k:9092;a=j:9092" }, /"a" appears twice/],
    [{ QUORUM_CLUSTERS: "no-servers" }, /QUORUM_CLUSTERS/],
    [{ QUORUM_EMBEDDED: "maybe" }, /QUORUM_EMBEDDED/],
  ])("rejects %o with one clear sentence", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
