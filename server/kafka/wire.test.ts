import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpErrorOf } from "../errors";
import { createTopic, deleteTopic } from "./admin-requests";
import { type FakeBroker, responseFrame, startFakeBroker } from "./fake-broker";
import { listGroups } from "./requests";
import { MAX_FRAME_BYTES, Reader, sendRequest, sendToAny, WireError, Writer } from "./wire";

const fakes: FakeBroker[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

async function fake(respond: Parameters<typeof startFakeBroker>[0]): Promise<FakeBroker> {
  const f = await startFakeBroker(respond);
  fakes.push(f);
  return f;
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => {
      throw new Error(
        `expected a rejection, got ${JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x))}`,
      );
    },
    (err: unknown) => err,
  );
}

function expectProtocol(fn: () => unknown, pattern: RegExp): void {
  let caught: unknown = null;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(WireError);
  expect((caught as WireError).kind).toBe("protocol");
  expect((caught as WireError).message).toMatch(pattern);
}

const int32 = (v: number) => new Writer().int32(v).bytes();

describe("Reader bounds", () => {
  it("reading past the end is a protocol error, not a RangeError", () => {
    expectProtocol(() => new Reader(Buffer.from([1, 2])).int32(), /int32 needs 4 bytes, 2 left/);
    expectProtocol(() => new Reader(Buffer.alloc(7)).int64(), /int64 needs 8 bytes/);
    expectProtocol(() => new Reader(Buffer.alloc(0)).int8(), /int8/);
    expectProtocol(() => new Reader(Buffer.from([0x80, 0x80])).uvarint(), /varint/);
    expectProtocol(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).uvarint(), /longer than 5/);
  });

  it("an array count of 2^31-1 with 1 byte left fails at once, without looping", () => {
    const buf = Buffer.concat([int32(0x7fffffff), Buffer.from([0])]);
    let calls = 0;
    const began = performance.now();
    expectProtocol(
      () =>
        new Reader(buf).array((r) => {
          calls++;
          return r.int8();
        }),
      /claims 2147483647 elements in 1 bytes/,
    );
    expect(calls).toBe(0);
    expect(performance.now() - began).toBeLessThan(50);
  });

  it("a compact array or tagged-field count past the bytes left fails at once", () => {
    const huge = new Writer().uvarint(0xffffffff).bytes();
    expectProtocol(() => new Reader(Buffer.concat([huge, Buffer.alloc(3)])).compactArray((r) => r.int8()), /claims/);
    expectProtocol(() => new Reader(Buffer.concat([huge, Buffer.alloc(3)])).tags(), /tagged fields claims/);
    // one tagged field whose size runs past the end
    expectProtocol(() => new Reader(new Writer().uvarint(1).uvarint(0).uvarint(1000).bytes()).tags(), /tagged field/);
  });

  it("negative lengths other than the null marker are errors; -1 is null", () => {
    expect(new Reader(new Writer().int16(-1).bytes()).string()).toBeNull();
    expect(new Reader(int32(-1)).bytes()).toBeNull();
    expect(new Reader(int32(-1)).array((r) => r.int8())).toEqual([]);
    expect(new Reader(new Writer().uvarint(0).bytes()).compactString()).toBeNull();
    expectProtocol(() => new Reader(new Writer().int16(-2).bytes()).string(), /negative length \(-2\)/);
    expectProtocol(() => new Reader(int32(-5)).bytes(), /negative length \(-5\)/);
    expectProtocol(() => new Reader(int32(-2)).array((r) => r.int8()), /negative count \(-2\)/);
  });

  it("a string or bytes longer than what is left fails before allocating", () => {
    expectProtocol(() => new Reader(Buffer.concat([new Writer().int16(500).bytes(), Buffer.alloc(3)])).string(), /500/);
    expectProtocol(() => new Reader(Buffer.concat([int32(0x7ffffff0), Buffer.alloc(3)])).bytes(), /bytes of/);
    expectProtocol(() => new Reader(new Writer().uvarint(1000).bytes()).compactString(), /compact string of 999/);
    expectProtocol(() => new Reader(new Writer().uvarint(1000).bytes()).compactBytes(), /compact bytes of 999/);
  });

  it("end() refuses bytes left over", () => {
    const r = new Reader(Buffer.from([0, 0, 0, 1, 9]), "127.0.0.1:1");
    r.int32();
    expectProtocol(() => r.end(), /127\.0\.0\.1:1 sent a malformed response: 1 bytes left over/);
    r.int8();
    expect(() => r.end()).not.toThrow();
  });
});

