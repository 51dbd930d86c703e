import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getPartition } from "@/app/api/clusters/[cluster]/topics/[topic]/messages/partition/route";
import { GET as getMessages, POST as postMessage } from "@/app/api/clusters/[cluster]/topics/[topic]/messages/route";
import { GET as getSearch } from "@/app/api/clusters/[cluster]/topics/[topic]/messages/search/route";
import { GET as getTail } from "@/app/api/clusters/[cluster]/topics/[topic]/messages/tail/route";
import { messagesQuerySchema } from "@/lib/schemas/messages";
import type { KafkaMessage, MessagePage, ProducedMessage } from "@/lib/types";
import type { ClusterService } from "@/server/cluster-service";
import { browseMessages } from "@/server/messages/browse";
import { startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { hasKcat } from "../helpers/kcat";
import { type Handler, serveThroughRoutes } from "../helpers/routes";

// Messages read by Quorum against what independent clients wrote and read: kcat (librdkafka) for
// plain and compressed records, Kafka's own Java producer for transactions, Kafka's own
// ConsumerGroupCommand for the groups.

const libs = path.join(__dirname, "../../.cache/kafka/libs");
const CODECS = ["none", "gzip", "snappy", "lz4", "zstd"] as const;

/** A transactional producer from Kafka's own client jars: each argument "commit:v1,v2" or "abort:v1,v2" is one transaction. */
const TXN_PRODUCER = `
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

public class TxnProducer {
  public static void main(String[] a) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", a[0]);
    p.put("transactional.id", a[3]);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      producer.initTransactions();
      for (int i = 4; i < a.length; i++) {
        String[] parts = a[i].split(":", 2);
        producer.beginTransaction();
        for (String v : parts[1].split(",")) producer.send(new ProducerRecord<>(a[1], Integer.parseInt(a[2]), "txn", v)).get();
        if (parts[0].equals("commit")) producer.commitTransaction(); else producer.abortTransaction();
      }
    }
    System.out.println("done");
  }
}
`;

function java(mainOrSource: string, args: string[], timeout = 120_000) {
  const r = spawnSync(
    "java",
    ["-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", `${libs}${path.sep}*`, mainOrSource, ...args],
    { encoding: "utf8", timeout },
  );
  if (r.status !== 0) throw new Error(`java ${mainOrSource} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function kcat(args: string[], input?: string): string {
  return execFileSync("kcat", args, {
    input,
    encoding: "utf8",
    timeout: 30_000,
    stdio: ["pipe", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
}

interface KcatRecord {
  partition: number;
  offset: number;
  timestamp: number;
  key: string;
  value: string;
  headers: string;
}

/** Every record of a topic as kcat consumes it (no group: `-C` assigns partitions itself), `%p %o %T %k %s %h`, tab-separated. */
function kcatRecords(bootstrap: string[], topic: string, extra: string[] = []): KcatRecord[] {
  const out = kcat([
    "-b",
    bootstrap.join(","),
    "-C",
    "-t",
    topic,
    "-o",
    "beginning",
    "-e",
    "-q",
    "-f",
    "%p\t%o\t%T\t%k\t%s\t%h\n",
    ...extra,
  ]);
  return out
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const [p, o, t, k, s, h] = l.split("\t");
      return {
        partition: Number(p),
        offset: Number(o),
        timestamp: Number(t),
        key: k ?? "",
        value: s ?? "",
        headers: h ?? "",
      };
    });
}

/** A message as kcat prints it: empty strings for no key, `k=v,k=v` headers. */
const asKcat = (m: KafkaMessage): KcatRecord => ({
  partition: m.partition,
  offset: m.offset,
  timestamp: m.timestamp,
  key: m.key?.data ?? "",
  value: m.value?.data ?? "",
  headers: m.headers.map((h) => `${h.key}=${h.value?.data ?? ""}`).join(","),
});

const byOffset = (a: KcatRecord, b: KcatRecord) => a.partition - b.partition || a.offset - b.offset;

/** The Server-Sent Events of a streaming answer, one {event, data} at a time, as a browser reads them. */
async function* sseEvents(res: Response): AsyncGenerator<{ event: string; data: Record<string, unknown> }> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) yield { event, data: JSON.parse(data) as Record<string, unknown> };
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

describe.skipIf(!hasKcat)("messages", () => {
  let tc: TestCluster;
  let service: ClusterService;
  const codecs = uniqueName("codecs");
  const txn = uniqueName("txn");
  const spread = uniqueName("spread");
  const appendTime = uniqueName("append-time");
  const internalish = "__quorum_internal_test";
  const haystack = uniqueName("haystack");
  const live = uniqueName("live");
  /** Records per partition of `haystack` (2 partitions); every 97th value holds "needle". */
  const HAY = 10_000;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-msg-"));
  const bootstrap = () => tc.bootstrap.join(",");

  const page = async (topic: string, params: Record<string, string>): Promise<MessagePage> =>
    browseMessages(service, topic, messagesQuerySchema.parse(params));

  const route = async (
    handler: Handler,
    topic: string,
    query: string,
    init: { method?: string; body?: unknown } = {},
  ) => {
    const res = await handler(
      new Request(`http://127.0.0.1/api/clusters/local/topics/${encodeURIComponent(topic)}/messages${query}`, {
        method: init.method ?? "GET",
        ...(init.body !== undefined
          ? { body: JSON.stringify(init.body), headers: { "content-type": "application/json" } }
          : {}),
      }),
      { params: Promise.resolve({ cluster: "local", topic }) as Promise<never> },
    );
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 2 });
    service = serveThroughRoutes(tc.cluster);
    for (const [name, partitions] of [
      [codecs, 1],
      [txn, 1],
      [spread, 3],
      [internalish, 1],
      [haystack, 2],
      [live, 1],
    ] as const)
      await service.createTopic({ name, partitions, replicationFactor: 2, configs: {} });
    // Each codec in its own kcat run, so each lands as its own compressed batch(es), keys and headers on every record.
    for (const codec of CODECS) {
      const lines = Array.from({ length: 40 }, (_, i) => `${codec}-key-${i}:${codec} value ${i} ${"x".repeat(i * 7)}`);
      kcat(
        [
          "-b",
          bootstrap(),
          "-P",
          "-t",
          codecs,
          "-p",
          "0",
          "-z",
          codec,
          "-K",
          ":",
          "-H",
          `codec=${codec}`,
          "-H",
          "source=kcat",
        ],
        `${lines.join("\n")}\n`,
      );
      await new Promise((r) => setTimeout(r, 30)); // distinct timestamps between the runs
    }
    await service.createTopic({
      name: appendTime,
      partitions: 1,
      replicationFactor: 2,
      configs: { "message.timestamp.type": "LogAppendTime" },
    });
    kcat(["-b", bootstrap(), "-P", "-t", appendTime, "-p", "0", "-K", ":"], "a:1\nb:2\nc:3\n");
    // Transactions from Kafka's own producer, between plain records from kcat.
    kcat(["-b", bootstrap(), "-P", "-t", txn, "-p", "0", "-K", ":"], "plain:before\n");
    const src = path.join(tmp, "TxnProducer.java");
    fs.writeFileSync(src, TXN_PRODUCER);
    expect(java(src, [bootstrap(), txn, "0", uniqueName("tx"), "abort:a1,a2,a3", "commit:c1,c2"])).toContain("done");
    kcat(["-b", bootstrap(), "-P", "-t", txn, "-p", "0", "-K", ":"], "plain:after\n");
    // Keyed records spread by librdkafka's Java-compatible partitioner.
    for (let p = 0; p < 3; p++)
      kcat(
        ["-b", bootstrap(), "-P", "-t", spread, "-p", String(p), "-K", ":"],
        `${Array.from({ length: 20 }, (_, i) => `p${p}-${i}:v${i}`).join("\n")}\n`,
      );
    // ~100-byte values, every 97th with "needle" (and some JSON), so a search takes many Fetches.
    for (let p = 0; p < 2; p++)
      kcat(
        // Batches of at most 16 KiB, as a producer under light load sends them: a partition is many batches.
        ["-b", bootstrap(), "-P", "-t", haystack, "-p", String(p), "-K", "|", "-X", "batch.size=16384"],
        `${Array.from({ length: HAY }, (_, i) =>
          i % 97 === 0
            ? `k${i}|{"n":${i},"tag":"needle","pad":"${"y".repeat(60)}"}`
            : `k${i}|record ${p}-${i} hay hay ${"z".repeat(70)}`,
        ).join("\n")}\n`,
      );
  });

  afterAll(async () => {
    await tc?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("reads every codec back exactly as kcat consumes it: offsets, timestamps, keys, values, headers, in order", async () => {
    const expected = kcatRecords(tc.bootstrap, codecs);
    expect(expected).toHaveLength(CODECS.length * 40);
    const got = await page(codecs, { seek: "oldest", limit: "1000", maxValueBytes: "100000" });
    expect(got.messages.map(asKcat)).toEqual(expected);
    // The codec each batch came in is the one kcat was told, and header `codec` says which that was.
    for (const m of got.messages) expect(m.compression).toBe(m.headers.find((h) => h.key === "codec")?.value?.data);
    expect(new Set(got.messages.map((m) => m.compression))).toEqual(new Set(CODECS));
    expect(got.messages.every((m) => m.timestampType === "CreateTime" && m.size > 0)).toBe(true);
    // Newest N: the last N kcat saw; and the previous page is the N before.
    const newest = await page(codecs, { limit: "25" });
    expect(newest.messages.map(asKcat)).toEqual(expected.slice(-25));
    const before = await page(codecs, { cursor: newest.prevCursor as string, limit: "25" });
    expect(before.messages.map(asKcat)).toEqual(expected.slice(-50, -25));
    const after = await page(codecs, { cursor: before.nextCursor as string, limit: "25" });
    expect(after.messages.map(asKcat)).toEqual(expected.slice(-25));
  });

  it("LogAppendTime topics show the broker's time, as kcat does", async () => {
    const expected = kcatRecords(tc.bootstrap, appendTime);
    expect(expected.map((r) => r.value)).toEqual(["1", "2", "3"]);
    const tstypes = kcat(["-b", bootstrap(), "-C", "-t", appendTime, "-o", "beginning", "-e", "-q", "-J"])
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { tstype: string }).tstype);
    expect(tstypes).toEqual(["logappend", "logappend", "logappend"]);
    const got = await page(appendTime, { seek: "oldest" });
    expect(got.messages.map(asKcat)).toEqual(expected);
    expect(got.messages.map((m) => m.timestampType)).toEqual(["LogAppendTime", "LogAppendTime", "LogAppendTime"]);
  });

  it("hides the aborted transaction under read_committed and shows it under read_uncommitted; control records never", async () => {
    const committed = kcatRecords(tc.bootstrap, txn); // librdkafka's default isolation is read_committed
    const uncommitted = kcatRecords(tc.bootstrap, txn, ["-X", "isolation.level=read_uncommitted"]);
    expect(committed.map((r) => r.value)).toEqual(["before", "c1", "c2", "after"]);
    expect(uncommitted.map((r) => r.value)).toEqual(["before", "a1", "a2", "a3", "c1", "c2", "after"]);

    const rc = await page(txn, { seek: "oldest" });
    expect(rc.messages.map(asKcat)).toEqual(committed);
    const ru = await page(txn, { seek: "oldest", isolation: "read_uncommitted" });
    expect(ru.messages.map(asKcat)).toEqual(uncommitted);
    // Two markers (abort, commit) took offsets 4 and 7 and are not messages.
    expect(ru.messages.map((m) => m.offset)).toEqual([0, 1, 2, 3, 5, 6, 8]);
    expect(ru.partitions[0]?.endOffset).toBe(9);
    const newest = await page(txn, { limit: "3" });
    expect(newest.messages.map((m) => m.value?.data)).toEqual(["c1", "c2", "after"]);
  });

  it("a seek by timestamp lands where Kafka's ListOffsets says (kcat -Q)", async () => {
    const all = kcatRecords(tc.bootstrap, codecs);
    const picks = [all[0], all[40], all[41], all[120], all[all.length - 1]].map((r) => r?.timestamp as number);
    for (const ts of [...picks, (picks[1] as number) - 1, (picks[4] as number) + 1, 0]) {
      const q = kcat(["-b", bootstrap(), "-Q", "-t", `${codecs}:0:${ts}`]);
      const offset = Number(/offset (-?\d+)/.exec(q)?.[1]);
      const got = await page(codecs, { partition: "0", timestamp: String(ts), limit: "1" });
      if (offset < 0) {
        expect(got.messages).toEqual([]);
        expect(got.notices[0]).toMatch(/no message has a timestamp at or after/);
      } else expect(got.messages[0]?.offset).toBe(offset);
    }
  });

  it("merges partitions by timestamp: the same records as kcat, ordered by time", async () => {
    const expected = kcatRecords(tc.bootstrap, spread).sort(byOffset);
    const got = await page(spread, { seek: "oldest", limit: "1000" });
    expect([...got.messages.map(asKcat)].sort(byOffset)).toEqual(expected);
    const ts = got.messages.map((m) => m.timestamp);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    // Paging forward 7 at a time gives the same sequence.
    const paged: KafkaMessage[] = [];
    let next: string | null = null;
    let first = true;
    while (first || next) {
      const p: MessagePage = await page(
        spread,
        first ? { seek: "oldest", limit: "7" } : { cursor: next as string, limit: "7" },
      );
      paged.push(...p.messages);
      next = p.nextCursor;
      first = false;
    }
    expect(paged.map(asKcat)).toEqual(got.messages.map(asKcat));
  });

  it("browsing creates no consumer group (Kafka's ConsumerGroupCommand --list before and after)", async () => {
    const kafka = new Kafka({ clientId: "quorum-it", brokers: tc.bootstrap, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const control = uniqueName("control-group");
    await admin.setOffsets({ groupId: control, topic: codecs, partitions: [{ partition: 0, offset: "1" }] });
    await admin.disconnect();
    const list = () =>
      java("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", ["--bootstrap-server", bootstrap(), "--list"])
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .sort();
    const before = list();
    expect(before).toContain(control); // the command does list groups
    await page(codecs, { seek: "oldest", limit: "1000" });
    await page(spread, {});
    await page(txn, { isolation: "read_uncommitted" });
    await route(getMessages, codecs, "?limit=10");
    expect(list()).toEqual(before);
  });

  it("a message produced through POST is read back by kcat at the partition and offset the route reported", async () => {
    const key = "order-4711";
    const body = {
      key,
      value: '{"amount": 12.5, "note": "it\'s ok"}',
      valueType: "json",
      headers: [
        { key: "trace", value: "t-1" },
        { key: "src", value: "quorum" },
      ],
    };
    const choice = await route(getPartition, spread, `/partition?key=${key}`);
    expect(choice.status).toBe(200);
    const res = await route(postMessage, spread, "", { method: "POST", body });
    expect(res.status).toBe(201);
    const out = res.body as unknown as ProducedMessage;
    expect(out).toMatchObject({ partition: choice.body.partition, partitioner: "murmur2" });
    const read = kcat([
      "-b",
      bootstrap(),
      "-C",
      "-t",
      spread,
      "-p",
      String(out.partition),
      "-o",
      String(out.offset),
      "-c",
      "1",
      "-e",
      "-q",
      "-f",
      "%p\t%o\t%k\t%s\t%h\n",
    ]);
    expect(read).toBe(`${out.partition}\t${out.offset}\t${key}\t${body.value}\ttrace=t-1,src=quorum\n`);

    // librdkafka's Java-compatible partitioner puts the same key on the same partition.
    kcat(
      ["-b", bootstrap(), "-P", "-t", spread, "-X", "topic.partitioner=murmur2_random", "-K", ":"],
      `${key}:by-kcat\n`,
    );
    const landed = kcatRecords(tc.bootstrap, spread).find((r) => r.value === "by-kcat");
    expect(landed?.partition).toBe(out.partition);

    // The kcat command the answer shows, run as shown, writes the same message again.
    execFileSync("sh", ["-c", out.commands.kcat], { timeout: 30_000 });
    const again = kcatRecords(tc.bootstrap, spread).filter((r) => r.key === key && r.value === body.value);
    expect(again.map((r) => [r.partition, r.headers])).toEqual([
      [out.partition, "trace=t-1,src=quorum"],
      [out.partition, "trace=t-1,src=quorum"],
    ]);
  });

  it("the kcat and console-producer commands of an answer, run as shown, write the same message", async () => {
    /** The last record of a partition as kcat's JSON shows it. */
    const last = (partition: number) => {
      const out = kcat([
        "-b",
        bootstrap(),
        "-C",
        "-t",
        spread,
        "-p",
        String(partition),
        "-o",
        "-1",
        "-c",
        "1",
        "-e",
        "-q",
        "-J",
      ]);
      const j = JSON.parse(out) as {
        offset: number;
        key: string | null;
        payload: string | null;
        headers?: (string | null)[];
      };
      return { offset: j.offset, key: j.key, payload: j.payload, headers: j.headers ?? [] };
    };
    const inputs = [
      {
        key: "multi",
        value: "line 1\nline 2\n",
        headers: [
          { key: "h", value: "1" },
          { key: "nothing", value: null },
        ],
      },
      { key: "tomb", value: null },
      { key: null, value: "", partition: 1 },
      {
        key: "j",
        value: '{"a": [1, 2], "b": "x y"}',
        valueType: "json",
        headers: [
          { key: "k", value: "v:w" },
          { key: "n", value: null },
        ],
      },
    ];
    let consoleRuns = 0;
    for (const input of inputs) {
      const res = await route(postMessage, spread, "", { method: "POST", body: input });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const out = res.body as unknown as ProducedMessage;
      const written = last(out.partition);
      expect(written.offset).toBe(out.offset);
      expect(written).toMatchObject({
        key: input.key,
        payload: input.value,
        headers: (input.headers ?? []).flatMap((h) => [h.key, h.value]),
      });
      execFileSync("sh", ["-c", out.commands.kcat], { timeout: 30_000 });
      const byKcat = last(out.partition);
      // kcat cannot send an empty value without a key: the command says it adds an empty key.
      const keyByKcat = out.commands.kcat.includes("kcat sends an empty key") ? "" : written.key;
      expect({ ...byKcat, offset: 0 }, out.commands.kcat).toEqual({ ...written, key: keyByKcat, offset: 0 });
      expect(byKcat.offset).toBe(written.offset + 1);
      if (input.key !== null && !out.commands.consoleProducer.includes("cannot send")) {
        const java = `java -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '${libs}/*' org.apache.kafka.tools.ConsoleProducer`;
        execFileSync("sh", ["-c", out.commands.consoleProducer.replace("kafka-console-producer.sh", java)], {
          timeout: 90_000,
          stdio: "ignore",
        });
        const byConsole = last(out.partition); // by key: the same partition as ours
        expect({ ...byConsole, offset: 0 }, out.commands.consoleProducer).toEqual({ ...written, offset: 0 });
        expect(byConsole.offset).toBe(written.offset + 2);
        consoleRuns++;
      }
    }
    expect(consoleRuns).toBe(2); // "tomb" and "j"; "multi" cannot go line by line
  });

  it("answers bad input with 4xx naming the field, and refuses internal topics and read-only clusters", async () => {
    const cases: [string, string, number, string | undefined][] = [
      [codecs, "?offset=-1", 400, "offset"],
      [codecs, "?offset=abc", 400, "offset"],
      [codecs, "?limit=1001", 400, "limit"],
      [codecs, "?partition=5", 400, "partition"],
      [codecs, "?isolation=dirty", 400, "isolation"],
      [codecs, "?cursor=nonsense", 400, "cursor"],
      [uniqueName("missing"), "", 404, undefined],
    ];
    for (const [topic, query, status, field] of cases) {
      const res = await route(getMessages, topic, query);
      expect({ query, status: res.status }).toEqual({ query, status });
      expect(res.body.error).toMatchObject({
        code: expect.any(String),
        message: expect.any(String),
        ...(field ? { field } : {}),
      });
    }
    const past = await route(getMessages, codecs, "?offset=100000&partition=0");
    expect(past.status).toBe(200);
    expect((past.body as unknown as MessagePage).notices[0]).toMatch(
      /offset 100000 is past the last stable offset 200/,
    );

    const bad = await route(postMessage, spread, "", { method: "POST", body: { value: "{nope", valueType: "json" } });
    expect(bad).toMatchObject({ status: 400, body: { error: { field: "value" } } });
    const internal = await route(postMessage, internalish, "", { method: "POST", body: { value: "x" } });
    expect(internal).toMatchObject({ status: 409, body: { error: { code: "internal_topic" } } });
    expect(kcatRecords(tc.bootstrap, internalish)).toEqual([]);

    service.read.access = { ...service.read.access, readOnly: true };
    try {
      const refused = await route(postMessage, spread, "", { method: "POST", body: { value: "x" } });
      expect(refused).toMatchObject({ status: 403, body: { error: { code: "read_only" } } });
      const read = await route(getMessages, spread, "?limit=1");
      expect(read.status).toBe(200);
    } finally {
      service.read.access = { ...service.read.access, readOnly: false };
    }
  });

  const searchRoute = (topic: string, query: string, signal?: AbortSignal) =>
    getSearch(new Request(`http://127.0.0.1/api/clusters/local/topics/${topic}/messages/search${query}`, { signal }), {
      params: Promise.resolve({ cluster: "local", topic }) as Promise<never>,
    });

  it("search: the matches are exactly what grep finds in kcat's output, with progress and the count read", async () => {
    const all = kcatRecords(tc.bootstrap, haystack);
    expect(all).toHaveLength(2 * HAY);
    const grep = all.filter((r) => r.value.includes("needle")).map((r) => `${r.partition}:${r.offset}:${r.value}`);
    // grep -c over the same kcat output, as a shell would count it.
    const grepCount = Number(
      execFileSync("sh", ["-c", `kcat -b ${bootstrap()} -C -t ${haystack} -o beginning -e -q | grep -c needle`], {
        encoding: "utf8",
      }).trim(),
    );
    expect(grep.length).toBe(grepCount);
    const res = await searchRoute(haystack, "?mode=substring&pattern=needle&maxMatches=10000");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const found: string[] = [];
    const progress: number[] = [];
    let done: Record<string, unknown> | null = null;
    for await (const e of sseEvents(res)) {
      if (e.event === "match") {
        const m = e.data as unknown as KafkaMessage;
        found.push(`${m.partition}:${m.offset}:${m.value?.data}`);
      } else if (e.event === "progress") progress.push(e.data.scanned as number);
      else if (e.event === "done") done = e.data;
    }
    expect(found.sort()).toEqual(grep.sort());
    expect(done).toMatchObject({ reason: "end", scanned: 2 * HAY, matched: grepCount });
    expect((done?.rate as number) > 0).toBe(true);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    // A JSON path and a regex over the same data agree with the same records.
    const jp = await searchRoute(haystack, "?mode=jsonpath&path=n&op=%3E%3D&operand=9000&in=value&maxMatches=10000");
    const jpFound: number[] = [];
    for await (const e of sseEvents(jp))
      if (e.event === "match") jpFound.push((e.data as unknown as KafkaMessage).offset);
    expect(jpFound.length).toBe(all.filter((r) => r.value.includes("needle") && r.offset >= 9000).length);
    const rx = await searchRoute(
      haystack,
      `?mode=regex&pattern=${encodeURIComponent("^record 1-12[0-9]{2} ")}&maxMatches=10000`,
    );
    let rxCount = 0;
    for await (const e of sseEvents(rx)) if (e.event === "match") rxCount++;
    expect(rxCount).toBe(all.filter((r) => /^record 1-12[0-9]{2} /.test(r.value)).length);
  });

  it("search: a client that goes away stops the scan (no Fetch after), and budgets end it with the reason", async () => {
    const original = service.gateway.fetchPartition.bind(service.gateway);
    let fetches = 0;
    service.gateway.fetchPartition = (...args) => {
      fetches++;
      return original(...args);
    };
    try {
      const full = await searchRoute(haystack, "?mode=substring&pattern=needle&maxMatches=10000");
      for await (const _ of sseEvents(full));
      const fullFetches = fetches;
      expect(fullFetches).toBeGreaterThan(6);

      fetches = 0;
      const ctl = new AbortController();
      const res = await searchRoute(haystack, "?mode=substring&pattern=needle&maxMatches=10000", ctl.signal);
      const events = sseEvents(res);
      for await (const e of events) if (e.event === "match") break; // the generator's finally cancels the body
      ctl.abort();
      await new Promise((r) => setTimeout(r, 300));
      const atCancel = fetches;
      await new Promise((r) => setTimeout(r, 700));
      expect(fetches).toBe(atCancel);
      expect(atCancel).toBeLessThan(fullFetches);

      const budget = await searchRoute(haystack, "?mode=substring&pattern=needle&maxMessages=1234");
      let done: Record<string, unknown> | null = null;
      for await (const e of sseEvents(budget)) if (e.event === "done") done = e.data;
      expect(done).toMatchObject({ reason: "max_messages", scanned: 1234 });
    } finally {
      service.gateway.fetchPartition = original;
    }
  });

  it("search: an invalid regex, a budget over the cap and an unknown topic answer 4xx before any stream", async () => {
    for (const [topic, query, status, field] of [
      [haystack, "?mode=regex&pattern=a(b", 400, "pattern"],
      [haystack, "?mode=regex&pattern=(a)%5C1", 400, "pattern"],
      [haystack, "?mode=substring&pattern=x&maxMessages=10000001", 400, "maxMessages"],
      [uniqueName("missing"), "?mode=substring&pattern=x", 404, undefined],
    ] as const) {
      const res = await searchRoute(topic, query);
      expect({ query, status: res.status }).toEqual({ query, status });
      const body = (await res.json()) as { error: { field?: string } };
      if (field) expect(body.error.field).toBe(field);
    }
  });

  it("tail: a message kcat writes arrives over the stream; over the rate cap, records are counted as skipped", async () => {
    const ctl = new AbortController();
    const res = await getTail(
      new Request(`http://127.0.0.1/api/clusters/local/topics/${live}/messages/tail?maxRate=5`, { signal: ctl.signal }),
      { params: Promise.resolve({ cluster: "local", topic: live }) as Promise<never> },
    );
    expect(res.status).toBe(200);
    const events = sseEvents(res);
    const next = async () => (await events.next()).value as { event: string; data: Record<string, unknown> };
    expect((await next()).event).toBe("start");
    kcat(["-b", bootstrap(), "-P", "-t", live, "-p", "0", "-K", ":", "-H", "via=kcat"], "tail-key:hello tail\n");
    const first = await next();
    expect(first.event).toBe("message");
    expect(first.data).toMatchObject({
      partition: 0,
      offset: 0,
      key: { data: "tail-key" },
      value: { data: "hello tail" },
      headers: [{ key: "via", value: { data: "kcat" } }],
    });
    // 60 at once: at most 5 a second reach the client, the rest are counted.
    kcat(
      ["-b", bootstrap(), "-P", "-t", live, "-p", "0"],
      `${Array.from({ length: 60 }, (_, i) => `burst-${i}`).join("\n")}\n`,
    );
    const received: number[] = [];
    let stats: Record<string, unknown> | null = null;
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      const e = await next();
      if (e.event === "message") received.push((e.data as unknown as KafkaMessage).offset);
      if (e.event === "stats") {
        stats = e.data;
        if ((stats.seen as number) >= 61) break;
      }
    }
    ctl.abort();
    await events.return(undefined);
    expect(stats).toMatchObject({ seen: 61, skipped: 61 - (stats?.sent as number) });
    expect(stats?.sent as number).toBeLessThanOrEqual(11); // the first message, and at most 5 per one-second window
    expect(stats?.skipped as number).toBeGreaterThan(40);
    expect(received.length + 1).toBe(stats?.sent);
    expect([...received].sort((a, b) => a - b)).toEqual(received);
  });
});
