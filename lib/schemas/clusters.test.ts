import { describe, expect, it } from "vitest";
import {
  addClusterSchema,
  clusterConfigFileSchema,
  clusterEntrySchema,
  RUNTIME_SECRET_PREFIX,
  splitBootstrap,
} from "./clusters";

describe("the cluster entry schema", () => {
  it("accepts the documented shape", () => {
    const entry = {
      id: "prod",
      name: "Production",
      bootstrap: ["k1.example.com:9093", "[::1]:9092"],
      readOnly: true,
      tls: { ca: "ca.pem", cert: "client.pem", key: "client.key", servername: "kafka.example.com" },
      sasl: { mechanism: "SCRAM-SHA-512", username: "quorum", passwordEnv: "KAFKA_PROD_PASSWORD" },
    };
    expect(clusterEntrySchema.parse(entry)).toEqual(entry);
  });

  it.each([
    [{ bootstrap: ["k:9092"] }, "id"],
    [{ id: "Prod", bootstrap: ["k:9092"] }, "id"],
    [{ id: "local", bootstrap: ["k:9092"] }, "id"],
    [{ id: "test", bootstrap: ["k:9092"] }, "id"],
    [{ id: "new", bootstrap: ["k:9092"] }, "id"],
    [{ id: "a" }, "bootstrap"],
    [{ id: "a", bootstrap: [] }, "bootstrap"],
    [{ id: "a", bootstrap: ["k"] }, "bootstrap.0"],
    [{ id: "a", bootstrap: ["k:0"] }, "bootstrap.0"],
    [{ id: "a", bootstrap: ["k:65536"] }, "bootstrap.0"],
    [{ id: "a", bootstrap: ["k:9092"], readOnly: "yes" }, "readOnly"],
    [{ id: "a", bootstrap: ["k:9092"], tls: { cert: "c.pem" } }, "tls.key"],
    [{ id: "a", bootstrap: ["k:9092"], tls: { ca: "x", verify: false } }, "tls"],
    [
      { id: "a", bootstrap: ["k:9092"], sasl: { mechanism: "GSSAPI", username: "u", passwordEnv: "P" } },
      "sasl.mechanism",
    ],
    // A secret is named, never written inline.
    [
      { id: "a", bootstrap: ["k:9092"], sasl: { mechanism: "PLAIN", username: "u", password: "hunter2" } },
      "sasl.password",
    ],
    [
      { id: "a", bootstrap: ["k:9092"], sasl: { mechanism: "PLAIN", username: "u", passwordEnv: "not a name" } },
      "sasl.passwordEnv",
    ],
    [{ id: "a", bootstrap: ["k:9092"], extra: 1 }, ""],
  ])("refuses %j at %s", (entry, field) => {
    const r = clusterEntrySchema.safeParse(entry);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path.join(".")).toBe(field);
  });

  it("requires a list of clusters or an auth section in the file", () => {
    expect(clusterConfigFileSchema.safeParse({}).success).toBe(false);
    expect(clusterConfigFileSchema.safeParse({ clusters: [] }).success).toBe(true);
    expect(clusterConfigFileSchema.safeParse({ auth: {} }).data).toEqual({
      clusters: [],
      auth: { users: [], grants: [], session: { idleMinutes: 30, absoluteHours: 12 } },
    });
  });
});

describe("the schema of a cluster added at run time", () => {
  const sasl = (passwordEnv: string) => ({
    id: "a",
    bootstrap: ["k:9093"],
    sasl: { mechanism: "SCRAM-SHA-512", username: "u", passwordEnv },
  });

  it("takes the password only from a QUORUM_SECRET_ variable", () => {
    expect(addClusterSchema.safeParse(sasl(`${RUNTIME_SECRET_PREFIX}PROD`)).success).toBe(true);
    for (const name of ["AWS_SECRET_ACCESS_KEY", "PATH", "quorum_secret_x", "QUORUM_SECRETX"]) {
      const r = addClusterSchema.safeParse(sasl(name));
      expect(r.success, name).toBe(false);
      expect(r.error?.issues[0]?.path.join(".")).toBe("sasl.passwordEnv");
      expect(r.error?.issues[0]?.message).toContain(`${name}: a cluster added at run time`);
      expect(r.error?.issues[0]?.message).toContain("QUORUM_SECRET_");
    }
    // The config file's entries are the operator's: any variable.
    expect(clusterEntrySchema.safeParse(sasl("AWS_SECRET_ACCESS_KEY")).success).toBe(true);
  });

  it("accepts TLS alone, and plaintext", () => {
    expect(addClusterSchema.safeParse({ id: "a", bootstrap: ["k:9093"], tls: {} }).success).toBe(true);
    expect(addClusterSchema.safeParse({ id: "a", bootstrap: ["k:9092"] }).success).toBe(true);
  });
});

describe("a cluster entry's metrics endpoints", () => {
  const base = { id: "prod", bootstrap: ["k1:9092"] };

  it("maps node ids to http(s) URLs in the config file", () => {
    const metrics = { "1": "http://k1:7071/metrics", "101": "https://c1.example.com/metrics" };
    expect(clusterEntrySchema.parse({ ...base, metrics }).metrics).toEqual(metrics);
  });

  it.each([
    [{ one: "http://k1:7071/metrics" }, "node id"],
    [{ "1": "file:///etc/passwd" }, "http(s) URL"],
    [{ "1": "not a url" }, "http(s) URL"],
    [["http://k1:7071/metrics"], "maps node ids"],
  ])("refuses %j, saying what is wrong", (metrics, words) => {
    const r = clusterEntrySchema.safeParse({ ...base, metrics });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path[0]).toBe("metrics");
    expect(r.error?.issues[0]?.message).toContain(words);
  });

  it("is refused for a cluster added at run time: Quorum would fetch those URLs every few seconds", () => {
    const r = addClusterSchema.safeParse({ ...base, metrics: { "1": "http://169.254.169.254/latest" } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["metrics", "metrics endpoints are named in the config file only, not by a cluster added at run time"],
    ]);
  });
});

describe("splitBootstrap", () => {
  it("takes servers separated by commas, spaces or new lines", () => {
    expect(splitBootstrap(" k1:9092, k2:9092\nk3:9092  ,")).toEqual(["k1:9092", "k2:9092", "k3:9092"]);
    expect(splitBootstrap("  ")).toEqual([]);
  });
});
