import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { API, body, type FakeBroker, responseFrame, startFakeBroker } from "./fake-broker";
import { fetchMetadata, internReplicas, MAX_REPLICA_LISTS } from "./metadata";
import { KafkaPool } from "./pool";
import { splitHostPort, WireError } from "./wire-error";

/** A Metadata v12 response body as a broker encodes it (after the response header). */
function metadataResponse(): Buffer {
  const ints = (xs: number[]) => (w: ReturnType<typeof body>) =>
    w.appendArray(xs, (x, v) => x.appendInt32(v), true, false);
  return body()
    .appendInt32(0) // throttle
    .appendArray(
      [
        { id: 2, port: 29092, rack: "r2" },
        { id: 1, port: 19092, rack: null },
      ],
      (w, b) => w.appendInt32(b.id).appendString("127.0.0.1").appendInt32(b.port).appendString(b.rack),
    )
    .appendString("cluster-x")
    .appendInt32(1)
    .appendArray(
      [
        { name: "orders", internal: false, parts: [1, 0], id: "6b1d5a0e-7c55-4d3b-a9a4-3f1b2c3d4e5f" },
        // the zero id: a broker that does not say
        { name: "__consumer_offsets", internal: true, parts: [0], id: "00000000-0000-0000-0000-000000000000" },
      ],
      (w, t) =>
        w
          .appendInt16(0)
          .appendString(t.name)
          .appendUUID(t.id)
          .appendBoolean(t.internal)
          .appendArray(t.parts, (pw, p) => {
            pw.appendInt16(0)
              .appendInt32(p)
              .appendInt32(p === 1 ? -1 : 2)
              .appendInt32(p === 1 ? 4 : 7);
            ints([2, 1])(pw);
            ints(p === 1 ? [] : [2, 1])(pw);
            ints(p === 1 ? [2, 1] : [])(pw);
          })
          .appendInt32(-2147483648),
    )
    .appendTaggedFields().buffer;
}

/** A Metadata v12 body of 200 topics × 10 partitions, all led by `leader`, each with `errorCode`. */
function largeMetadataResponse(leader: number, errorCode = 0): Buffer {
  const topics = Array.from({ length: 200 }, (_, i) => `t-${String(i).padStart(4, "0")}`);
  return body()
    .appendInt32(0)
    .appendArray([1, 2], (w, id) =>
      w
        .appendInt32(id)
        .appendString("127.0.0.1")
        .appendInt32(9000 + id)
        .appendString(null),
    )
    .appendString("cluster-y")
    .appendInt32(1)
    .appendArray(topics, (w, name) =>
      w
        .appendInt16(0)
        .appendString(name)
        .appendUUID("6b1d5a0e-7c55-4d3b-a9a4-3f1b2c3d4e5f")
        .appendBoolean(false)
        .appendArray(
          Array.from({ length: 10 }, (_, p) => p),
          (pw, p) => {
            pw.appendInt16(errorCode).appendInt32(p).appendInt32(leader).appendInt32(3);
            for (const ids of [[1, 2], [1, 2], []]) pw.appendArray(ids, (x, v) => x.appendInt32(v), true, false);
          },
        )
        .appendInt32(-2147483648),
    )
    .appendTaggedFields().buffer;
}

const fakes: FakeBroker[] = [];
const servers: net.Server[] = [];
const pool = new KafkaPool({ tls: null, sasl: null });
afterEach(async () => {
  await pool.close();
  for (const f of fakes.splice(0)) await f.close();
  for (const s of servers.splice(0)) s.close();
});

/** A fake broker that answers Metadata with `answer`. */
async function fakeBroker(answer: Buffer): Promise<FakeBroker> {
  const f = await startFakeBroker((req, socket) => {
    if (req.apiKey === API.metadata) socket.write(responseFrame(req, answer));
  });
  fakes.push(f);
  return f;
}

