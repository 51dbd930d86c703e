import type net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  alterTopicConfigs,
  createPartitions,
  createTopic,
  deleteTopic,
  describeTopicConfigs,
  electPreferredLeaders,
} from "./admin-requests";
import { KafkaError } from "./error-codes";
import { type FakeBroker, type FakeRequest, startFakeBroker } from "./fake-broker";
import { fetchMetadata } from "./metadata";
import { KafkaPool } from "./pool";
import {
  consumerGroupDescribe,
  describeGroups,
  describeQuorum,
  LATEST,
  listGroups,
  listOffsets,
  offsetFetch,
} from "./requests";
import { takeSnapshot } from "./snapshot";
import { MAX_FRAME_BYTES, WireError } from "./wire-error";

/**
 * A hostile broker on loopback answers ApiVersions correctly, then every request with malformed
 * bytes; the real request functions, over @platformatic/kafka's connections behind Quorum's pool
 * and frame guard, must reject with a typed error, in time, in bounded memory, and never crash the
 * process. Each call gets a pool of its own, so each malformed frame meets a fresh connection.
 */

const FRAMES = 1000;
const CONCURRENCY = 16;
const READ_TIMEOUT_MS = 2000;
const ADMIN_TIMEOUT_MS = 5000; // admin-requests' own socket timeout

