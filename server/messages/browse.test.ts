import { describe, expect, it } from "vitest";
import { type MessagesQuery, messagesQuerySchema } from "@/lib/schemas/messages";
import type { MessagePage } from "@/lib/types";
import { FakeGateway, fakeContext, partition, topic } from "@/test/fakes/cluster";
import { browseMessages } from "./browse";

const T0 = 1_700_000_000_000;

/** Topic "orders": partition 0 holds offsets 0–9 (ts T0+0, +20, …), partition 1 offsets 0–4 (ts T0+5, +45, …). */
function setup() {
  const gateway = new FakeGateway({
    brokers: [1, 2],
    controller: 101,
    topics: [topic("orders", [partition(0, 1, [1]), partition(1, 2, [2])]), topic("empty", [partition(0, 1, [1])])],
  });
  const log = gateway.messages;
  for (let i = 0; i < 10; i += 2)
    log.append(
      "orders",
      0,
      [0, 1].map((j) => ({ key: `k${i + j}`, value: `p0-${i + j}`, timestamp: T0 + (i + j) * 20 })),
      { codec: i % 4 === 0 ? "gzip" : "none" },
    );
  for (let i = 0; i < 5; i++) log.append("orders", 1, [{ key: null, value: `p1-${i}`, timestamp: T0 + 5 + i * 40 }]);
  return { gateway, ctx: fakeContext(gateway) };
}

const q = (params: Record<string, string>): MessagesQuery => messagesQuerySchema.parse(params);
const values = (page: MessagePage) => page.messages.map((m) => m.value?.data);

