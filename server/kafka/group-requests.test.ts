import { createRecordsBatch } from "@platformatic/kafka";
import { afterEach, describe, expect, it } from "vitest";
import {
  API,
  apiVersionsBody,
  body,
  FAKE_VERSIONS,
  type FakeBroker,
  responseFrame,
  startFakeBroker,
} from "./fake-broker";
import { findGroupCoordinator, recordTimestampAt } from "./group-requests";
import { KafkaPool } from "./pool";

const FIND_COORDINATOR_KEY = 10;

/** A record batch as a producer writes it (the library's own encoder), placed at `baseOffset`. */
function batch(baseOffset: number, timestamps: number[], compression: "none" | "gzip" = "none"): Buffer {
  const messages = timestamps.map((t, i) => ({ topic: "t", value: Buffer.from(`m${i}`), timestamp: BigInt(t) }));
  const buf = Buffer.from(createRecordsBatch(messages, { compression }).buffer);
  buf.writeBigInt64BE(BigInt(baseOffset), 0);
  return buf;
}

describe("recordTimestampAt", () => {
  const log = Buffer.concat([batch(100, [5000, 5010, 5020]), batch(103, [6000, 6100, 6300, 6600])]);

  it("reads the record's own timestamp in an uncompressed batch", () => {
    expect(recordTimestampAt(log, 100n)).toEqual({ timestamp: 5000, exact: true });
    expect(recordTimestampAt(log, 102n)).toEqual({ timestamp: 5020, exact: true });
    expect(recordTimestampAt(log, 105n)).toEqual({ timestamp: 6300, exact: true });
  });

  it("finds nothing past the last batch", () => {
    expect(recordTimestampAt(log, 107n)).toBeNull();
  });

  it("gives a compressed batch's first timestamp, marked as not the record's own", () => {
    expect(recordTimestampAt(batch(10, [7000, 7500, 9000], "gzip"), 12n)).toEqual({ timestamp: 7000, exact: false });
  });

  it("gives a batch cut short by the size limit its first timestamp", () => {
    const cut = batch(0, [1000, 2000, 3000]).subarray(0, 70);
    expect(recordTimestampAt(cut, 2n)).toEqual({ timestamp: 1000, exact: false });
  });
});

describe("findGroupCoordinator", () => {
  const fakes: FakeBroker[] = [];
  const pools: KafkaPool[] = [];
  afterEach(async () => {
    for (const p of pools.splice(0)) await p.close();
    for (const f of fakes.splice(0)) await f.close();
  });

  /** A broker serving FindCoordinator v6 that answers each request with the next error code (0: found). */
  async function broker(codes: number[]) {
    let asked = 0;
    const f = await startFakeBroker(
      (req, socket) => {
        if (req.apiKey === API.apiVersions)
          return void socket.write(
            responseFrame(req, apiVersionsBody({ ...FAKE_VERSIONS, [FIND_COORDINATOR_KEY]: 6 })),
          );
        if (req.apiKey !== FIND_COORDINATOR_KEY) return;
        const code = codes[Math.min(asked++, codes.length - 1)] ?? 0;
        socket.write(
          responseFrame(
            req,
            body()
              .appendInt32(0)
              .appendArray(
                [code],
                (w, c) =>
                  w
                    .appendString("g")
                    .appendInt32(c === 0 ? 2 : -1)
                    .appendString(c === 0 ? "broker-2.local" : "")
                    .appendInt32(c === 0 ? 9092 : -1)
                    .appendInt16(c)
                    .appendString(null),
                true,
                true,
              )
              .appendTaggedFields().buffer,
          ),
        );
      },
      { answerApiVersions: false },
    );
    fakes.push(f);
    const pool = new KafkaPool({ tls: null, sasl: null });
    pools.push(pool);
    return { pool, address: f.address, asked: () => asked };
  }

  it("asks again while the coordinator is settling (a fresh cluster making __consumer_offsets)", async () => {
    const b = await broker([15, 14, 0]);
    await expect(findGroupCoordinator(b.pool, [b.address], "g")).resolves.toBe("broker-2.local:9092");
    expect(b.asked()).toBe(3);
  });

  it("gives up with Kafka's error after a few tries, or at once for any other error", async () => {
    const settling = await broker([15]);
    await expect(findGroupCoordinator(settling.pool, [settling.address], "g")).rejects.toMatchObject({
      type: "COORDINATOR_NOT_AVAILABLE",
      status: 503,
    });
    expect(settling.asked()).toBe(5);
    const refused = await broker([30]);
    await expect(findGroupCoordinator(refused.pool, [refused.address], "g")).rejects.toMatchObject({
      type: "GROUP_AUTHORIZATION_FAILED",
    });
    expect(refused.asked()).toBe(1);
  });
});