describe("framing", () => {
  const raw = (bytes: (req: { correlationId: number }) => Buffer) => fake((req, socket) => socket.end(bytes(req)));
  const frameOf = (declared: number, rest: Buffer = Buffer.alloc(0)) => Buffer.concat([int32(declared), rest]);

  for (const declared of [-1, 0, 3, 0x7fffffff, MAX_FRAME_BYTES + 1]) {
    it(`a frame length of ${declared} ends the request with a protocol error`, async () => {
      const f = await raw(() => frameOf(declared, Buffer.alloc(16)));
      const err = await rejection(
        sendRequest("127.0.0.1", f.port, { apiKey: 18, version: 0, body: Buffer.alloc(0) }, 2000),
      );
      expect(err).toBeInstanceOf(WireError);
      expect((err as WireError).kind).toBe("protocol");
      expect((err as WireError).message).toContain(`a frame of ${declared} bytes`);
      expect(httpErrorOf(err)).toMatchObject({ status: 503, code: "cluster_unavailable" });
    });
  }

  it("an over-cap frame is refused at its size prefix while the broker keeps streaming", async () => {
    const chunk = Buffer.alloc(1024 * 1024);
    let written = 0;
    const f = await fake((_req, socket) => {
      socket.write(int32(MAX_FRAME_BYTES + 1));
      const pump = () => {
        while (!socket.destroyed && written < 200 * chunk.length) {
          written += chunk.length;
          if (!socket.write(chunk)) return void socket.once("drain", pump);
        }
      };
      pump();
    });
    const err = await rejection(
      sendRequest("127.0.0.1", f.port, { apiKey: 18, version: 0, body: Buffer.alloc(0) }, 2000),
    );
    expect((err as WireError).kind).toBe("protocol");
    expect(written).toBeLessThan(200 * chunk.length); // the client hung up long before 200 MiB
  });

  it("an answer to another correlation id is a protocol error", async () => {
    const f = await raw((req) => frameOf(4, int32(req.correlationId + 1)));
    const err = await rejection(
      sendRequest("127.0.0.1", f.port, { apiKey: 18, version: 0, body: Buffer.alloc(0) }, 2000),
    );
    expect((err as WireError).message).toMatch(/answered another request/);
  });

  it("bytes after the frame are a protocol error", async () => {
    const f = await raw((req) => Buffer.concat([frameOf(4, int32(req.correlationId)), Buffer.from([1, 2, 3])]));
    const err = await rejection(
      sendRequest("127.0.0.1", f.port, { apiKey: 18, version: 0, body: Buffer.alloc(0) }, 2000),
    );
    expect((err as WireError).message).toMatch(/3 bytes after its response frame/);
  });

  it("a truncated body followed by close is a closed-connection error, at once", async () => {
    const f = await raw((req) => frameOf(1000, int32(req.correlationId)));
    const began = Date.now();
    const err = await rejection(
      sendRequest("127.0.0.1", f.port, { apiKey: 18, version: 0, body: Buffer.alloc(0) }, 5000),
    );
    expect((err as WireError).kind).toBe("closed");
    expect((err as WireError).message).toMatch(/mid-answer/);
    expect(Date.now() - began).toBeLessThan(1000);
  });

  it("a parse error in a request function is a WireError (503), never a RangeError", async () => {
    // ListGroups v4 answer cut after the throttle time
    const f = await fake((req, socket) => socket.end(responseFrame(req, int32(0))));
    const err = await rejection(listGroups({ host: "127.0.0.1", port: f.port }, 2000));
    expect(err).toBeInstanceOf(WireError);
    expect(httpErrorOf(err)).toMatchObject({ status: 503, code: "cluster_unavailable" });
  });

  it("a parse error with bytes left over is a WireError too", async () => {
    // ListGroups v4: throttle, error 0, no groups, no tags, and then one byte too many
    const body = new Writer().int32(0).int16(0).uvarint(1).tags().int8(7).bytes();
    const f = await fake((req, socket) => socket.end(responseFrame(req, body)));
    const err = await rejection(listGroups({ host: "127.0.0.1", port: f.port }, 2000));
    expect((err as WireError).message).toMatch(/1 bytes left over/);
  });
});

