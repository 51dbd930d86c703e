import "server-only";
import {
  type Consumer,
  type ConsumerConfig,
  Kafka,
  logLevel,
  Partitioners,
  type Producer,
  type ProducerConfig,
} from "kafkajs";
import type { WorkloadStatus } from "@/lib/types";
import type { ClusterService } from "../cluster-service";
import { AppError } from "../errors";
import { createTopic } from "../kafka/admin-requests";
import { KafkaCode, KafkaError } from "../kafka/error-codes";
import { joinSettled } from "../kafka/join-wait";
import { withPool } from "../kafka/pool";
import { logger } from "../logger";
import { type ConsoleConsumerSpec, startConsoleConsumer, type WorkloadProcess } from "./console-consumer";

const TOPICS: {
  topic: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
  share: number;
}[] = [
  { topic: "orders", partitions: 6, replicationFactor: 3, configs: { "min.insync.replicas": "2" }, share: 0.5 },
  { topic: "payments", partitions: 3, replicationFactor: 3, configs: {}, share: 0.1 },
  { topic: "clicks", partitions: 12, replicationFactor: 2, configs: {}, share: 0.4 },
];

/**
 * Consumer groups: one keeps up, one is slow so its lag shows, one can be paused so its lag grows.
 * `perSecond` caps a slow group's pace (messages per second); null means as fast as it can.
 */
const GROUPS = [
  { groupId: "billing", topic: "orders", perSecond: null, pace: "keeps up" },
  { groupId: "analytics", topic: "clicks", perSecond: 0.25, pace: "slow: a quarter of the clicks rate" },
  { groupId: "audit", topic: "payments", perSecond: null, pace: "keeps up until paused" },
] as const;

/**
 * Groups run by Kafka's own console consumer, a JVM child process: kafkajs speaks only the classic
 * group protocol, and these use the KIP-848 one (group.protocol=consumer).
 */
const CONSOLE_GROUPS = [
  {
    groupId: "shipping",
    topic: "orders",
    protocol: "consumer",
    pace: "keeps up: Kafka's console consumer, group.protocol=consumer",
  },
] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the workload needs of a kafkajs client (the real `Kafka` has it; tests pass a fake). */
export interface WorkloadKafka {
  producer(config: ProducerConfig): Pick<Producer, "connect" | "disconnect" | "sendBatch">;
  consumer(config: ConsumerConfig): Pick<Consumer, "connect" | "disconnect" | "subscribe" | "run" | "pause" | "resume">;
}

/**
 * The seams to the cluster: make sure the demo topics exist with leaders, make a client, and run
 * Kafka's console consumer (a JVM that exits when Quorum does, see console-consumer.ts).
 */
export interface WorkloadDeps {
  prepareTopics(): Promise<void>;
  kafka(): WorkloadKafka;
  consoleConsumer(spec: Omit<ConsoleConsumerSpec, "bootstrap">): WorkloadProcess;
}

export type WorkloadCluster = Pick<ClusterService, "id" | "bootstrap" | "embedded" | "awaitMetadata">;

/** Creates the demo topics (those that exist are kept) and waits until each partition has a leader. */
async function prepareTopics(cluster: WorkloadCluster): Promise<void> {
  const brokers = cluster.embedded?.config.brokers ?? 3;
  for (const t of TOPICS) {
    const replicationFactor = Math.min(t.replicationFactor, brokers);
    const configs = { ...t.configs };
    if (configs["min.insync.replicas"]) configs["min.insync.replicas"] = String(Math.min(2, replicationFactor));
    try {
      await withPool({ tls: null, sasl: null }, (pool) =>
        createTopic(pool, cluster.bootstrap, { name: t.topic, partitions: t.partitions, replicationFactor, configs }),
      );
    } catch (err) {
      if (!(err instanceof KafkaError && err.errorCode === KafkaCode.TOPIC_ALREADY_EXISTS)) throw err;
    }
  }
  const ready = await cluster.awaitMetadata(
    "demo topics with leaders",
    (snap) =>
      TOPICS.every((t) => {
        const found = snap.topics.find((x) => x.name === t.topic);
        return found && found.partitions.length >= t.partitions && found.partitions.every((p) => p.leader >= 0);
      }),
    15_000,
  );
  if (!ready) throw new Error("the demo topics have no leaders yet");
}

