import net from "node:net";
import { describe, expect, it } from "vitest";
import { plaintext } from "./connection";
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
  apiVersions: async () => true,
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
    expect(r.steps[1]?.message).toBe("ApiVersions: up:2 answered");
    expect(r.steps[2]?.message).toBe("Metadata: cluster abc, 2 live brokers (1 at k1:9092, 2 at k2:9092), 3 topics");
  });

  it("says a listener that accepts TCP but does not speak Kafka fails at ApiVersions", async () => {
    const r = await testConnection(plaintext(["k:9093"]), probes({ apiVersions: async () => false }), 500);
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => [s.step, s.ok])).toEqual([
      ["tcp", true],
      ["api-versions", false],
    ]);
    expect(r.steps[1]?.message).toMatch(
      /^ApiVersions: k:9093 accepted the connection but did not answer ApiVersions within 500 ms/,
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
