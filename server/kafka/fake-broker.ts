import "server-only";
import net from "node:net";
import tls from "node:tls";
import { Writer } from "@platformatic/kafka";

/**
 * A fake Kafka broker on loopback for tests: it reads each request frame and lets the test answer
 * with whatever bytes it likes (valid, malformed, none at all). ApiVersions is answered for the
 * test (every version Quorum speaks), unless `respond` is told to see it too. Connections stay
 * open, as a broker's do: Quorum pools them. Answers are encoded with @platformatic/kafka's Writer
 * in the versions the fake advertises (FAKE_VERSIONS). Not used by the app itself.
 */

export interface FakeRequest {
  apiKey: number;
  version: number;
  correlationId: number;
  /** The request body, after the header. */
  body: Buffer;
}

/** What a test does with one request: write bytes (and maybe end), or hold the socket open. */
export type Respond = (req: FakeRequest, socket: net.Socket) => void;

export const API = {
  listOffsets: 2,
  metadata: 3,
  offsetFetch: 9,
  describeGroups: 15,
  listGroups: 16,
  saslHandshake: 17,
  apiVersions: 18,
  createTopics: 19,
  deleteTopics: 20,
  describeConfigs: 32,
  createPartitions: 37,
  electLeaders: 43,
  incrementalAlterConfigs: 44,
  describeQuorum: 55,
  saslAuthenticate: 36,
  consumerGroupDescribe: 69,
} as const;

/** Requests and responses whose headers carry no tagged fields (the rest Quorum sends are flexible). */
const UNTAGGED_REQUEST = new Set<number>([API.saslHandshake]);
const UNTAGGED_RESPONSE = new Set<number>([API.saslHandshake, API.apiVersions]);

/** The version the fake advertises for each request: the newest Quorum speaks. */
export const FAKE_VERSIONS: Record<number, number> = {
  [API.listOffsets]: 9,
  [API.metadata]: 12,
  [API.offsetFetch]: 9,
  [API.describeGroups]: 5,
  [API.listGroups]: 5,
  [API.apiVersions]: 3,
  [API.createTopics]: 7,
  [API.deleteTopics]: 6,
  [API.describeConfigs]: 4,
  [API.createPartitions]: 3,
  [API.electLeaders]: 2,
  [API.incrementalAlterConfigs]: 1,
  [API.describeQuorum]: 2,
  [API.consumerGroupDescribe]: 1,
};

export interface FakeBroker {
  port: number;
  address: string;
  /** Request frames received so far (ApiVersions included). */
  received: number;
  /** TCP connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

export interface FakeBrokerOptions {
  /** Answer ApiVersions for the test (default true). */
  answerApiVersions?: boolean;
  /** Serve TLS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  /** Require SASL/PLAIN with these credentials before any other request. */
  sasl?: { username: string; password: string };
}

export async function startFakeBroker(respond: Respond, opts: FakeBrokerOptions = {}): Promise<FakeBroker> {
  const answerApiVersions = opts.answerApiVersions ?? true;
  const sockets = new Set<net.Socket>();
  const fake: FakeBroker = { port: 0, address: "", received: 0, connections: 0, close: async () => {} };
  const onConnection = (socket: net.Socket) => {
    sockets.add(socket);
    fake.connections++;
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
        const bodyAt = 10 + Math.max(0, clientIdLength) + (UNTAGGED_REQUEST.has(apiKey) ? 0 : 1); // empty tags
        fake.received++;
        const req = {
          apiKey,
          version: frame.readInt16BE(2),
          correlationId: frame.readInt32BE(4),
          body: frame.subarray(bodyAt),
        };
        if (apiKey === API.apiVersions && answerApiVersions) socket.write(responseFrame(req, apiVersionsBody()));
        else if (apiKey === API.saslHandshake && opts.sasl)
          socket.write(
            responseFrame(
              req,
              body()
                .appendInt16(0)
                .appendArray(["PLAIN"], (w, m) => w.appendString(m, false), false, false).buffer,
            ),
          );
        else if (apiKey === API.saslAuthenticate && opts.sasl) {
          const { username, password } = opts.sasl;
          const ok = saslMatches(req.body, username, password);
          socket.write(
            responseFrame(
              req,
              body()
                .appendInt16(ok ? 0 : 58) // SASL_AUTHENTICATION_FAILED
                .appendString(ok ? null : "Authentication failed: Invalid username or password")
                .appendBytes(Buffer.alloc(0))
                .appendInt64(0n)
                .appendTaggedFields().buffer,
            ),
          );
          if (!ok) socket.end();
        } else respond(req, socket);
      }
    });
  };
  const server = opts.tls ? tls.createServer(opts.tls, onConnection) : net.createServer(onConnection);
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

