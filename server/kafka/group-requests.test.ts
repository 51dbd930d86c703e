import { createRecordsBatch } from "@platformatic/kafka";
import { describe, expect, it } from "vitest";
import { recordTimestampAt } from "./group-requests";

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
