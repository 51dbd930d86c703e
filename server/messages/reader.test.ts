import { describe, expect, it } from "vitest";
import type { FetchedPartition } from "@/server/kafka/apis";
import { encodeBatch, FakeMessageLog } from "@/test/fakes/message-log";
import type { FetchAsk } from "../kafka/message-requests";
import { readBackward, readForward, readRecords } from "./reader";

const src = { topic: "t", partition: 0, broker: "127.0.0.1:9001", isolation: "read_uncommitted" as const };
const opts = { timeoutMs: 1000 };

function logOf(n: number, perBatch: number) {
  const log = new FakeMessageLog();
  for (let i = 0; i < n; i += perBatch)
    log.append(
      "t",
      0,
      Array.from({ length: Math.min(perBatch, n - i) }, (_, j) => ({ value: `v${i + j}`, timestamp: 1000 + i + j })),
    );
  return log;
}
const gatewayOf = (log: FakeMessageLog) => ({ fetchPartition: async (_b: string, ask: FetchAsk) => log.fetch(ask) });

describe("readRecords", () => {
  it("reads [from, to) across Fetches of a small size, starting inside a batch", async () => {
    const log = logOf(100, 10);
    const offsets: bigint[] = [];
    for await (const chunk of readRecords(gatewayOf(log), src, 15n, 87n, { ...opts, maxBytes: 300 }))
      offsets.push(...chunk.map((r) => r.offset));
    expect(offsets).toEqual(Array.from({ length: 72 }, (_, i) => BigInt(15 + i)));
    expect(log.fetches.length).toBeGreaterThan(3);
    expect(log.fetches[0]?.offset).toBe(15n);
  });

  it("asks for more when one batch is larger than the Fetch size and the broker cut it", async () => {
    const big = encodeBatch({ baseOffset: 0n, records: [{ value: Buffer.alloc(5000, 1), timestamp: 1 }] });
    const asks: number[] = [];
    const gateway = {
      fetchPartition: async (_b: string, ask: FetchAsk): Promise<FetchedPartition> => {
        asks.push(ask.maxBytes);
        return {
          partition: 0,
          errorCode: 0,
          highWatermark: 1n,
          lastStableOffset: 1n,
          logStartOffset: 0n,
          abortedTransactions: [],
          records: big.subarray(0, ask.maxBytes),
        };
      },
    };
    const got = await readForward(gateway, src, 0n, 1n, 1, { ...opts, maxBytes: 1024 });
    expect(got.map((r) => r.value?.length)).toEqual([5000]);
    expect(asks).toEqual([1024, 2048, 4096, 8192]);
  });

  it("stops when its signal aborts", async () => {
    const log = logOf(100, 10);
    const controller = new AbortController();
    const seen: bigint[] = [];
    await expect(async () => {
      for await (const chunk of readRecords(gatewayOf(log), src, 0n, 100n, {
        ...opts,
        maxBytes: 200,
        signal: controller.signal,
      })) {
        seen.push(...chunk.map((r) => r.offset));
        controller.abort();
      }
    }).rejects.toThrow(/abort/i);
    expect(seen.length).toBeLessThan(100);
    expect(log.fetches).toHaveLength(1);
  });

  it("a Fetch answered with records below the position only is an error, not a loop", async () => {
    const below = encodeBatch({ baseOffset: 0n, records: [{ value: "x", timestamp: 1 }] });
    const gateway = {
      fetchPartition: async (): Promise<FetchedPartition> => ({
        partition: 0,
        errorCode: 0,
        highWatermark: 10n,
        lastStableOffset: 10n,
        logStartOffset: 0n,
        abortedTransactions: [],
        records: below,
      }),
    };
    await expect(readForward(gateway, src, 5n, 10n, 5, opts)).rejects.toThrow(/records below it only/);
  });
});

describe("readBackward", () => {
  it("widens its window until it has N records, past offsets that hold none", async () => {
    const log = new FakeMessageLog();
    log.append("t", 0, [{ value: "first", timestamp: 1 }]);
    // 30 aborted-transaction records and their marker: offsets without records under read_committed.
    log.append(
      "t",
      0,
      Array.from({ length: 30 }, (_, i) => ({ value: `a${i}`, timestamp: 2 + i })),
      {
        producerId: 9n,
        transactional: true,
      },
    );
    log.endTransaction("t", 0, 9n, "abort", 40);
    log.append("t", 0, [{ value: "last", timestamp: 50 }]);
    const rc = { ...src, isolation: "read_committed" as const };
    const got = await readBackward(gatewayOf(log), rc, 0n, 33n, 2, opts);
    expect(got.map((r) => [r.offset, r.value?.toString()])).toEqual([
      [0n, "first"],
      [32n, "last"],
    ]);
  });
});
