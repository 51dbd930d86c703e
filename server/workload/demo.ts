import "server-only";
import { type Consumer, Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import type { WorkloadStatus } from "@/lib/types";
import type { ClusterService } from "../cluster-service";
import { AppError } from "../errors";
import { createTopic } from "../kafka/admin-requests";
import { KafkaCode, KafkaError } from "../kafka/error-codes";
import { logger } from "../logger";

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Demo traffic for the embedded cluster: a producer at a modest keyed rate over orders, payments
 * and clicks, and three consumer groups. It rides out brokers stopping (the clients retry) and
 * never takes the app down with it.
 */
export class DemoWorkload {
  private producer: Producer | null = null;
  private consumers = new Map<string, Consumer>();
  private paused = new Set<string>();
  private consumed = new Map<string, number>();
  private running = false;
  /** Someone asked for the workload to run (it may still be trying to start). */
  private wanted = false;
  private loop: Promise<void> | null = null;
  private produced = 0;
  private producerErrors = 0;
  private lastError: string | null = null;

  constructor(
    private readonly cluster: ClusterService,
    readonly enabled: boolean,
    private rate: number,
  ) {}

  status(): WorkloadStatus {
    return {
      enabled: this.enabled,
      running: this.running,
      starting: this.wanted && !this.running,
      rate: this.rate,
      produced: this.produced,
      producerErrors: this.producerErrors,
      lastError: this.lastError,
      topics: TOPICS.map(({ share: _share, ...t }) => t),
      groups: GROUPS.map((g) => ({
        groupId: g.groupId,
        topic: g.topic,
        consumed: this.consumed.get(g.groupId) ?? 0,
        paused: this.paused.has(g.groupId),
        pace: g.pace,
      })),
    };
  }

  /**
   * Starts the workload, and keeps trying (every 3 s) until it runs or is stopped: right after the
   * cluster starts, or while brokers are down, a first attempt can fail.
   */
  async start(): Promise<WorkloadStatus> {
    if (this.wanted) return this.status();
    this.wanted = true;
    void (async () => {
      while (this.wanted && !this.running) {
        if (await this.attempt()) break;
        await sleep(3000);
      }
    })();
    // Give a healthy cluster the moment it needs, so the answer says "running".
    for (let i = 0; i < 50 && this.wanted && !this.running && !this.lastError; i++) await sleep(100);
    return this.status();
  }

  private async attempt(): Promise<boolean> {
    try {
      const brokers = this.cluster.embedded?.config.brokers ?? 3;
      for (const t of TOPICS) {
        const replicationFactor = Math.min(t.replicationFactor, brokers);
        const configs = { ...t.configs };
        if (configs["min.insync.replicas"]) configs["min.insync.replicas"] = String(Math.min(2, replicationFactor));
        try {
          await createTopic(this.cluster.bootstrap, {
            name: t.topic,
            partitions: t.partitions,
            replicationFactor,
            configs,
          });
        } catch (err) {
          if (!(err instanceof KafkaError && err.errorCode === KafkaCode.TOPIC_ALREADY_EXISTS)) throw err;
        }
      }
      const ready = await this.cluster.awaitMetadata(
        "demo topics with leaders",
        (snap) =>
          TOPICS.every((t) => {
            const found = snap.topics.find((x) => x.name === t.topic);
            return found && found.partitions.length >= t.partitions && found.partitions.every((p) => p.leader >= 0);
          }),
        15_000,
      );
      if (!ready) throw new Error("the demo topics have no leaders yet");
      const kafka = new Kafka({
        clientId: "quorum-demo",
        brokers: this.cluster.bootstrap,
        logLevel: logLevel.NOTHING,
        retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 3000 },
      });
      this.producer = kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
      });
      await this.producer.connect();
      for (const g of GROUPS) await this.startConsumer(kafka, g);
      if (!this.wanted) {
        await this.teardown();
        return true;
      }
      this.running = true;
      this.lastError = null;
      this.loop = this.produce();
      logger.info({ action: "workload.start", cluster: this.cluster.id, rate: this.rate }, "demo workload running");
      return true;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      logger.warn({ err: this.lastError }, "demo workload could not start yet: trying again");
      await this.teardown();
      return false;
    }
  }

  async stop(): Promise<WorkloadStatus> {
    this.wanted = false;
    await this.teardown();
    logger.info({ action: "workload.stop", cluster: this.cluster.id }, "demo workload stopped");
    return this.status();
  }

  private async teardown(): Promise<void> {
    this.running = false;
    await this.loop?.catch(() => {});
    this.loop = null;
    await Promise.all([...this.consumers.values()].map((c) => c.disconnect().catch(() => {})));
    this.consumers.clear();
    this.paused.clear();
    await this.producer?.disconnect().catch(() => {});
    this.producer = null;
  }

  setPaused(groupId: string, paused: boolean): WorkloadStatus {
    const group = GROUPS.find((g) => g.groupId === groupId);
    if (!group) throw new AppError("group_not_found", `The demo workload has no group "${groupId}"`);
    const consumer = this.consumers.get(groupId);
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

  private async startConsumer(kafka: Kafka, g: (typeof GROUPS)[number]): Promise<void> {
    const consumer = kafka.consumer({ groupId: g.groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    await consumer.connect();
    await consumer.subscribe({ topic: g.topic, fromBeginning: false });
    const share = TOPICS.find((t) => t.topic === g.topic)?.share ?? 1;
    void consumer.run({
      autoCommitInterval: 1000,
      eachMessage: async () => {
        this.consumed.set(g.groupId, (this.consumed.get(g.groupId) ?? 0) + 1);
        if (g.perSecond !== null) await sleep(1000 / Math.max(0.5, this.rate * share * g.perSecond));
      },
    });
    this.consumers.set(g.groupId, consumer);
  }

  /** Every 100 ms, a batch for each topic by its share of the rate, keyed by customer. */
  private async produce(): Promise<void> {
    const owed = new Map<string, number>();
    let customer = 0;
    while (this.running) {
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
  }
}
