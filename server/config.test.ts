import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

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
      { id: "prod", bootstrap: ["k1:9092", "k2:9092"] },
      { id: "staging", bootstrap: ["s1:9092"] },
    ]);
  });

  it("gives 9 distinct default broker ports for the largest lab", () => {
    const ports = loadConfig({ QUORUM_BROKERS: "9" }).embedded?.brokerPorts;
    expect(Array.isArray(ports) && new Set(ports).size).toBe(9);
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
    [{ QUORUM_CLUSTERS: "no-servers" }, /QUORUM_CLUSTERS/],
    [{ QUORUM_EMBEDDED: "maybe" }, /QUORUM_EMBEDDED/],
  ])("rejects %o with one clear sentence", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