describe("browseMessages", () => {
  it("newest N of one partition, oldest first, with offsets, timestamps, keys and codecs", async () => {
    const { ctx } = setup();
    const page = await browseMessages(ctx, "orders", q({ partition: "0", limit: "3" }));
    expect(
      page.messages.map((m) => [m.partition, m.offset, m.timestamp, m.key?.data, m.value?.data, m.compression]),
    ).toEqual([
      [0, 7, T0 + 140, "k7", "p0-7", "none"],
      [0, 8, T0 + 160, "k8", "p0-8", "gzip"],
      [0, 9, T0 + 180, "k9", "p0-9", "gzip"],
    ]);
    expect(page.partitions).toEqual([{ partition: 0, leader: 1, logStartOffset: 0, endOffset: 10, from: 7, to: 10 }]);
    expect(page.nextCursor).toBeNull();
    expect(page.prevCursor).not.toBeNull();
  });

  it("oldest N over all partitions, merged by timestamp", async () => {
    const { ctx } = setup();
    const page = await browseMessages(ctx, "orders", q({ seek: "oldest", limit: "5" }));
    expect(values(page)).toEqual(["p0-0", "p1-0", "p0-1", "p0-2", "p1-1"]);
    expect(page.messages.map((m) => m.timestamp)).toEqual([T0, T0 + 5, T0 + 20, T0 + 40, T0 + 45]);
  });

  it("pages forward and back with cursors, each page reading on from where the last stopped", async () => {
    const { gateway, ctx } = setup();
    const seen: string[] = [];
    let page = await browseMessages(ctx, "orders", q({ seek: "oldest", limit: "4" }));
    seen.push(...(values(page) as string[]));
    while (page.nextCursor) {
      const fetchesBefore = gateway.messages.fetches.length;
      page = await browseMessages(ctx, "orders", q({ cursor: page.nextCursor, limit: "4" }));
      // No Fetch of this page starts at offset 0 again: it goes on from the cursor.
      expect(gateway.messages.fetches.slice(fetchesBefore).some((f) => f.offset === 0n)).toBe(false);
      seen.push(...(values(page) as string[]));
    }
    // Every message once, in timestamp order.
    const all = await browseMessages(ctx, "orders", q({ seek: "oldest", limit: "100" }));
    expect(seen).toEqual(values(all));
    expect(seen).toHaveLength(15);
    // Back from the last page to the first.
    const back: string[][] = [];
    let prev = page.prevCursor;
    while (prev) {
      const p = await browseMessages(ctx, "orders", q({ cursor: prev, limit: "4" }));
      back.unshift(values(p) as string[]);
      prev = p.prevCursor;
    }
    expect(back.flat()).toEqual(seen.slice(0, seen.length - page.messages.length));
    // Full pages going back, the oldest one holding what is left.
    expect(back.slice(1).every((p) => p.length === 4)).toBe(true);
  });

  it("from an offset: exact, before the log start (explained, then from the start), past the end (explained)", async () => {
    const { gateway, ctx } = setup();
    const at = await browseMessages(ctx, "orders", q({ partition: "0", offset: "4", limit: "2" }));
    expect(at.messages.map((m) => m.offset)).toEqual([4, 5]);
    expect(at.notices).toEqual([]);

    gateway.messages.deleteBefore("orders", 0, 4n);
    const early = await browseMessages(ctx, "orders", q({ partition: "0", offset: "1", limit: "2" }));
    expect(early.messages.map((m) => m.offset)).toEqual([4, 5]);
    expect(early.notices).toEqual([expect.stringContaining("offset 1 is before the log start 4")]);

    const late = await browseMessages(ctx, "orders", q({ partition: "0", offset: "99" }));
    expect(late.messages).toEqual([]);
    expect(late.notices).toEqual([
      expect.stringMatching(/offset 99 is past the last stable offset 10: no message has that offset yet/),
    ]);
  });

  it("from a timestamp: the offset ListOffsets gives, per partition", async () => {
    const { ctx } = setup();
    const page = await browseMessages(ctx, "orders", q({ timestamp: String(T0 + 41), limit: "3" }));
    // p0: first ts ≥ T0+41 is offset 3 (T0+60); p1: offset 1 (T0+45).
    expect(page.messages.map((m) => `${m.partition}:${m.offset}`)).toEqual(["1:1", "0:3", "0:4"]);
    const none = await browseMessages(
      ctx,
      "orders",
      q({ partition: "1", timestamp: new Date(T0 + 10_000).toISOString() }),
    );
    expect(none.messages).toEqual([]);
    expect(none.notices[0]).toMatch(/no message has a timestamp at or after 2023-11-14T22:13:30.000Z/);
  });

  it("read_committed hides an aborted transaction and stops at an open one; read_uncommitted shows them; markers never", async () => {
    const { gateway, ctx } = setup();
    const log = gateway.messages;
    log.append("empty", 0, [{ value: "a", timestamp: T0 }]);
    log.append("empty", 0, [{ value: "aborted", timestamp: T0 + 1 }], { producerId: 5n, transactional: true });
    log.endTransaction("empty", 0, 5n, "abort", T0 + 2);
    log.append("empty", 0, [{ value: "committed", timestamp: T0 + 3 }], { producerId: 6n, transactional: true });
    log.endTransaction("empty", 0, 6n, "commit", T0 + 4);
    log.append("empty", 0, [{ value: "open", timestamp: T0 + 5 }], { producerId: 7n, transactional: true });
    const committed = await browseMessages(ctx, "empty", q({ seek: "oldest" }));
    expect(values(committed)).toEqual(["a", "committed"]);
    expect(committed.partitions[0]?.endOffset).toBe(5); // the open transaction's first offset
    const newest = await browseMessages(ctx, "empty", q({ limit: "2" }));
    expect(values(newest)).toEqual(["a", "committed"]);
    const all = await browseMessages(ctx, "empty", q({ seek: "oldest", isolation: "read_uncommitted" }));
    expect(values(all)).toEqual(["a", "aborted", "committed", "open"]);
    expect(all.messages.map((m) => m.offset)).toEqual([0, 1, 3, 5]);
  });

  it("an empty partition says so", async () => {
    const { ctx } = setup();
    const page = await browseMessages(ctx, "empty", q({}));
    expect(page.messages).toEqual([]);
    expect(page.notices).toEqual(["Partition 0 holds no messages now (below the last stable offset)."]);
    expect(page.nextCursor).toBeNull();
    expect(page.prevCursor).toBeNull();
  });

  it("an unknown topic is 404, an unknown partition 400 naming the field, a cursor for other partitions 400", async () => {
    const { ctx } = setup();
    await expect(browseMessages(ctx, "nope", q({}))).rejects.toMatchObject({ code: "topic_not_found", status: 404 });
    await expect(browseMessages(ctx, "orders", q({ partition: "2" }))).rejects.toMatchObject({
      status: 400,
      field: "partition",
      message: expect.stringContaining("orders has 2 partitions (0–1): there is no partition 2"),
    });
    const page = await browseMessages(ctx, "orders", q({ partition: "0", limit: "2" }));
    await expect(
      browseMessages(ctx, "orders", q({ partition: "1", cursor: page.prevCursor as string })),
    ).rejects.toMatchObject({ field: "cursor" });
    await expect(browseMessages(ctx, "empty", q({ cursor: page.prevCursor as string }))).rejects.toMatchObject({
      field: "cursor",
    });
  });
});