export function clusterDeps(cluster: WorkloadCluster): WorkloadDeps {
  return {
    prepareTopics: () => prepareTopics(cluster),
    kafka: () =>
      new Kafka({
        clientId: "quorum-demo",
        brokers: cluster.bootstrap,
        logLevel: logLevel.NOTHING,
        retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 3000 },
      }),
    consoleConsumer: (spec) => startConsoleConsumer({ ...spec, bootstrap: cluster.bootstrap }),
  };
}

type Client = { disconnect(): Promise<void> };
type State = "stopped" | "starting" | "running" | "stopping";

/**
 * Demo traffic for the embedded cluster: a producer at a modest keyed rate over orders, payments
 * and clicks, three kafkajs consumer groups (classic protocol) and one group of Kafka's console
 * consumer (KIP-848 consumer protocol). It rides out brokers stopping (the clients retry) and
 * never takes the app down with it.
 *
 * Start and stop are serialised: each call says what is wanted and queues one step that brings the
 * workload there (`stopped → starting → running → stopping → stopped`), so however fast they come
 * there is at most one produce loop, a start during a stop runs once the stop is done, a stop
 * during a start waits for it and then stops, and every client made is disconnected (and every
 * console consumer ended, by its pid) on stop.
 */
export class DemoWorkload {
  private state: State = "stopped";
  /** What the last start or stop asked for. */
  private wanted = false;
  /** The queue of steps: one at a time. */
  private steps: Promise<void> = Promise.resolve();
  /** Ends the wait between two start attempts early (a stop came). */
  private wake: (() => void) | null = null;
  /** Every client made by the current run, connected or not: all are disconnected on stop. */
  private clients: Client[] = [];
  /** Each consumer's run, settled once it has joined its group (or crashed). */
  private joins = new Map<Client, Promise<void>>();
  /** Every console consumer started by the current run: all are ended on stop. */
  private processes: WorkloadProcess[] = [];
  private producer: Pick<Producer, "sendBatch"> | null = null;
  private consumers = new Map<string, Pick<Consumer, "pause" | "resume">>();
  private paused = new Set<string>();
  private consumed = new Map<string, number>();
  private loop: Promise<void> | null = null;
  private loops = 0;
  private produced = 0;
  private producerErrors = 0;
  private lastError: string | null = null;
  /** Failed start attempts so far. */
  private failures = 0;

  constructor(
    private readonly cluster: WorkloadCluster,
    readonly enabled: boolean,
    private rate: number,
    private readonly deps: WorkloadDeps = clusterDeps(cluster),
    private readonly retryMs = 3000,
  ) {}

  /** Produce loops running now: 0 or 1. */
  get produceLoops(): number {
    return this.loops;
  }

  status(): WorkloadStatus {
    return {
      enabled: this.enabled,
      running: this.state === "running",
      starting: this.wanted && this.state !== "running",
      rate: this.rate,
      produced: this.produced,
      producerErrors: this.producerErrors,
      lastError: this.lastError,
      topics: TOPICS.map(({ share: _share, ...t }) => t),
      groups: [
        ...GROUPS.map((g) => ({
          groupId: g.groupId,
          topic: g.topic,
          type: "classic" as const,
          consumed: this.consumed.get(g.groupId) ?? 0,
          paused: this.paused.has(g.groupId),
          pausable: true,
          pace: g.pace,
        })),
        ...CONSOLE_GROUPS.map((g) => ({
          groupId: g.groupId,
          topic: g.topic,
          type: g.protocol,
          consumed: this.consumed.get(g.groupId) ?? 0,
          paused: false,
          pausable: false,
          pace: g.pace,
        })),
      ],
    };
  }

