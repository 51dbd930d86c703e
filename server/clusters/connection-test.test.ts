import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, metadataBody, responseFrame, startFakeBroker } from "../kafka/fake-broker";
import { type ClusterConnection, plaintext } from "./connection";
import { type ConnectionProbes, kafkaProbes, testConnection } from "./connection-test";

/** A port on loopback that nothing listens on: a server is opened there and closed again. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const probes = (over: Partial<ConnectionProbes>): ConnectionProbes => ({
  tcp: async () => {},
  tls: async () => "TLSv1.3 verified",
  authenticate: async () => {},
  apiVersions: async () => 60,
  metadata: async () => ({ clusterId: "abc", brokers: ["1 at k1:9092", "2 at k2:9092"], topics: 3 }),
  ...over,
});

describe("testConnection", () => {
  it("reports a refused TCP connection in words and runs no further step", async () => {
    const port = await closedPort();
    const r = await testConnection(plaintext([`127.0.0.1:${port}`]), kafkaProbes, 1000);
    expect(r.ok).toBe(false);
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0]).toMatchObject({
      step: "tcp",
      ok: false,
      message: `TCP: connection refused by 127.0.0.1:${port}`,
    });
  });

  it("connects over TCP for real to a listening server", async () => {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const r = await testConnection(plaintext([`127.0.0.1:${port}`]), probes({ tcp: kafkaProbes.tcp }), 1000);
      expect(r.steps[0]).toMatchObject({ step: "tcp", ok: true, message: `TCP: connected to 127.0.0.1:${port}` });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("moves on to the next bootstrap server and says which failed", async () => {
    const r = await testConnection(
      plaintext(["down:1", "up:2"]),
      probes({
        tcp: async (host) => (host === "down" ? Promise.reject(new Error("connection refused by down:1")) : undefined),
      }),
    );
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.step)).toEqual(["tcp", "api-versions", "metadata"]);
    expect(r.steps[0]?.message).toBe("TCP: connected to up:2 (connection refused by down:1)");
    expect(r.steps[1]?.message).toBe("ApiVersions: up:2 answered (60 APIs)");
    expect(r.steps[2]?.message).toBe("Metadata: cluster abc, 2 live brokers (1 at k1:9092, 2 at k2:9092), 3 topics");
  });

  it("says a listener that accepts TCP but does not speak Kafka fails at ApiVersions", async () => {
    const r = await testConnection(
      plaintext(["k:9093"]),
      probes({ apiVersions: () => Promise.reject(new Error("k:9093 did not answer ApiVersions within 500 ms")) }),
      500,
    );
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => [s.step, s.ok])).toEqual([
      ["tcp", true],
      ["api-versions", false],
    ]);
    expect(r.steps[1]?.message).toMatch(
      /^ApiVersions: k:9093 accepted the connection but did not answer ApiVersions \(k:9093 did not answer ApiVersions within 500 ms\): is it a Kafka PLAINTEXT listener/,
    );
  });

  it("reports a Metadata failure with the error's words", async () => {
    const r = await testConnection(
      plaintext(["k:9092"]),
      probes({ metadata: () => Promise.reject(new Error("k:9092 did not answer within 500 ms")) }),
    );
    expect(r.ok).toBe(false);
    expect(r.steps.at(-1)).toMatchObject({
      step: "metadata",
      ok: false,
      message: "Metadata: k:9092 did not answer within 500 ms",
    });
  });
});

/** A self-signed certificate for 127.0.0.1 (and another one, to be the wrong CA), made with openssl. */
let pem: { key: string; cert: string };
let otherCert: string;
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-conn-test-"));
  const make = (name: string) => {
    const key = path.join(dir, `${name}.key`);
    const crt = path.join(dir, `${name}.crt`);
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"].concat([
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        key,
        "-out",
        crt,
      ]),
      { stdio: "ignore" },
    );
    return { key: fs.readFileSync(key, "utf8"), cert: fs.readFileSync(crt, "utf8") };
  };
  pem = make("broker");
  otherCert = make("other").cert;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("testConnection over TLS and SASL (a fake broker on loopback)", () => {
  const user = { username: "quorum", password: "s3cret-pw" };
  const secured = async (run: (address: string) => Promise<void>) => {
    let port = 0;
    const f = await startFakeBroker(
      (req, socket) => {
        if (req.apiKey === API.metadata)
          socket.write(
            responseFrame(req, metadataBody(port, [{ name: "orders", partitions: [{ partition: 0, leader: 1 }] }])),
          );
      },
      { tls: pem, sasl: user },
    );
    port = f.port;
    try {
      await run(f.address);
    } finally {
      await f.close();
    }
  };
  const conn = (address: string, over: Partial<ClusterConnection> = {}): ClusterConnection => ({
    bootstrap: [address],
    tls: { ca: pem.cert },
    sasl: { mechanism: "PLAIN", ...user },
    ...over,
  });

  it("runs every step: TCP, TLS (CA checked), SASL, ApiVersions, Metadata", async () => {
    await secured(async (address) => {
      const r = await testConnection(conn(address), kafkaProbes, 2000);
      expect(r.steps.map((s) => [s.step, s.ok])).toEqual([
        ["tcp", true],
        ["tls", true],
        ["sasl", true],
        ["api-versions", true],
        ["metadata", true],
      ]);
      expect(r.ok).toBe(true);
      expect(r.steps[1]?.message).toMatch(/^TLS: 127\.0\.0\.1:\d+: TLSv1\.[23], certificate of 127\.0\.0\.1 verified$/);
      expect(r.steps[2]?.message).toBe(`SASL: ${address} accepted quorum (PLAIN)`);
      expect(r.steps[4]?.message).toBe(
        `Metadata: cluster fake-cluster, 1 live broker (1 at 127.0.0.1:${address.split(":")[1]}), 1 topic`,
      );
    });
  });

  it("stops at TLS when the broker's certificate is not signed by the given CA", async () => {
    await secured(async (address) => {
      const r = await testConnection(conn(address, { tls: { ca: otherCert } }), kafkaProbes, 2000);
      expect(r.ok).toBe(false);
      expect(r.steps.map((s) => [s.step, s.ok])).toEqual([
        ["tcp", true],
        ["tls", false],
      ]);
      expect(r.steps[1]?.message).toMatch(/^TLS: 127\.0\.0\.1:\d+: .*certificate/i);
    });
  });

  it("stops at SASL on a wrong password, and never shows the password", async () => {
    await secured(async (address) => {
      const r = await testConnection(
        conn(address, { sasl: { mechanism: "PLAIN", username: "quorum", password: "wrong-pw" } }),
        kafkaProbes,
        2000,
      );
      expect(r.ok).toBe(false);
      expect(r.steps.map((s) => [s.step, s.ok])).toEqual([
        ["tcp", true],
        ["tls", true],
        ["sasl", false],
      ]);
      expect(r.steps[2]?.message).toMatch(/^SASL: authentication failed for user quorum with mechanism PLAIN: .*SASL/);
      expect(JSON.stringify(r)).not.toContain("wrong-pw");
    });
  });

  it("never repeats a secret that a failure's words happen to carry", async () => {
    await secured(async (address) => {
      const leaky: typeof kafkaProbes = {
        ...kafkaProbes,
        authenticate: () => Promise.reject(new Error(`SASL refused password s3cret-pw and key ${pem.key}`)),
      };
      const r = await testConnection(
        conn(address, { tls: { ca: pem.cert, cert: pem.cert, key: pem.key } }),
        leaky,
        2000,
      );
      expect(r.steps.map((s) => [s.step, s.ok])).toEqual([
        ["tcp", true],
        ["tls", true],
        ["sasl", false],
      ]);
      const text = JSON.stringify(r);
      expect(text).not.toContain("s3cret-pw");
      expect(text).not.toContain(pem.key.trim().split("\n")[1]);
      expect(r.steps[2]?.message).toContain("refused password [redacted]");
    });
  });
});
