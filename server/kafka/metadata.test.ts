import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fetchMetadata } from "./metadata";
import { Reader, splitHostPort, WireError, Writer } from "./wire";

/** A Metadata v6 response body as a broker encodes it (after the correlation id). */
function metadataResponse(): Buffer {
  const ints = (w: Writer, xs: number[]) => w.array(xs, (x, v) => x.int32(v));
  return new Writer()
    .int32(0) // throttle
    .array(
      [
        { id: 2, port: 29092, rack: "r2" },
        { id: 1, port: 19092, rack: null },
      ],
      (w, b) => w.int32(b.id).string("127.0.0.1").int32(b.port).string(b.rack),
    )
    .string("cluster-x")
    .int32(1)
    .array(
      [
        { name: "orders", internal: false, parts: [1, 0] },
        { name: "__consumer_offsets", internal: true, parts: [0] },
      ],
      (w, t) =>
        w
          .int16(0)
          .string(t.name)
          .int8(t.internal ? 1 : 0)
          .array(t.parts, (pw, p) => {
            pw.int16(0)
              .int32(p)
              .int32(p === 1 ? -1 : 2);
            ints(pw, [2, 1]);
            ints(pw, p === 1 ? [] : [2, 1]);
            ints(pw, p === 1 ? [2, 1] : []);
          }),
    )
    .bytes();
}

const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A TCP peer that answers one request with `body`, echoing the request's correlation id. */
async function fakeBroker(body: Buffer): Promise<number> {
  const server = net.createServer((socket) => {
    socket.once("data", (req) => {
      const correlationId = req.readInt32BE(8);
      const head = Buffer.alloc(8);
      head.writeInt32BE(4 + body.length, 0);
      head.writeInt32BE(correlationId, 4);
      socket.end(Buffer.concat([head, body]));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as net.AddressInfo).port;
}

describe("wire", () => {
  it("reads back what it writes, including null strings and arrays", () => {
    const buf = new Writer()
      .int8(-1)
      .int16(300)
      .int32(-5)
      .string("héllo")
      .string(null)
      .array([7, 8], (w, x) => w.int32(x))
      .bytes();
    const r = new Reader(buf);
    expect([r.int8(), r.int16(), r.int32(), r.string(), r.string()]).toEqual([-1, 300, -5, "héllo", null]);
    expect(r.array((x) => x.int32())).toEqual([7, 8]);
    expect(
      new Writer()
        .array(null, () => {})
        .bytes()
        .readInt32BE(0),
    ).toBe(-1);
  });
});

describe("fetchMetadata", () => {
  it("parses brokers, internal flags, offline partitions and sorts them", async () => {
    const port = await fakeBroker(metadataResponse());
    const md = await fetchMetadata([`127.0.0.1:${port}`], 2000);
    expect(md.clusterId).toBe("cluster-x");
    expect(md.from).toBe(`127.0.0.1:${port}`);
    expect(md.brokers).toEqual([
      { nodeId: 1, host: "127.0.0.1", port: 19092, rack: null },
      { nodeId: 2, host: "127.0.0.1", port: 29092, rack: "r2" },
    ]);
    expect(md.topics.map((t) => [t.name, t.internal])).toEqual([
      ["__consumer_offsets", true],
      ["orders", false],
    ]);
    expect(md.topics[1]?.partitions).toEqual([
      { errorCode: 0, partition: 0, leader: 2, replicas: [2, 1], isr: [2, 1], offlineReplicas: [] },
      { errorCode: 0, partition: 1, leader: -1, replicas: [2, 1], isr: [], offlineReplicas: [2, 1] },
    ]);
  });

  it("falls over to the next bootstrap server when the first refuses", async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const port = await fakeBroker(metadataResponse());
    const md = await fetchMetadata([`127.0.0.1:${deadPort}`, `127.0.0.1:${port}`], 2000);
    expect(md.from).toBe(`127.0.0.1:${port}`);
  });

  it("gives up within the timeout when nothing answers", async () => {
    const silent = net.createServer(() => {});
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as net.AddressInfo).port;
    const began = Date.now();
    const err = await fetchMetadata([`127.0.0.1:${port}`], 300).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WireError);
    expect((err as WireError).kind).toBe("timeout");
    expect(Date.now() - began).toBeLessThan(2000);
  });

  it("splits host and port, IPv6 included", () => {
    expect(splitHostPort("127.0.0.1:9092")).toEqual(["127.0.0.1", "9092"]);
    expect(splitHostPort("[::1]:9092")).toEqual(["::1", "9092"]);
  });
});
