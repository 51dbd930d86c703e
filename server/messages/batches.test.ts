import { describe, expect, it } from "vitest";
import { encodeBatch, zstdStoredFrame } from "@/test/fakes/message-log";
import { type Codec, decodeBatches, visibleRecords } from "./batches";

const records = [
  { key: "k1", value: "hello", headers: [["h", "v"]] as [string, string][], timestamp: 1_700_000_000_000 },
  { key: null, value: Buffer.from([0xff, 0x00, 0x80]), timestamp: 1_700_000_000_005 },
  {
    key: "k3",
    value: null,
    headers: [
      ["a", "1"],
      ["a", "2"],
      ["n", null],
    ] as [string, string | null][],
    timestamp: 1_699_999_999_999,
  },
];

describe("decodeBatches", () => {
  it.each<Codec>(["none", "gzip", "snappy", "lz4", "zstd"])(
    "reads a %s batch: offsets, timestamps, keys, values, headers",
    (codec) => {
      const [batch, ...rest] = decodeBatches(encodeBatch({ baseOffset: 40n, records, codec }));
      expect(rest).toEqual([]);
      expect(batch).toMatchObject({ baseOffset: 40n, lastOffset: 42n, codec, control: false, transactional: false });
      const rs = batch?.records ?? [];
      expect(rs.map((r) => r.offset)).toEqual([40n, 41n, 42n]);
      expect(rs.map((r) => r.timestamp)).toEqual([1_700_000_000_000n, 1_700_000_000_005n, 1_699_999_999_999n]);
      expect(rs.map((r) => r.key?.toString() ?? null)).toEqual(["k1", null, "k3"]);
      expect(rs[0]?.value?.toString()).toBe("hello");
      expect(rs[1]?.value).toEqual(Buffer.from([0xff, 0x00, 0x80]));
      expect(rs[2]?.value).toBeNull();
      expect(rs[2]?.headers.map(([k, v]) => [k.toString(), v?.toString() ?? null])).toEqual([
        ["a", "1"],
        ["a", "2"],
        ["n", null],
      ]);
      expect(rs.every((r) => r.codec === codec && r.timestampType === "CreateTime")).toBe(true);
      // length varint (1 byte here) + attributes 1 + ts delta 1 + offset delta 1 + key 1+2 + value 1+5 + headers 1 + "h" 1+1 + "v" 1+1
      expect(rs[0]?.size).toBe(1 + 1 + 1 + 1 + 3 + 6 + 1 + 2 + 2);
    },
  );

  it("reads a zstd frame with more than one block (the stored frame is real zstd for fzstd)", () => {
    const big = Buffer.alloc(300_000, "x");
    expect(zstdStoredFrame(big).length).toBeGreaterThan(big.length); // three raw blocks, not compressed
    const [batch] = decodeBatches(
      encodeBatch({ baseOffset: 0n, records: [{ value: big, timestamp: 1 }], codec: "zstd" }),
    );
    expect(batch?.records[0]?.value?.equals(big)).toBe(true);
  });

  it("gives LogAppendTime batches the broker's time for every record", () => {
    const [batch] = decodeBatches(encodeBatch({ baseOffset: 0n, records, logAppendTime: 1_800_000_000_000 }));
    expect(batch?.records.map((r) => [r.timestamp, r.timestampType])).toEqual([
      [1_800_000_000_000n, "LogAppendTime"],
      [1_800_000_000_000n, "LogAppendTime"],
      [1_800_000_000_000n, "LogAppendTime"],
    ]);
  });

  it("leaves out a last batch cut short by the Fetch size limit, and only it", () => {
    const a = encodeBatch({ baseOffset: 0n, records: records.slice(0, 1) });
    const b = encodeBatch({ baseOffset: 1n, records: records.slice(1) });
    for (const cut of [1, 11, 12, 30, b.length - 1]) {
      const out = decodeBatches(Buffer.concat([a, b.subarray(0, cut)]));
      expect(out.map((x) => x.baseOffset)).toEqual([0n]);
    }
    expect(decodeBatches(Buffer.concat([a, b])).map((x) => x.baseOffset)).toEqual([0n, 1n]);
  });

  it("refuses a batch whose records do not fill it, and old message formats", () => {
    const a = encodeBatch({ baseOffset: 0n, records: records.slice(0, 1) });
    const padded = Buffer.concat([a, Buffer.alloc(3)]);
    padded.writeInt32BE(a.readInt32BE(8) + 3, 8);
    expect(() => decodeBatches(padded)).toThrow(/left over/);
    const v1 = Buffer.from(a);
    v1.writeInt8(1, 16);
    expect(() => decodeBatches(v1)).toThrow(/message format v1/);
  });
});

describe("visibleRecords", () => {
  const t = 1_700_000_000_000;
  // offsets: 0 plain, 1-2 txn of producer 7 (aborted), 3 abort marker, 4-5 txn of producer 8, 6 commit marker, 7 plain
  const log = Buffer.concat([
    encodeBatch({ baseOffset: 0n, records: [{ value: "plain-0", timestamp: t }] }),
    encodeBatch({
      baseOffset: 1n,
      records: [
        { value: "aborted-1", timestamp: t },
        { value: "aborted-2", timestamp: t },
      ],
      producerId: 7n,
      transactional: true,
    }),
    encodeBatch({ baseOffset: 3n, records: [{ value: null, timestamp: t }], producerId: 7n, marker: "abort" }),
    encodeBatch({
      baseOffset: 4n,
      records: [
        { value: "committed-4", timestamp: t },
        { value: "committed-5", timestamp: t },
      ],
      producerId: 8n,
      transactional: true,
    }),
    encodeBatch({ baseOffset: 6n, records: [{ value: null, timestamp: t }], producerId: 8n, marker: "commit" }),
    encodeBatch({ baseOffset: 7n, records: [{ value: "plain-7", timestamp: t }] }),
  ]);
  const batches = decodeBatches(log);

  it("marks control batches and reads their marker", () => {
    expect(batches.filter((b) => b.control).map((b) => [b.baseOffset, b.abortMarker])).toEqual([
      [3n, true],
      [6n, false],
    ]);
  });

  it("read_committed hides the aborted transaction's records; control records are never shown", () => {
    const shown = visibleRecords(batches, true, [{ producerId: 7n, firstOffset: 1n }]);
    expect(shown.map((r) => [r.offset, r.value?.toString()])).toEqual([
      [0n, "plain-0"],
      [4n, "committed-4"],
      [5n, "committed-5"],
      [7n, "plain-7"],
    ]);
  });

  it("read_uncommitted shows the aborted records too, still without control records", () => {
    const shown = visibleRecords(batches, false, []);
    expect(shown.map((r) => r.offset)).toEqual([0n, 1n, 2n, 4n, 5n, 7n]);
  });

  it("a producer aborted later in the log is not hidden before its listed first offset", () => {
    // Producer 8 listed as aborted from offset 6: its batch 4–5 ends before that, so it stays shown.
    const shown = visibleRecords(batches, true, [{ producerId: 8n, firstOffset: 6n }]);
    expect(shown.map((r) => r.offset)).toEqual([0n, 1n, 2n, 4n, 5n, 7n]);
  });
});