/** mulberry32: a small seeded PRNG, so a failure replays exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = 0x9e3779b9;
const random = prng(SEED);
const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
const int32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
/** An unsigned varint, as flexible versions encode counts. */
const uvarint = (v: number) => {
  const bytes: number[] = [];
  let n = v >>> 0;
  while (n >= 0x80) {
    bytes.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  bytes.push(n);
  return Buffer.from(bytes);
};
/** A response header for `req` as a broker writes it: correlation id, empty tags (every request here is flexible). */
const header = (req: FakeRequest) => Buffer.concat([int32(req.correlationId), Buffer.from([0])]);
const framed = (payload: Buffer) => Buffer.concat([int32(payload.length), payload]);
const STREAM_CHUNK = Buffer.alloc(256 * 1024);

/** Each malformation: what the fake writes to the socket in answer to `req`, then it ends the connection. */
const MALFORMED: Record<string, (req: FakeRequest, socket: net.Socket) => void> = {
  "length -1": (_req, s) => s.end(Buffer.concat([int32(-1), randomBytes(16)])),
  "length 0": (_req, s) => s.end(int32(0)),
  "length 3": (_req, s) => s.end(Buffer.concat([int32(3), randomBytes(3)])),
  "length 2^31-1, then streaming": (_req, s) => {
    s.write(int32(0x7fffffff));
    for (let i = 0; i < 8 && !s.destroyed; i++) s.write(STREAM_CHUNK);
    s.end();
  },
  "length just over the cap": (_req, s) => s.end(Buffer.concat([int32(MAX_FRAME_BYTES + 1), STREAM_CHUNK])),
  "truncated body, then close": (req, s) => s.end(Buffer.concat([int32(1000), header(req), randomBytes(20)])),
  "large declared length, little sent, then close": (req, s) =>
    s.end(Buffer.concat([int32(MAX_FRAME_BYTES - 1), header(req), STREAM_CHUNK])),
  "wrong correlation id": (req, s) =>
    s.end(framed(Buffer.concat([int32(req.correlationId ^ 0x5a5a), randomBytes(32)]))),
  "only the correlation id": (req, s) => s.end(framed(header(req))),
  "absurd int32 array count": (req, s) =>
    // throttle, then a count of 2^31-1 (or an error code 0 then a count, for ListGroups/DescribeQuorum shapes)
    s.end(framed(Buffer.concat([header(req), int32(0), int32(0x7fffffff), Buffer.from([1])]))),
  "absurd compact array count": (req, s) =>
    s.end(framed(Buffer.concat([header(req), int32(0), Buffer.from([0, 0]), uvarint(0xfffffff0), Buffer.from([1])]))),
  "negative string length": (req, s) =>
    s.end(framed(Buffer.concat([header(req), int32(0), Buffer.from([2, 0xff, 0xf9]), randomBytes(8)]))),
  "garbage after a valid header": (req, s) =>
    s.end(framed(Buffer.concat([header(req), randomBytes(Math.floor(random() * 64))]))),
  "random bytes": (_req, s) => s.end(randomBytes(1 + Math.floor(random() * 96))),
  "random frame of random bytes": (_req, s) => s.end(framed(randomBytes(4 + Math.floor(random() * 96)))),
};
const CASES = Object.entries(MALFORMED);

type Call = { name: string; timeoutMs: number; run: (pool: KafkaPool, address: string) => Promise<unknown> };
const CALLS: Call[] = [
  { name: "fetchMetadata", timeoutMs: READ_TIMEOUT_MS, run: (pool, a) => fetchMetadata(pool, [a], READ_TIMEOUT_MS) },
  {
    name: "listOffsets",
    timeoutMs: READ_TIMEOUT_MS,
    run: (pool, a) => listOffsets(pool, a, new Map([["t", [0, 1]]]), LATEST, READ_TIMEOUT_MS),
  },
  { name: "listGroups", timeoutMs: READ_TIMEOUT_MS, run: (pool, a) => listGroups(pool, a, READ_TIMEOUT_MS) },
  {
    name: "consumerGroupDescribe",
    timeoutMs: READ_TIMEOUT_MS,
    run: (pool, a) => consumerGroupDescribe(pool, a, ["g"], READ_TIMEOUT_MS),
  },
  {
    name: "describeGroups",
    timeoutMs: READ_TIMEOUT_MS,
    run: (pool, a) => describeGroups(pool, a, ["g"], READ_TIMEOUT_MS),
  },
  { name: "offsetFetch", timeoutMs: READ_TIMEOUT_MS, run: (pool, a) => offsetFetch(pool, a, ["g"], READ_TIMEOUT_MS) },
  { name: "describeQuorum", timeoutMs: READ_TIMEOUT_MS, run: (pool, a) => describeQuorum(pool, [a], READ_TIMEOUT_MS) },
  {
    name: "describeTopicConfigs",
    timeoutMs: READ_TIMEOUT_MS,
    run: (pool, a) => describeTopicConfigs(pool, [a], "t", READ_TIMEOUT_MS),
  },
  {
    name: "createTopic",
    timeoutMs: ADMIN_TIMEOUT_MS,
    run: (pool, a) => createTopic(pool, [a], { name: "t", partitions: 1, replicationFactor: 1, configs: {} }),
  },
  { name: "createPartitions", timeoutMs: ADMIN_TIMEOUT_MS, run: (pool, a) => createPartitions(pool, [a], "t", 2) },
  { name: "deleteTopic", timeoutMs: ADMIN_TIMEOUT_MS, run: (pool, a) => deleteTopic(pool, [a], "t") },
  {
    name: "alterTopicConfigs",
    timeoutMs: ADMIN_TIMEOUT_MS,
    run: (pool, a) => alterTopicConfigs(pool, [a], "t", { "retention.ms": "1" }),
  },
  {
    name: "electPreferredLeaders",
    timeoutMs: ADMIN_TIMEOUT_MS,
    run: (pool, a) => electPreferredLeaders(pool, [a], null),
  },
  { name: "takeSnapshot", timeoutMs: READ_TIMEOUT_MS, run: (pool, a) => takeSnapshot(pool, [a], READ_TIMEOUT_MS) },
];

describe("hostile broker fuzz", () => {
  const uncaught: unknown[] = [];
  const spy = (err: unknown) => uncaught.push(err);
  let fake: FakeBroker;
  /** Which malformations each API key met ("apiKey/case"). */
  const met = new Set<string>();
  let frames = 0;

  beforeAll(async () => {
    process.on("uncaughtException", spy);
    process.on("unhandledRejection", spy);
    fake = await startFakeBroker((req, socket) => {
      const [name, write] = CASES[frames++ % CASES.length] as (typeof CASES)[number];
      met.add(`${req.apiKey}/${name}`);
      write(req, socket);
    });
  });

  afterAll(async () => {
    process.off("uncaughtException", spy);
    process.off("unhandledRejection", spy);
    await fake.close();
  });

  it(`${FRAMES} malformed frames: every call rejects with a typed error, in time, in bounded memory`, async () => {
    globalThis.gc?.();
    const before = process.memoryUsage();
    const outcomes = new Map<string, number>();
    const failures: string[] = [];
    let next = 0;
    let slowest = 0;

    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= FRAMES) return;
        // calls rotate by 14 and malformations by 15 (coprime), so every API meets every malformation
        const call = CALLS[i % CALLS.length] as Call;
        const began = Date.now();
        const pool = new KafkaPool({ tls: null, sasl: null }, "fuzz");
        const outcome = await call.run(pool, fake.address).then(
          () => "resolved",
          (err: unknown) =>
            err instanceof WireError
              ? `WireError ${err.kind}`
              : err instanceof KafkaError
                ? "KafkaError"
                : `other ${String(err)}`,
        );
        const took = Date.now() - began;
        await pool.close();
        slowest = Math.max(slowest, took);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (!outcome.startsWith("WireError") && outcome !== "KafkaError") failures.push(`${call.name}: ${outcome}`);
        if (took > call.timeoutMs + 500) failures.push(`${call.name}: took ${took} ms`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await new Promise((r) => setTimeout(r, 50)); // let any late socket event or rejection surface

    globalThis.gc?.();
    const after = process.memoryUsage();
    const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
    console.log(
      `fuzz (seed ${SEED.toString(16)}): ${frames} frames over ${CASES.length} malformations × ${CALLS.length} calls; ` +
        `slowest call ${slowest} ms; rss ${mib(before.rss)} → ${mib(after.rss)} MiB, ` +
        `heapUsed ${mib(before.heapUsed)} → ${mib(after.heapUsed)} MiB; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`,
    );

    expect(failures).toEqual([]);
    expect(uncaught).toEqual([]);
    // each call is one request (after ApiVersions) on a connection of its own: the fake saw exactly the frames sent
    expect(frames).toBe(FRAMES);
    const apiKeys = 13; // 14 calls; fetchMetadata and takeSnapshot both start with Metadata
    expect(met.size).toBe(apiKeys * CASES.length);
    expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(64 * 1024 * 1024);
  }, 30_000);
});
