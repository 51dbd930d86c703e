import { describe, expect, it } from "vitest";
import type { RawRecord } from "./batches";
import { type Direction, decodeCursor, encodeCursor, mergeStreams, type PartitionRecord, pagePositions } from "./seek";

const rec = (partition: number, offset: number, timestamp: number): PartitionRecord => ({
  partition,
  record: {
    offset: BigInt(offset),
    timestamp: BigInt(timestamp),
    key: null,
    value: null,
    headers: [],
    size: 0,
    codec: "none",
    timestampType: "CreateTime",
  } satisfies RawRecord,
});
const ids = (xs: PartitionRecord[]) => xs.map((x) => `${x.partition}:${x.record.offset}`);

/** Each list (one partition's records in offset order) as a stream of chunks of `size`, counting the chunks read. */
function streamsOf(lists: PartitionRecord[][], direction: Direction, size = 2) {
  const pulled = lists.map(() => 0);
  const streams = lists.map((list, i) => {
    const ordered = direction === "forward" ? list : [...list].reverse();
    async function* chunks() {
      for (let at = 0; at < ordered.length; at += size) {
        pulled[i] = (pulled[i] as number) + 1;
        yield ordered.slice(at, at + size).map((x) => x.record);
      }
    }
    return { partition: list[0]?.partition ?? i, chunks: chunks() };
  });
  return { streams, pulled };
}
const mergeForward = (lists: PartitionRecord[][], limit: number) =>
  mergeStreams(streamsOf(lists, "forward").streams, limit, "forward");
const mergeBackward = (lists: PartitionRecord[][], limit: number) =>
  mergeStreams(streamsOf(lists, "backward").streams, limit, "backward");

describe("merge by timestamp", () => {
  const p0 = [rec(0, 10, 100), rec(0, 11, 300), rec(0, 12, 500)];
  const p1 = [rec(1, 0, 200), rec(1, 1, 300), rec(1, 2, 600)];
  const p2: PartitionRecord[] = [];

  it("forward: the first N by (timestamp, partition, offset)", async () => {
    expect(ids(await mergeForward([p0, p1, p2], 4))).toEqual(["0:10", "1:0", "0:11", "1:1"]);
    expect(ids(await mergeForward([p0, p1, p2], 100))).toEqual(["0:10", "1:0", "0:11", "1:1", "0:12", "1:2"]);
  });

  it("backward: the last N, oldest first", async () => {
    expect(ids(await mergeBackward([p0, p1, p2], 3))).toEqual(["1:1", "0:12", "1:2"]);
  });

  it("keeps each partition in offset order even when its timestamps go back", async () => {
    const odd = [rec(0, 0, 500), rec(0, 1, 100)];
    const other = [rec(1, 0, 300)];
    expect(ids(await mergeForward([odd, other], 3))).toEqual(["1:0", "0:0", "0:1"]);
    // From the tails: 1:0 (300) is newer than 0:1 (100), then 0:1; never 0:0 before 0:1.
    expect(ids(await mergeBackward([odd, other], 2))).toEqual(["0:1", "1:0"]);
  });
});

describe("lazy merge", () => {
  it("reads a partition only as far as the merge takes from it (one chunk ahead)", async () => {
    const busy = Array.from({ length: 20 }, (_, i) => rec(0, i, 100 + i));
    const quiet = Array.from({ length: 20 }, (_, i) => rec(1, i, 1000 + i));
    const { streams, pulled } = streamsOf([busy, quiet], "forward", 2);
    expect(ids(await mergeStreams(streams, 5, "forward"))).toEqual(["0:0", "0:1", "0:2", "0:3", "0:4"]);
    expect(pulled).toEqual([3, 1]);
    const back = streamsOf([busy, quiet], "backward", 2);
    expect(ids(await mergeStreams(back.streams, 3, "backward"))).toEqual(["1:17", "1:18", "1:19"]);
    expect(back.pulled).toEqual([1, 2]);
  });
});

describe("cursors", () => {
  it("round-trip a direction and positions beyond 2^53", () => {
    const c = {
      topic: "orders",
      direction: "backward" as const,
      positions: new Map([
        [0, 5n],
        [3, 9_007_199_254_740_993n],
      ]),
    };
    expect(decodeCursor(encodeCursor(c), "orders")).toEqual(c);
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["JSON but not a cursor", Buffer.from('{"v":2}').toString("base64url")],
    ["a negative offset", Buffer.from('{"v":1,"t":"orders","d":"f","p":[[0,"-1"]]}').toString("base64url")],
    ["no partitions", Buffer.from('{"v":1,"t":"orders","d":"f","p":[]}').toString("base64url")],
  ])("refuses %s, naming the field", (_what, text) => {
    expect(() => decodeCursor(text, "orders")).toThrow(
      expect.objectContaining({ code: "validation_failed", field: "cursor" }),
    );
  });

  it("refuses a cursor of another topic", () => {
    const c = encodeCursor({ topic: "a", direction: "forward", positions: new Map([[0, 1n]]) });
    expect(() => decodeCursor(c, "b")).toThrow(/another topic/);
  });
});

describe("pagePositions", () => {
  it("continues after each partition's last and before its first; a partition with none stays put", () => {
    const start = new Map([
      [0, 10n],
      [1, 0n],
      [2, 7n],
    ]);
    const { next, prev } = pagePositions(start, [rec(0, 10, 1), rec(1, 0, 2), rec(0, 11, 3)]);
    expect(next).toEqual(
      new Map([
        [0, 12n],
        [1, 1n],
        [2, 7n],
      ]),
    );
    expect(prev).toEqual(
      new Map([
        [0, 10n],
        [1, 0n],
        [2, 7n],
      ]),
    );
  });
});