describe("fetchMetadata", () => {
  it("parses brokers, internal flags, topic ids, leader epochs, offline partitions and sorts them", async () => {
    const f = await fakeBroker(metadataResponse());
    const md = await fetchMetadata(pool, [f.address], 2000);
    expect(md.clusterId).toBe("cluster-x");
    expect(md.from).toBe(f.address);
    expect(md.brokers).toEqual([
      { nodeId: 1, host: "127.0.0.1", port: 19092, rack: null },
      { nodeId: 2, host: "127.0.0.1", port: 29092, rack: "r2" },
    ]);
    expect(md.topics.map((t) => [t.name, t.internal, t.topicId])).toEqual([
      ["__consumer_offsets", true, null],
      // as Kafka prints it (Uuid.toString: URL-safe base64 of the 16 bytes, no padding)
      ["orders", false, "ax1aDnxVTTuppD8bLD1OXw"],
    ]);
    expect(md.topics[1]?.partitions).toEqual([
      { errorCode: 0, partition: 0, leader: 2, leaderEpoch: 7, replicas: [2, 1], isr: [2, 1], offlineReplicas: [] },
      { errorCode: 0, partition: 1, leader: -1, leaderEpoch: 4, replicas: [2, 1], isr: [], offlineReplicas: [2, 1] },
    ]);
  });

  it("reads an answer full of error codes, each time, and leaves stack traces on", async () => {
    const limit = Error.stackTraceLimit;
    const f = await fakeBroker(largeMetadataResponse(-1, 5)); // LEADER_NOT_AVAILABLE everywhere
    const a = await fetchMetadata(pool, [f.address], 2000);
    const b = await fetchMetadata(pool, [f.address], 2000);
    expect(a.topics.flatMap((t) => t.partitions).every((p) => p.errorCode === 5 && p.leader === -1)).toBe(true);
    expect(a.topics.flatMap((t) => t.partitions)).toHaveLength(2000);
    expect(b.topics).toEqual(a.topics);
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it("reuses one connection per broker: ApiVersions once, then one frame per request", async () => {
    const f = await fakeBroker(metadataResponse());
    for (let i = 0; i < 5; i++) await fetchMetadata(pool, [f.address], 2000);
    expect(f.connections).toBe(1);
    expect(f.received).toBe(1 + 5);
    expect(pool.openSockets()).toEqual(new Map([[f.address, 1]]));
  });

  it("falls over to the next bootstrap server when the first refuses", async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const f = await fakeBroker(metadataResponse());
    const md = await fetchMetadata(pool, [`127.0.0.1:${deadPort}`, f.address], 2000);
    expect(md.from).toBe(f.address);
  });

  it("gives up within the timeout when nothing answers", async () => {
    const silent = net.createServer(() => {});
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as net.AddressInfo).port;
    const began = Date.now();
    const err = await fetchMetadata(pool, [`127.0.0.1:${port}`], 300).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WireError);
    expect((err as WireError).kind).toBe("timeout");
    expect(Date.now() - began).toBeLessThan(2000);
  });

  it("refuses a broker that serves no Metadata version Quorum speaks, without sending it", async () => {
    const f = await startFakeBroker(
      (req, socket) => {
        if (req.apiKey === API.apiVersions)
          socket.write(
            responseFrame(
              req,
              body()
                .appendInt16(0)
                .appendArray([[18, 0, 3] as const, [3, 0, 8] as const], (w, [k, min, max]) =>
                  w.appendInt16(k).appendInt16(min).appendInt16(max),
                )
                .appendInt32(0)
                .appendTaggedFields().buffer,
            ),
          );
      },
      { answerApiVersions: false },
    );
    fakes.push(f);
    const err = await fetchMetadata(pool, [f.address], 2000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WireError);
    expect((err as WireError).message).toBe(`${f.address} serves Metadata v0–v8; Quorum speaks v12, 11, 10, 9`);
    expect(f.received).toBe(1); // ApiVersions only
  });

  it("splits host and port, IPv6 included", () => {
    expect(splitHostPort("127.0.0.1:9092")).toEqual(["127.0.0.1", "9092"]);
    expect(splitHostPort("[::1]:9092")).toEqual(["::1", "9092"]);
  });
});

describe("internReplicas", () => {
  it("gives the same frozen array for the same ids in the same order, and another for any other list", () => {
    const a = internReplicas([1, 2, 3]);
    expect(internReplicas([1, 2, 3].slice())).toBe(a);
    expect(a).toEqual([1, 2, 3]);
    expect(Object.isFrozen(a)).toBe(true);
    // A prefix, an extension, another order and the empty list are lists of their own.
    const others = [[1, 2], [1, 2, 3, 4], [3, 2, 1], [], [2]].map(internReplicas);
    expect(others.map((l) => [...l])).toEqual([[1, 2], [1, 2, 3, 4], [3, 2, 1], [], [2]]);
    for (const l of others) expect(l).not.toBe(a);
    expect(internReplicas([])).toBe(others[3]);
    expect(internReplicas([1, 2])).toBe(others[0]);
  });

  it("starts the table over past its bound, still giving each list's ids", () => {
    const before = internReplicas([7, 8]);
    for (let i = 0; i <= MAX_REPLICA_LISTS; i++) internReplicas([1_000_000 + i]);
    const after = internReplicas([7, 8]);
    expect(after).toEqual([7, 8]);
    expect(after).not.toBe(before); // the table was started over in between
    expect(internReplicas([7, 8])).toBe(after);
  });
});
