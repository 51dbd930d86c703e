import { listOffsetsV9, Writer } from "@platformatic/kafka";
import { describe, expect, it, vi } from "vitest";
import { KEPT_ENCODINGS, type ListOffsetsArgs, reusingEncodings } from "./reused-requests";

const argsFor = (topic: string, partitions: number, timestamp: bigint, epoch = -1): ListOffsetsArgs => [
  -1,
  0,
  [
    {
      name: topic,
      partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({
        partitionIndex,
        currentLeaderEpoch: epoch,
        timestamp,
      })),
    },
    { name: `${topic}-b`, partitions: [{ partitionIndex: 3, currentLeaderEpoch: epoch, timestamp }] },
  ],
];

const bytesOf = (w: Writer) => Buffer.from(w.buffer);
/** What the connection does with a payload: a header before it, the length before all. */
const framed = (payload: Writer) => Writer.create().appendInt32(7).appendFrom(payload).prependLength().buffer;

describe("ListOffsets encodings reused", () => {
  it("sends the library's own bytes, encoding a request asked again only once", () => {
    const encode = vi.fn(listOffsetsV9.createRequest);
    const reusing = reusingEncodings(encode);
    const args = argsFor("t", 50, -1n);
    const expected = bytesOf(listOffsetsV9.createRequest(...args));
    const first = reusing(...args);
    expect(bytesOf(first)).toEqual(expected);
    framed(first);
    // Asked again, with arrays built anew (as each look builds them): the kept bytes, unchanged by the framing.
    const again = reusing(...argsFor("t", 50, -1n));
    expect(bytesOf(again)).toEqual(expected);
    expect(framed(again).subarray(8)).toEqual(expected);
    expect(encode).toHaveBeenCalledTimes(1);
  });

  it("encodes anew when anything asked differs: a partition, an epoch, a timestamp, a name, the isolation", () => {
    const encode = vi.fn(listOffsetsV9.createRequest);
    const reusing = reusingEncodings(encode);
    reusing(...argsFor("t", 50, -1n));
    const variants: ListOffsetsArgs[] = [
      argsFor("t", 49, -1n),
      argsFor("t", 50, -1n, 4),
      argsFor("t", 50, -2n),
      argsFor("u", 50, -1n),
      [-1, 1, argsFor("t", 50, -1n)[2]],
    ];
    for (const v of variants) expect(bytesOf(reusing(...v))).toEqual(bytesOf(listOffsetsV9.createRequest(...v)));
    expect(encode).toHaveBeenCalledTimes(1 + variants.length);
    // Every one of them is kept now: none is encoded again.
    for (const v of variants) reusing(...v);
    reusing(...argsFor("t", 50, -1n));
    expect(encode).toHaveBeenCalledTimes(1 + variants.length);
  });

  it(`keeps the ${KEPT_ENCODINGS} most recently asked, dropping the least recently used`, () => {
    const encode = vi.fn(listOffsetsV9.createRequest);
    const reusing = reusingEncodings(encode);
    for (let i = 0; i < KEPT_ENCODINGS; i++) reusing(...argsFor(`t${i}`, 2, -1n));
    reusing(...argsFor("t0", 2, -1n)); // t0 used again: t1 is now the least recent
    reusing(...argsFor("new", 2, -1n)); // drops t1
    expect(encode).toHaveBeenCalledTimes(KEPT_ENCODINGS + 1);
    reusing(...argsFor("t0", 2, -1n));
    expect(encode).toHaveBeenCalledTimes(KEPT_ENCODINGS + 1);
    reusing(...argsFor("t1", 2, -1n));
    expect(encode).toHaveBeenCalledTimes(KEPT_ENCODINGS + 2);
  });
});
