import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { messagesQuerySchema, produceSchema } from "@/lib/schemas/messages";
import { FakeGateway, fakeContext, partition, topic } from "@/test/fakes/cluster";
import { browseMessages } from "./browse";
import { partitionForKey, produceCommands, produceMessage } from "./produce";

const setup = () => {
  const gateway = new FakeGateway({
    brokers: [1, 2, 3],
    controller: 101,
    topics: [
      topic("orders", [partition(0, 1, [1]), partition(1, 2, [2]), partition(2, 3, [3])]),
      topic("__consumer_offsets", [partition(0, 1, [1])], true),
    ],
  });
  return { gateway, ctx: fakeContext(gateway) };
};

describe("partitionForKey", () => {
  // Kafka's own vectors for Utils.murmur2 (clients' UtilsTest), then toPositive(h) % n.
  it.each([
    ["21", -973932308],
    ["foobar", -790332482],
    ["a-little-bit-long-string", -985981536],
    ["a-little-bit-longer-string", -1486304829],
    ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
    ["abc", 479470107],
  ])("%s hashes as Kafka's murmur2 does", (key, hash) => {
    for (const n of [1, 3, 7, 100]) expect(partitionForKey(Buffer.from(key), n)).toBe((hash & 0x7fffffff) % n);
  });
});

describe("produceMessage", () => {
  it("writes key, value and headers to the key's partition and answers its offset", async () => {
    const { gateway, ctx } = setup();
    const input = produceSchema.parse({
      key: "foobar",
      value: '{"a":1}',
      valueType: "json",
      headers: [{ key: "h", value: "v" }],
    });
    const out = await produceMessage(ctx, "orders", input);
    const expected = (-790332482 & 0x7fffffff) % 3;
    expect(out).toMatchObject({ topic: "orders", partition: expected, offset: 0, partitioner: "murmur2" });
    const page = await browseMessages(ctx, "orders", messagesQuerySchema.parse({ partition: String(expected) }));
    expect(page.messages.map((m) => [m.offset, m.key?.data, m.value?.data, m.headers])).toEqual([
      [0, "foobar", '{"a":1}', [{ key: "h", value: { format: "text", data: "v", size: 1, truncated: false } }]],
    ]);
    expect(gateway.calls.map((c) => c.op)).toEqual(["produceRecord"]);
  });

  it("an explicit partition wins; keyless messages go round-robin; acks=0 has no offset", async () => {
    const { ctx } = setup();
    expect((await produceMessage(ctx, "orders", produceSchema.parse({ value: "x", partition: 2 }))).partition).toBe(2);
    const spread = [];
    for (let i = 0; i < 3; i++)
      spread.push((await produceMessage(ctx, "orders", produceSchema.parse({ value: "x" }))).partition);
    expect(new Set(spread)).toEqual(new Set([0, 1, 2]));
    expect(await produceMessage(ctx, "orders", produceSchema.parse({ value: "x", acks: 0 }))).toMatchObject({
      offset: null,
    });
  });

  it("refuses internal topics (409) and unknown partitions (400) without sending", async () => {
    const { gateway, ctx } = setup();
    await expect(produceMessage(ctx, "__consumer_offsets", produceSchema.parse({ value: "x" }))).rejects.toMatchObject({
      code: "internal_topic",
      status: 409,
    });
    await expect(
      produceMessage(ctx, "orders", produceSchema.parse({ value: "x", partition: 3 })),
    ).rejects.toMatchObject({
      field: "partition",
      status: 400,
    });
    await expect(produceMessage(ctx, "nope", produceSchema.parse({ value: "x" }))).rejects.toMatchObject({
      status: 404,
    });
    expect(gateway.calls).toEqual([]);
  });
});

describe("produceCommands", () => {
  it("quotes every part for the shell: the command prints the same value back", () => {
    const value = `it's "quoted" $HOME; rm -rf /`;
    const { kcat, consoleProducer } = produceCommands(["127.0.0.1:9092"], "orders", 1, false, {
      key: "k 1",
      value,
      headers: [{ key: "trace id", value: "a=b" }],
      acks: -1,
    });
    expect(kcat).toBe(
      `printf '%s\\n' 'it'\\''s "quoted" $HOME; rm -rf /' | kcat -P -b 127.0.0.1:9092 -t orders -p 1 -k 'k 1' -H 'trace id=a=b' -X acks=all`,
    );
    expect(consoleProducer).toContain("kafka-console-producer.sh --bootstrap-server 127.0.0.1:9092 --topic orders");
    // The printf part of each, run by a real shell, gives back exactly the value (and the tab-separated line).
    const printed = execFileSync("sh", ["-c", kcat.split(" | ")[0] as string], { encoding: "utf8" });
    expect(printed).toBe(`${value}\n`);
    const line = execFileSync("sh", ["-c", consoleProducer.split(" | ")[0] as string], { encoding: "utf8" });
    expect(line).toBe(`trace id:a=b\tk 1\t${value}\n`);
  });
});
