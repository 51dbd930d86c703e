import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ClusterDefinition } from "./clusters/cluster-config";
import type { QuorumConfig } from "./config";
import { httpErrorOf } from "./errors";
import { createQuorum, getCluster } from "./quorum";
import { addRuntimeCluster, removeRuntimeCluster } from "./runtime-clusters";

const KEY = Symbol.for("quorum.instance");
const dirs: string[] = [];
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[KEY];
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const fromFile: ClusterDefinition = {
  id: "prod",
  name: "Production",
  bootstrap: ["127.0.0.1:1"],
  readOnly: true,
  tls: null,
  sasl: null,
  metrics: null,
  origin: "config-file",
};

function config(dataDir: string, external: ClusterDefinition[] = [fromFile]): QuorumConfig {
  return {
    dataDir,
    embedded: null,
    external,
    configFile: "/etc/quorum.config.json",
    auth: null,
    auditRetentionDays: 90,
    monitorIntervalMs: 500,
    readMaxAgeMs: 5000,
    heartbeatMs: 1000,
    maxStreams: 10,
    leadershipMapMaxPartitions: 200,
    demo: { enabled: false, rate: 1 },
    history: { sampleMs: 1000, retentionHours: 1, maxRows: 100_000 },
    metricsSampleMs: 5000,
  };
}

/** A Quorum over a fresh data directory, installed as the process's one instance (not started). */
function install(external?: ClusterDefinition[]): { dataDir: string; file: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-runtime-"));
  dirs.push(dataDir);
  (globalThis as Record<symbol, unknown>)[KEY] = createQuorum(config(dataDir, external));
  return { dataDir, file: path.join(dataDir, "clusters.json") };
}

const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return httpErrorOf(err);
  }
  return null;
};

describe("clusters added at run time", () => {
  it("are stored with mode 0600 and come back when Quorum starts again", () => {
    const { dataDir, file } = install();
    expect(addRuntimeCluster({ id: "dev", bootstrap: ["127.0.0.1:2"], readOnly: true })).toEqual({
      id: "dev",
      name: "dev",
      bootstrap: ["127.0.0.1:2"],
      readOnly: true,
      origin: "runtime",
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(getCluster("dev").readOnly).toBe(true);

    const again = createQuorum(config(dataDir));
    expect([...again.clusters.keys()]).toEqual(["prod", "dev"]);
    expect(again.definitions?.get("dev")?.origin).toBe("runtime");
  });

  it("refuse a taken id with 409, and a password variable not named QUORUM_SECRET_… or a missing TLS file with 400, storing nothing", () => {
    const { file } = install();
    expect(errorOf(() => addRuntimeCluster({ id: "prod", bootstrap: ["k:1"] }))).toMatchObject({
      status: 409,
      code: "conflict",
      field: "id",
    });
    const sasl = { mechanism: "PLAIN", username: "u", passwordEnv: "HOME" } as const;
    expect(errorOf(() => addRuntimeCluster({ id: "s", bootstrap: ["k:1"], sasl }))).toMatchObject({
      status: 400,
      code: "validation_failed",
      field: "sasl.passwordEnv",
    });
    expect(
      errorOf(() => addRuntimeCluster({ id: "t", bootstrap: ["k:1"], tls: { ca: "/nonexistent/ca.pem" } })),
    ).toMatchObject({ status: 400, code: "validation_failed", field: "tls.ca" });
    expect(fs.existsSync(file)).toBe(false);
    expect(getCluster("prod").name).toBe("Production");
  });

  it("keep TLS and SASL by name (paths made absolute), and show the mechanism and user, never the password", async () => {
    const { dataDir, file } = install();
    process.env.QUORUM_SECRET_UNIT_TEST = "unit-test-password";
    try {
      const added = addRuntimeCluster({
        id: "sec",
        bootstrap: ["127.0.0.1:1"],
        tls: {},
        sasl: { mechanism: "SCRAM-SHA-512", username: "quorum", passwordEnv: "QUORUM_SECRET_UNIT_TEST" },
      });
      expect(added).toMatchObject({ tls: {}, sasl: { passwordEnv: "QUORUM_SECRET_UNIT_TEST" }, origin: "runtime" });
      const stored = fs.readFileSync(file, "utf8");
      expect(stored).toContain("QUORUM_SECRET_UNIT_TEST");
      expect(stored).not.toContain("unit-test-password");
      const summary = await getCluster("sec").summary();
      expect(summary.security).toEqual({ tls: true, sasl: { mechanism: "SCRAM-SHA-512", username: "quorum" } });
      expect(JSON.stringify(summary)).not.toContain("unit-test-password");
      // The same cluster comes back after a restart, reached the same way.
      const again = createQuorum(config(dataDir));
      expect(again.clusters.get("sec")?.read.security).toEqual(summary.security);
    } finally {
      delete process.env.QUORUM_SECRET_UNIT_TEST;
    }
  });

  it("are removed (monitor closed, file updated); configured clusters answer 409 with why", () => {
    const { file } = install();
    addRuntimeCluster({ id: "a", bootstrap: ["k:1"] });
    addRuntimeCluster({ id: "b", bootstrap: ["k:2"] });
    const a = getCluster("a");
    removeRuntimeCluster("a");
    expect(JSON.parse(fs.readFileSync(file, "utf8")).clusters).toEqual([{ id: "b", bootstrap: ["k:2"] }]);
    expect(errorOf(() => getCluster("a"))).toMatchObject({ status: 404 });
    expect(errorOf(() => a.monitor.subscribeStream(() => {}))).toMatchObject({ code: "cluster_not_found" });

    const refusal = errorOf(() => removeRuntimeCluster("prod"));
    expect(refusal).toMatchObject({ status: 409, code: "conflict" });
    expect(refusal?.message).toContain("config file /etc/quorum.config.json");
    expect(errorOf(() => removeRuntimeCluster("nope"))).toMatchObject({ status: 404 });
  });

  it("stop the start when the config now holds a stored id, naming the file and the entry", () => {
    const { dataDir, file } = install([]);
    addRuntimeCluster({ id: "prod", bootstrap: ["k:1"] });
    expect(() => createQuorum(config(dataDir))).toThrow(`${file}: clusters[0] ("prod"): id:`);
  });
});
