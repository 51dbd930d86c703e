import "server-only";
import net from "node:net";
import { Writer } from "./wire";

/**
 * A fake Kafka broker on loopback for tests: it reads each request frame and lets the test answer
 * with whatever bytes it likes (valid, malformed, none at all). Not used by the app itself.
 */

export interface FakeRequest {
  apiKey: number;
  version: number;
  correlationId: number;
  /** The request body, after the header. */
  body: Buffer;
}

/** What a test does with one request: write bytes (and usually end), or hold the socket open. */
export type Respond = (req: FakeRequest, socket: net.Socket) => void;

/** Requests Quorum sends in a flexible version, whose headers carry a tagged-field section. */
const FLEXIBLE = new Set([9, 15, 16, 55, 69]);

export interface FakeBroker {
  port: number;
  address: string;
  /** Request frames received so far. */
  received: number;
  close(): Promise<void>;
}

export async function startFakeBroker(respond: Respond): Promise<FakeBroker> {
  const sockets = new Set<net.Socket>();
  const fake: FakeBroker = { port: 0, address: "", received: 0, close: async () => {} };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {}); // the client may destroy the socket mid-write: that is the point
    let buf = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const frame = buf.subarray(4, 4 + buf.readInt32BE(0));
        buf = buf.subarray(4 + frame.length);
        const apiKey = frame.readInt16BE(0);
        const clientIdLength = frame.readInt16BE(8);
        let bodyAt = 10 + Math.max(0, clientIdLength);
        if (FLEXIBLE.has(apiKey)) bodyAt += 1; // empty tagged fields
        fake.received++;
        respond(
          { apiKey, version: frame.readInt16BE(2), correlationId: frame.readInt32BE(4), body: frame.subarray(bodyAt) },
          socket,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.port = (server.address() as net.AddressInfo).port;
  fake.address = `127.0.0.1:${fake.port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return fake;
}

/** A well-formed response frame for `req` with `body` (header v1 for flexible requests). */
export function responseFrame(req: FakeRequest, body: Buffer): Buffer {
  const header = new Writer().int32(req.correlationId);
  if (FLEXIBLE.has(req.apiKey)) header.tags();
  const head = header.bytes();
  const size = Buffer.alloc(4);
  size.writeInt32BE(head.length + body.length);
  return Buffer.concat([size, head, body]);
}

export interface FakePartition {
  partition: number;
  leader: number;
  errorCode?: number;
}

export interface FakeTopic {
  name: string;
  errorCode?: number;
  internal?: boolean;
  partitions: FakePartition[];
}

/**
 * An ApiVersions v0 response body: the versions of each API the fake serves. By default what
 * Kafka 3.7 serves of the group APIs Quorum asks for: ListGroups 0–4, ConsumerGroupDescribe 0.
 */
export function apiVersionsBody(ranges: [apiKey: number, min: number, max: number][] = OLD_GROUP_APIS): Buffer {
  return new Writer()
    .int16(0)
    .array(ranges, (w, [key, min, max]) => w.int16(key).int16(min).int16(max))
    .bytes();
}
const OLD_GROUP_APIS: [number, number, number][] = [
  [15, 0, 5],
  [16, 0, 4],
  [69, 0, 0],
];

/** A Metadata v6 response body naming one broker (id 1 at `port`) and the given topics. */
export function metadataBody(port: number, topics: FakeTopic[]): Buffer {
  const ints = (w: Writer, xs: number[]) => w.array(xs, (x, v) => x.int32(v));
  return new Writer()
    .int32(0) // throttle_time_ms
    .array([1], (w, id) => w.int32(id).string("127.0.0.1").int32(port).string(null))
    .string("fake-cluster")
    .int32(1) // controller_id
    .array(topics, (w, t) =>
      w
        .int16(t.errorCode ?? 0)
        .string(t.name)
        .bool(t.internal ?? false)
        .array(t.partitions, (pw, p) => {
          pw.int16(p.errorCode ?? 0)
            .int32(p.partition)
            .int32(p.leader);
          ints(pw, [1]); // replicas
          ints(pw, p.leader < 0 ? [] : [1]); // isr
          ints(pw, []); // offline replicas
        }),
    )
    .bytes();
}
