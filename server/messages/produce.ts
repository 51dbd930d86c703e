import "server-only";
import { murmur2 } from "@platformatic/kafka";
import type { ProduceInput } from "@/lib/schemas/messages";
import { sh, verbatim } from "@/lib/shell-quote";
import type { PartitionChoice, ProducedMessage } from "@/lib/types";
import { audit } from "../clusters/audit";
import type { ClusterContext } from "../clusters/context";
import { isInternalTopic } from "../clusters/internal-topics";
import { AppError } from "../errors";
import { KafkaError } from "../kafka/error-codes";
import { requireLayout, requirePartition } from "./browse";

/**
 * Producing one message from the console (POST …/messages) over the protocol layer: a Produce
 * request to the partition's leader on the cluster's pooled connection, so an external cluster's
 * TLS and SASL settings apply as to every other request. Sent once: a lost answer is 504
 * outcome_unknown, never a second copy.
 */

const TIMEOUT_MS = 10_000;

/**
 * The partition Kafka's default partitioner gives a keyed record: murmur2 of the key's bytes,
 * made positive, modulo the partition count (Java's `Utils.toPositive(Utils.murmur2(key)) % n`,
 * kafkajs's DefaultPartitioner alike).
 */
export function partitionForKey(key: Buffer, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/** Keyless records: the next partition in turn, per topic. */
const roundRobin = new Map<string, number>();

export async function choosePartition(
  ctx: Pick<ClusterContext, "id" | "gateway" | "read">,
  topic: string,
  key: string | undefined,
): Promise<PartitionChoice> {
  const layout = await requireLayout(ctx, topic);
  const n = layout.partitions.length;
  return key === undefined
    ? { topic, partitions: n, partition: null, partitioner: "round-robin" }
    : { topic, partitions: n, partition: partitionForKey(Buffer.from(key, "utf8"), n), partitioner: "murmur2" };
}

/** The same message with kcat and with Kafka's console producer, quoted for a POSIX shell. */
export function produceCommands(
  bootstrap: string[],
  topic: string,
  partition: number,
  explicit: boolean,
  input: Pick<ProduceInput, "key" | "value" | "headers" | "acks">,
): { kcat: string; consoleProducer: string } {
  const servers = bootstrap.join(",");
  const value = input.value ?? "";
  const key = input.key ?? null;
  // kcat -P sends one message per line of its input and skips empty lines; a value with newlines is
  // ended by the record-separator byte (0x1e) instead, which -D names. A null or empty value goes
  // as "key<0x1f>" with -K naming 0x1f as the key delimiter (and -Z: empty means null).
  const multiline = value.includes("\n");
  const empty = input.value === null || input.value === "";
  const kcatInput = empty
    ? key !== null
      ? sh`printf '%s\\037\\n' ${key}`
      : "printf '\\037\\n'"
    : multiline
      ? sh`printf '%s\\036' ${value}`
      : sh`printf '%s\\n' ${value}`;
  const kcatParts = [
    sh`${verbatim(kcatInput)} | kcat -P -b ${servers} -t ${topic} -p ${partition}`,
    ...(key !== null && !empty ? [sh`-k ${key}`] : []),
    ...(empty ? ["-K '\\x1f'"] : []),
    ...input.headers.map((h) => (h.value === null ? sh`-H ${h.key}` : sh`-H ${`${h.key}=${h.value}`}`)),
    ...(multiline ? ["-D '\\x1e'"] : []),
    ...(input.value === null ? ["-Z"] : []),
    sh`-X ${`acks=${input.acks === -1 ? "all" : input.acks}`}`,
    ...(input.value === "" && key === null ? ["# kcat sends an empty key with it, not none"] : []),
  ];
  // The console producer reads one message per line: headers (k:v,k:v), a tab, the key, a tab, the
  // value — its default separators; printf writes the tabs, each field one quoted argument.
  // null.marker=NULL makes "NULL" a null value or header value.
  const usesNull = input.value === null || input.headers.some((h) => h.value === null);
  const fields = [
    ...(input.headers.length > 0 ? [input.headers.map((h) => `${h.key}:${h.value ?? "NULL"}`).join(",")] : []),
    ...(key !== null ? [key] : []),
    input.value ?? "NULL",
  ];
  const cannot = [
    ...(value.includes("\n") ? ["its value has a newline (one message per line)"] : []),
    ...(key?.includes("\t") || key?.includes("\n") ? ["its key has a tab or a newline"] : []),
    ...(input.headers.some((h) => /[,:\t\n]/.test(h.key) || /[,\t\n]/.test(h.value ?? ""))
      ? ["a header has a ',' or a tab (or a ':' in its key)"]
      : []),
    ...(usesNull && [key, input.value, ...input.headers.map((h) => h.value)].includes("NULL")
      ? ['"NULL" stands for null here (null.marker), and the message also holds the text NULL']
      : []),
  ];
  const consoleProducer = [
    sh`printf ${verbatim(`'${fields.map(() => "%s").join("\\t")}\\n'`)} ${verbatim(fields.map((f) => sh`${f}`).join(" "))} | kafka-console-producer.sh --bootstrap-server ${servers} --topic ${topic}`,
    sh`--producer-property ${`acks=${input.acks === -1 ? "all" : input.acks}`}`,
    ...(key !== null ? ["--property parse.key=true"] : []),
    ...(input.headers.length > 0 ? ["--property parse.headers=true"] : []),
    ...(usesNull ? ["--property null.marker=NULL"] : []),
    ...(cannot.length > 0 ? [`# the console producer cannot send this message as it is: ${cannot.join("; ")}`] : []),
    ...(cannot.length === 0 && (explicit || key === null)
      ? [`# the console producer picks the partition itself${key !== null ? ` (by key: ${partition})` : ""}`]
      : []),
  ].join(" ");
  return { kcat: kcatParts.join(" "), consoleProducer };
}

export function produceMessage(ctx: ClusterContext, topic: string, input: ProduceInput): Promise<ProducedMessage> {
  return audit(ctx, "message.produce", { topic, partition: input.partition ?? null, acks: input.acks }, async () => {
    const layout = await requireLayout(ctx, topic);
    if (isInternalTopic(layout))
      throw new AppError(
        "internal_topic",
        `${topic} is an internal topic: Kafka writes its own records there, and a foreign one can break the clients that read it.`,
      );
    const key = input.key === null || input.key === undefined ? null : Buffer.from(input.key, "utf8");
    let partitioner: ProducedMessage["partitioner"];
    let partition: number;
    if (input.partition !== undefined) {
      partitioner = "explicit";
      partition = input.partition;
    } else if (key !== null) {
      partitioner = "murmur2";
      partition = partitionForKey(key, layout.partitions.length);
    } else {
      partitioner = "round-robin";
      partition = (roundRobin.get(topic) ?? -1) + 1;
      if (partition >= layout.partitions.length) partition = 0;
      roundRobin.set(topic, partition);
    }
    const target = requirePartition(layout, partition);
    if (target.leaderAddress === null)
      throw new AppError("cluster_unavailable", `${topic} partition ${partition} has no leader now: nothing was sent`);
    const answer = await ctx.gateway.produceRecord(
      target.leaderAddress,
      topic,
      partition,
      {
        key,
        value: input.value === null ? null : Buffer.from(input.value, "utf8"),
        headers: input.headers.map((h) => [h.key, h.value === null ? null : Buffer.from(h.value, "utf8")]),
      },
      input.acks,
      TIMEOUT_MS,
    );
    if (answer.errorCode !== 0)
      throw new KafkaError(answer.errorCode, answer.errorMessage, `${topic} partition ${partition}`);
    return {
      topic,
      partition,
      offset: input.acks === 0 ? null : Number(answer.offset),
      logAppendTime: answer.logAppendTime >= 0n ? Number(answer.logAppendTime) : null,
      partitioner,
      commands: produceCommands(ctx.read.bootstrap, topic, partition, partitioner === "explicit", input),
    };
  });
}