describe("outcome of mutations", () => {
  const ask = { apiKey: 19, version: 4, body: Buffer.alloc(0) };

  it("a mutation sent and never answered is 504 outcome_unknown", async () => {
    const f = await fake(() => {}); // accepts, reads, never answers
    const began = Date.now();
    const err = await rejection(sendToAny([f.address], ask, 300, { mutation: true }));
    expect(Date.now() - began).toBeLessThan(1500);
    expect(f.received).toBe(1);
    expect((err as WireError).sent).toBe(true);
    const http = httpErrorOf(err);
    expect(http).toMatchObject({ status: 504, code: "outcome_unknown" });
    expect(http?.message).toMatch(/did not answer within 300 ms.*may have been applied/);
  });

  it("a mutation is not sent to a second broker once the first had it", async () => {
    const silent = await fake(() => {});
    const other = await fake(() => {});
    await rejection(sendToAny([silent.address, other.address], ask, 300, { mutation: true }));
    expect(silent.received).toBe(1);
    expect(other.received).toBe(0);
  });

  it("the same silence on a read stays 503 kafka_timeout", async () => {
    const f = await fake(() => {});
    const err = await rejection(sendToAny([f.address], ask, 300));
    expect(httpErrorOf(err)).toMatchObject({ status: 503, code: "kafka_timeout" });
  });

  it("a mutation whose connection drops after it was sent is 504 (createTopic)", async () => {
    const f = await fake((_req, socket) => socket.destroy());
    const err = await rejection(
      createTopic([f.address], { name: "t", partitions: 1, replicationFactor: 1, configs: {} }),
    );
    expect(f.received).toBe(1);
    expect(httpErrorOf(err)).toMatchObject({ status: 504, code: "outcome_unknown" });
  });

  it("a garbled answer to a mutation is 504 too: it may have been applied", async () => {
    // DeleteTopics v3 answer naming another topic
    const body = new Writer()
      .int32(0)
      .array(["other"], (w, n) => w.string(n).int16(0))
      .bytes();
    const f = await fake((req, socket) => socket.end(responseFrame(req, body)));
    const err = await rejection(deleteTopic([f.address], "t"));
    expect(httpErrorOf(err)).toMatchObject({ status: 504, code: "outcome_unknown" });
    expect((err as Error).message).toMatch(/answered about "other", not "t"/);
  });

  it("a mutation with nothing listening is 503: it was never sent", async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await rejection(
      createTopic([`127.0.0.1:${port}`], { name: "t", partitions: 1, replicationFactor: 1, configs: {} }),
    );
    expect((err as WireError).sent).toBe(false);
    expect(httpErrorOf(err)).toMatchObject({ status: 503, code: "cluster_unavailable" });
  });

  it("a well-formed answer to a mutation resolves", async () => {
    const body = new Writer()
      .int32(0)
      .array(["t"], (w, n) => w.string(n).int16(0))
      .bytes();
    const f = await fake((req, socket) => socket.end(responseFrame(req, body)));
    await expect(deleteTopic([f.address], "t")).resolves.toBeUndefined();
  });
});