/** SaslAuthenticate v2's body: auth bytes (compact: 1-byte length here, then "\0user\0password" for PLAIN), tags. */
function saslMatches(requestBody: Buffer, username: string, password: string): boolean {
  const expected = Buffer.from(`\0${username}\0${password}`);
  return requestBody.length === expected.length + 2 && requestBody.subarray(1, 1 + expected.length).equals(expected);
}

/** A response header for `req` (correlation id, then empty tags except for ApiVersions and SaslHandshake). */
export function responseHeader(req: Pick<FakeRequest, "apiKey" | "correlationId">): Buffer {
  const w = Writer.create().appendInt32(req.correlationId);
  if (!UNTAGGED_RESPONSE.has(req.apiKey)) w.appendTaggedFields();
  return w.buffer;
}

/** A well-formed response frame for `req` with `body`. */
export function responseFrame(req: Pick<FakeRequest, "apiKey" | "correlationId">, body: Buffer): Buffer {
  const head = responseHeader(req);
  const size = Buffer.alloc(4);
  size.writeInt32BE(head.length + body.length);
  return Buffer.concat([size, head, body]);
}

/** An encoder for a response body. */
export const body = () => Writer.create();

/** ApiVersions v3: every request at exactly FAKE_VERSIONS' version. */
export function apiVersionsBody(versions: Record<number, number> = FAKE_VERSIONS): Buffer {
  return body()
    .appendInt16(0)
    .appendArray(Object.entries(versions), (w, [key, v]) => w.appendInt16(Number(key)).appendInt16(v).appendInt16(v))
    .appendInt32(0)
    .appendTaggedFields().buffer;
}

export interface FakePartition {
  partition: number;
  leader: number;
  errorCode?: number;
  /** [1] unless given; the ISR is the replicas unless given ([] without a leader). */
  replicas?: number[];
  isr?: number[];
}

export interface FakeTopic {
  name: string;
  errorCode?: number;
  internal?: boolean;
  partitions: FakePartition[];
}

/** A Metadata v12 response body naming brokers (id 1 at `port` unless given) and the given topics. */
export function metadataBody(
  port: number,
  topics: FakeTopic[],
  brokers: { id: number; port: number; rack?: string | null }[] = [{ id: 1, port }],
): Buffer {
  const ints = (w: Writer, xs: number[]) => w.appendArray(xs, (x, v) => x.appendInt32(v), true, false);
  return body()
    .appendInt32(0) // throttle_time_ms
    .appendArray(brokers, (w, b) =>
      w
        .appendInt32(b.id)
        .appendString("127.0.0.1")
        .appendInt32(b.port)
        .appendString(b.rack ?? null),
    )
    .appendString("fake-cluster")
    .appendInt32(1) // controller_id
    .appendArray(
      topics,
      (w, t) =>
        w
          .appendInt16(t.errorCode ?? 0)
          .appendString(t.name)
          .appendUUID("00000000-0000-0000-0000-000000000001")
          .appendBoolean(t.internal ?? false)
          .appendArray(t.partitions, (pw, p) => {
            pw.appendInt16(p.errorCode ?? 0)
              .appendInt32(p.partition)
              .appendInt32(p.leader)
              .appendInt32(0); // leader_epoch
            ints(pw, p.replicas ?? [1]);
            ints(pw, p.isr ?? (p.leader < 0 ? [] : (p.replicas ?? [1])));
            ints(pw, []); // offline replicas
          })
          .appendInt32(-2147483648), // topic_authorized_operations
    )
    .appendTaggedFields().buffer;
}

/** A ListGroups v5 body: the given groups, all "consumer" / `state`. */
export function listGroupsBody(groups: string[], state = "Stable"): Buffer {
  return body()
    .appendInt32(0)
    .appendInt16(0)
    .appendArray(groups, (w, g) =>
      w.appendString(g).appendString("consumer").appendString(state).appendString("classic"),
    )
    .appendTaggedFields().buffer;
}

/** A DescribeQuorum v2 body: controller 101 leads at epoch 3, sole voter. */
export function describeQuorumBody(): Buffer {
  const replica = (w: Writer, id: number) =>
    w
      .appendInt32(id)
      .appendUUID("00000000-0000-0000-0000-000000000000")
      .appendInt64(42n)
      .appendInt64(-1n)
      .appendInt64(-1n);
  return body()
    .appendInt16(0)
    .appendString(null)
    .appendArray(["__cluster_metadata"], (w, t) =>
      w.appendString(t).appendArray([0], (pw, p) =>
        pw
          .appendInt32(p)
          .appendInt16(0)
          .appendString(null)
          .appendInt32(101) // leader
          .appendInt32(3) // epoch
          .appendInt64(42n) // high watermark
          .appendArray([101], replica)
          .appendArray([], replica),
      ),
    )
    .appendArray([], () => {}) // nodes
    .appendTaggedFields().buffer;
}
