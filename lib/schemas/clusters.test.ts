import { describe, expect, it } from "vitest";
import { clusterConfigFileSchema, clusterEntrySchema, splitBootstrap } from "./clusters";

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

  it("requires a list of clusters in the file", () => {
    expect(clusterConfigFileSchema.safeParse({}).success).toBe(false);
    expect(clusterConfigFileSchema.safeParse({ clusters: [] }).success).toBe(true);
  });
});

describe("splitBootstrap", () => {
  it("takes servers separated by commas, spaces or new lines", () => {
    expect(splitBootstrap(" k1:9092, k2:9092\nk3:9092  ,")).toEqual(["k1:9092", "k2:9092", "k3:9092"]);
    expect(splitBootstrap("  ")).toEqual([]);
  });
});