  /**
   * Starts the workload, and keeps trying (every 3 s) until it runs or is stopped: right after the
   * cluster starts, or while brokers are down, a first attempt can fail. Answers once it runs, once
   * an attempt failed, or after 5 s, with what it is doing.
   */
  async start(): Promise<WorkloadStatus> {
    this.wanted = true;
    const failures = this.failures;
    let settled = false;
    void this.enqueue().then(() => {
      settled = true;
    });
    // Give a healthy cluster the moment it needs, so the answer says "running" (or why not yet).
    for (let i = 0; i < 50 && !settled && this.state !== "running" && this.failures === failures; i++) {
      await sleep(100);
    }
    return this.status();
  }

  /** Stops the workload: answers once its produce loop has ended and every client is disconnected. */
  async stop(): Promise<WorkloadStatus> {
    this.wanted = false;
    this.wake?.();
    await this.enqueue();
    return this.status();
  }

  private enqueue(): Promise<void> {
    this.steps = this.steps.then(() => this.settle());
    return this.steps;
  }

  /** One step: brings the workload to what is wanted now (never throws). */
  private async settle(): Promise<void> {
    if (this.wanted && this.state === "stopped") {
      this.state = "starting";
      let outcome: "running" | "abandoned" | "failed" = "failed";
      while (this.wanted) {
        outcome = await this.attempt();
        if (outcome !== "failed") break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.retryMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
      if (outcome === "running") {
        this.state = "running";
        this.loop = this.produce();
        logger.info({ action: "workload.start", cluster: this.cluster.id, rate: this.rate }, "demo workload running");
      } else {
        this.state = "stopped";
      }
    }
    if (!this.wanted && this.state === "running") {
      this.state = "stopping";
      await this.teardown();
      this.state = "stopped";
      logger.info({ action: "workload.stop", cluster: this.cluster.id }, "demo workload stopped");
    }
  }

  /** One try at starting: running, abandoned (a stop came meanwhile: nothing is left running) or failed. */
  private async attempt(): Promise<"running" | "abandoned" | "failed"> {
    try {
      await this.deps.prepareTopics();
      if (!this.wanted) return "abandoned";
      const kafka = this.deps.kafka();
      const producer = kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
      });
      this.clients.push(producer);
      await producer.connect();
      this.producer = producer;
      for (const g of GROUPS) {
        if (!this.wanted) break;
        await this.startConsumer(kafka, g);
      }
      for (const g of CONSOLE_GROUPS) {
        if (!this.wanted) break;
        this.startConsoleConsumer(g);
      }
      if (!this.wanted) {
        await this.teardown();
        return "abandoned";
      }
      this.lastError = null;
      return "running";
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      logger.warn({ err: this.lastError }, "demo workload could not start yet: trying again");
      await this.teardown();
      // Counted once cleaned up: a start() that answers on this failure finds nothing left connected.
      this.failures++;
      return "failed";
    }
  }

  /** Ends the produce loop, then disconnects every client and ends every process this run made. */
  private async teardown(): Promise<void> {
    await this.loop?.catch(() => {});
    this.loop = null;
    const clients = this.clients;
    const joins = this.joins;
    const processes = this.processes;
    this.clients = [];
    this.joins = new Map();
    this.processes = [];
    this.producer = null;
    this.consumers.clear();
    this.paused.clear();
    await Promise.all([
      // A consumer still joining its group is disconnected once the join ends (see joinSettled).
      ...clients.map(async (c) => {
        await joinSettled(joins.get(c) ?? Promise.resolve());
        await this.disconnect(c);
      }),
      ...processes.map((p) =>
        p.stop().catch((err: unknown) => {
          this.lastError = `a console consumer did not stop: ${err instanceof Error ? err.message : String(err)}`;
        }),
      ),
    ]);
  }

  /** Starts Kafka's console consumer in a group; it counts what it reads, and an early exit is reported. */
  private startConsoleConsumer(g: (typeof CONSOLE_GROUPS)[number]): void {
    const child = this.deps.consoleConsumer({
      topic: g.topic,
      groupId: g.groupId,
      protocol: g.protocol,
      clientId: `quorum-demo-${g.groupId}`,
      onMessage: () => this.consumed.set(g.groupId, (this.consumed.get(g.groupId) ?? 0) + 1),
      onExit: ({ code, signal, lastError }) => {
        this.lastError = `the ${g.groupId} console consumer exited (${signal ?? `code ${code}`})${lastError ? `: ${lastError}` : ""}`;
        logger.warn({ cluster: this.cluster.id, group: g.groupId, err: this.lastError }, "demo workload");
      },
    });
    this.processes.push(child);
  }

  /**
   * Disconnects a client, trying again a few times: a kafkajs consumer asked to disconnect while it
   * is joining its group can fail, and would otherwise stay connected with nobody holding it.
   */
  private async disconnect(client: Client): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.disconnect();
        return;
      } catch (err) {
        if (attempt >= 5) {
          this.lastError = `a client did not disconnect: ${err instanceof Error ? err.message : String(err)}`;
          logger.warn({ cluster: this.cluster.id, err: this.lastError }, "demo workload");
          return;
        }
        await sleep(attempt * 200);
      }
    }
  }

  setPaused(groupId: string, paused: boolean): WorkloadStatus {
    if (CONSOLE_GROUPS.some((g) => g.groupId === groupId)) {
      throw new AppError(
        "conflict",
        `The demo group "${groupId}" is Kafka's console consumer, a separate JVM: it cannot be paused`,
      );
    }
    const group = GROUPS.find((g) => g.groupId === groupId);
    if (!group) throw new AppError("group_not_found", `The demo workload has no group "${groupId}"`);
    const consumer = this.state === "running" ? this.consumers.get(groupId) : undefined;
    if (!consumer) throw new AppError("conflict", "The demo workload is not running");
    if (paused) {
      consumer.pause([{ topic: group.topic }]);
      this.paused.add(groupId);
    } else {
      consumer.resume([{ topic: group.topic }]);
      this.paused.delete(groupId);
    }
    logger.info(
      { action: paused ? "workload.pause" : "workload.resume", cluster: this.cluster.id, group: groupId },
      "demo group",
    );
    return this.status();
  }

  private async startConsumer(kafka: WorkloadKafka, g: (typeof GROUPS)[number]): Promise<void> {
    const consumer = kafka.consumer({ groupId: g.groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    this.clients.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: g.topic, fromBeginning: false });
    const share = TOPICS.find((t) => t.topic === g.topic)?.share ?? 1;
    const joined = consumer
      .run({
        autoCommitInterval: 1000,
        eachMessage: async () => {
          this.consumed.set(g.groupId, (this.consumed.get(g.groupId) ?? 0) + 1);
          if (g.perSecond !== null) await sleep(1000 / Math.max(0.5, this.rate * share * g.perSecond));
        },
      })
      .catch((err: unknown) => {
        this.lastError = err instanceof Error ? err.message : String(err);
      });
    this.joins.set(consumer, joined);
    this.consumers.set(g.groupId, consumer);
  }

  /** Every 100 ms, a batch for each topic by its share of the rate, keyed by customer. */
  private async produce(): Promise<void> {
    this.loops++;
    try {
      const owed = new Map<string, number>();
      let customer = 0;
      while (this.state === "running") {
        const started = Date.now();
        const topicMessages = TOPICS.map((t) => {
          const due = (owed.get(t.topic) ?? 0) + (this.rate * t.share) / 10;
          const n = Math.floor(due);
          owed.set(t.topic, due - n);
          return {
            topic: t.topic,
            messages: Array.from({ length: n }, () => {
              customer = (customer + 1) % 97;
              return { key: `customer-${customer}`, value: JSON.stringify({ customer, at: started }) };
            }),
          };
        }).filter((t) => t.messages.length > 0);
        const count = topicMessages.reduce((a, t) => a + t.messages.length, 0);
        if (count > 0 && this.producer) {
          try {
            await this.producer.sendBatch({ topicMessages, acks: -1, timeout: 5000 });
            this.produced += count;
          } catch (err) {
            this.producerErrors += count;
            this.lastError = err instanceof Error ? err.message : String(err);
          }
        }
        await sleep(Math.max(0, 100 - (Date.now() - started)));
      }
    } finally {
      this.loops--;
    }
  }
}
