import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  API,
  type FakeBroker,
  type FakeBrokerOptions,
  metadataBody,
  responseFrame,
  startFakeBroker,
} from "./fake-broker";
import { fetchMetadata } from "./metadata";
import { KafkaPool } from "./pool";
import { WireError } from "./wire-error";

/** A self-signed certificate for 127.0.0.1, made with openssl for this file's tests. */
let pem: { key: string; cert: string };
let otherCert: string;
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-pool-test-"));
  const make = (name: string) => {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        path.join(dir, `${name}.key`),
        "-out",
        path.join(dir, `${name}.crt`),
      ],
      { stdio: "ignore" },
    );
    return {
      key: fs.readFileSync(path.join(dir, `${name}.key`), "utf8"),
      cert: fs.readFileSync(path.join(dir, `${name}.crt`), "utf8"),
    };
  };
  pem = make("broker");
  otherCert = make("other").cert;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const fakes: FakeBroker[] = [];
const pools: KafkaPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  for (const f of fakes.splice(0)) await f.close();
});

function poolOf(connection: ConstructorParameters<typeof KafkaPool>[0]): KafkaPool {
  const p = new KafkaPool(connection);
  pools.push(p);
  return p;
}

/** A fake broker answering Metadata (one topic); `raw` replaces the answer's bytes when given. */
async function metadataBroker(opts: FakeBrokerOptions, raw?: Buffer): Promise<FakeBroker> {
  let port = 0;
  const f = await startFakeBroker((req, socket) => {
    if (req.apiKey !== API.metadata) return;
    socket.write(
      raw ?? responseFrame(req, metadataBody(port, [{ name: "orders", partitions: [{ partition: 0, leader: 1 }] }])),
    );
  }, opts);
  port = f.port;
  fakes.push(f);
  return f;
}

describe("KafkaPool over TLS", () => {
  it("reads Metadata from a broker whose certificate the given CA signed", async () => {
    const f = await metadataBroker({ tls: pem });
    const md = await fetchMetadata(poolOf({ tls: { ca: pem.cert }, sasl: null }), [f.address], 2000);
    expect(md.topics.map((t) => t.name)).toEqual(["orders"]);
  });

  it("refuses a broker whose certificate another CA signed, before sending anything", async () => {
    const f = await metadataBroker({ tls: pem });
    const err = await fetchMetadata(poolOf({ tls: { ca: otherCert }, sasl: null }), [f.address], 2000).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WireError);
    expect((err as WireError).kind).toBe("connection");
    expect((err as WireError).sent).toBe(false);
    expect((err as WireError).message).toMatch(/certificate/i);
    expect(f.received).toBe(0);
  });

  it("guards frame sizes on TLS connections too: a frame of 3 bytes fails the request, not the process", async () => {
    const bad = Buffer.from([0, 0, 0, 3, 1, 2, 3]);
    const f = await metadataBroker({ tls: pem }, bad);
    const err = await fetchMetadata(poolOf({ tls: { ca: pem.cert }, sasl: null }), [f.address], 2000).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WireError);
    expect((err as WireError).kind).toBe("protocol");
    expect((err as WireError).message).toContain("sent a frame of 3 bytes");
  });
});

describe("KafkaPool with SASL/PLAIN", () => {
  const sasl = { username: "quorum", password: "s3cret-pw" };

  it("authenticates, then reads", async () => {
    const f = await metadataBroker({ sasl });
    const md = await fetchMetadata(poolOf({ tls: null, sasl: { mechanism: "PLAIN", ...sasl } }), [f.address], 2000);
    expect(md.topics.map((t) => t.name)).toEqual(["orders"]);
  });

  it("a wrong password is a connection error that names SASL and never holds the password", async () => {
    const f = await metadataBroker({ sasl });
    const err = await fetchMetadata(
      poolOf({ tls: null, sasl: { mechanism: "PLAIN", username: "quorum", password: "wrong-pw" } }),
      [f.address],
      2000,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WireError);
    const w = err as WireError;
    expect(w.kind).toBe("connection");
    expect(w.sent).toBe(false);
    expect(w.message).toMatch(/SASL/);
    expect(w.message).toContain("Invalid username or password");
    expect(JSON.stringify({ message: w.message, stack: w.stack })).not.toContain("wrong-pw");
  });
});
