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
import {
  apiVersions,
  consumerGroupDescribe,
  describeGroups,
  describeQuorum,
  LATEST,
  listGroups,
  listOffsets,
  offsetFetch,
} from "./requests";
import { takeSnapshot } from "./snapshot";
import { MAX_FRAME_BYTES, WireError, Writer } from "./wire";

/**
 * A hostile broker on loopback answers every request with malformed bytes; the real request
 * functions must reject with a typed error, in time, in bounded memory, and never crash the process.
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
const int32 = (v: number) => new Writer().int32(v).bytes();
const FLEXIBLE = new Set([9, 15, 16, 55, 69]);
/** A response header for `req` as a broker writes it (correlation id, plus tags when flexible). */
const header = (req: FakeRequest) =>
  Buffer.concat([int32(req.correlationId), FLEXIBLE.has(req.apiKey) ? Buffer.from([0]) : Buffer.alloc(0)]);
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
    s.end(
      framed(
        Buffer.concat([
          header(req),
          int32(0),
          Buffer.from([0, 0]),
          new Writer().uvarint(0xfffffff0).bytes(),
          Buffer.from([1]),
        ]),
      ),
    ),
  "negative string length": (req, s) =>
    s.end(framed(Buffer.concat([header(req), int32(0), int32(1), new Writer().int16(-7).bytes(), randomBytes(8)]))),
  "garbage after a valid header": (req, s) =>
    s.end(framed(Buffer.concat([header(req), randomBytes(Math.floor(random() * 64))]))),
  "random bytes": (_req, s) => s.end(randomBytes(1 + Math.floor(random() * 96))),
  "random frame of random bytes": (_req, s) => s.end(framed(randomBytes(4 + Math.floor(random() * 96)))),
};
const CASES = Object.entries(MALFORMED);

type Call = { name: string; timeoutMs: number; run: (address: string, port: number) => Promise<unknown> };
const local = (port: number) => ({ host: "127.0.0.1", port });
const CALLS: Call[] = [
  { name: "fetchMetadata", timeoutMs: READ_TIMEOUT_MS, run: (a) => fetchMetadata([a], READ_TIMEOUT_MS) },
  {
    name: "listOffsets",
    timeoutMs: READ_TIMEOUT_MS,
    run: (_a, p) => listOffsets(local(p), new Map([["t", [0, 1]]]), LATEST, READ_TIMEOUT_MS),
  },
  { name: "listGroups", timeoutMs: READ_TIMEOUT_MS, run: (_a, p) => listGroups(local(p), READ_TIMEOUT_MS) },
  { name: "listGroups v5", timeoutMs: READ_TIMEOUT_MS, run: (_a, p) => listGroups(local(p), READ_TIMEOUT_MS, 5) },
  { name: "apiVersions", timeoutMs: READ_TIMEOUT_MS, run: (_a, p) => apiVersions(local(p), READ_TIMEOUT_MS) },
  {
    name: "consumerGroupDescribe",
    timeoutMs: READ_TIMEOUT_MS,
    run: (_a, p) => consumerGroupDescribe(local(p), ["g"], READ_TIMEOUT_MS, 1),
  },
  {
    name: "describeGroups",
    timeoutMs: READ_TIMEOUT_MS,
    run: (_a, p) => describeGroups(local(p), ["g"], READ_TIMEOUT_MS),
  },
  { name: "offsetFetch", timeoutMs: READ_TIMEOUT_MS, run: (_a, p) => offsetFetch(local(p), ["g"], READ_TIMEOUT_MS) },
  { name: "describeQuorum", timeoutMs: READ_TIMEOUT_MS, run: (a) => describeQuorum([a], READ_TIMEOUT_MS) },
  {
    name: "describeTopicConfigs",
    timeoutMs: READ_TIMEOUT_MS,
    run: (a) => describeTopicConfigs([a], "t", READ_TIMEOUT_MS),
  },
  {
    name: "createTopic",
    timeoutMs: ADMIN_TIMEOUT_MS,
    run: (a) => createTopic([a], { name: "t", partitions: 1, replicationFactor: 1, configs: {} }),
  },
  { name: "createPartitions", timeoutMs: ADMIN_TIMEOUT_MS, run: (a) => createPartitions([a], "t", 2) },
  { name: "deleteTopic", timeoutMs: ADMIN_TIMEOUT_MS, run: (a) => deleteTopic([a], "t") },
  {
    name: "alterTopicConfigs",
    timeoutMs: ADMIN_TIMEOUT_MS,
    run: (a) => alterTopicConfigs([a], "t", { "retention.ms": "1" }),
  },
  { name: "electPreferredLeaders", timeoutMs: ADMIN_TIMEOUT_MS, run: (a) => electPreferredLeaders([a], null) },
  { name: "takeSnapshot", timeoutMs: READ_TIMEOUT_MS, run: (a) => takeSnapshot([a], READ_TIMEOUT_MS) },
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
        // calls rotate by 16 and malformations by 15 (coprime), so every API meets every malformation
        const call = CALLS[i % CALLS.length] as Call;
        const began = Date.now();
        const outcome = await call.run(fake.address, fake.port).then(
          () => "resolved",
          (err: unknown) =>
            err instanceof WireError
              ? `WireError ${err.kind}`
              : err instanceof KafkaError
                ? "KafkaError"
                : `other ${String(err)}`,
        );
        const took = Date.now() - began;
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
    // each call is one request on one connection: the fake saw exactly the frames sent
    expect(frames).toBe(FRAMES);
    // 16 calls; fetchMetadata and takeSnapshot both start with Metadata, listGroups v4 and v5 share a key
    const apiKeys = 14;
    expect(met.size).toBe(apiKeys * CASES.length);
    expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(64 * 1024 * 1024);
  }, 30_000);
});
