import { describe, expect, it } from "vitest";
import { summarize } from "./summarize";

describe("audit summaries", () => {
  it("redact every secret by its name, at any depth, and keep the rest", () => {
    const body = {
      user: "ana",
      password: "hunter2-hunter2",
      id: "prod",
      bootstrap: ["k1:9092"],
      sasl: { mechanism: "SCRAM-SHA-512", username: "svc", password: "s3cret", passwordEnv: "QUORUM_SECRET_X" },
      tls: { ca: "/etc/ca.pem", key: "/etc/client.key", keyPassword: "p" },
      configs: { "retention.ms": "1000", "ssl.key.password": "k", "sasl.jaas.config": "x required;" },
      token: "qrm_abc",
    };
    const s = summarize(body);
    expect(s).toEqual({
      user: "ana",
      password: "[redacted]",
      id: "prod",
      bootstrap: ["k1:9092"],
      sasl: { mechanism: "SCRAM-SHA-512", username: "svc", password: "[redacted]", passwordEnv: "[redacted]" },
      tls: { ca: "/etc/ca.pem", key: { bytes: 15 }, keyPassword: "[redacted]" },
      configs: { "retention.ms": "1000", "ssl.key.password": "[redacted]", "sasl.jaas.config": "[redacted]" },
      token: "[redacted]",
    });
    for (const secret of ["hunter2", "s3cret", "QUORUM_SECRET_X", "x required", "qrm_abc"])
      expect(JSON.stringify(s)).not.toContain(secret);
  });

  it("keep a record's key, value and headers as sizes only", () => {
    expect(summarize({ partition: 0, key: "k1", value: "héllo", headers: [{ name: "h", value: "v" }] })).toEqual({
      partition: 0,
      key: { bytes: 2 },
      value: { bytes: 6 },
      headers: { bytes: 26 },
    });
  });

  it("cut long strings, long lists and deep nesting", () => {
    const s = summarize({
      name: "x".repeat(300),
      list: Array.from({ length: 25 }, (_, i) => i),
      a: { b: { c: { d: 1 } } },
    });
    expect(s).toEqual({
      name: `${"x".repeat(200)}… (300 characters)`,
      list: [...Array.from({ length: 20 }, (_, i) => i), "… 5 more"],
      a: { b: { c: "[…]" } },
    });
  });
});
