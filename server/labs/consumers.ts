import "server-only";
import { type Consumer, Kafka, logLevel } from "kafkajs";
import { AppError } from "../errors";
import { logger } from "../logger";

/** A lab consumer: one kafkajs consumer (classic protocol) in a lab group, numbered from 1 within it. */
export interface LabConsumerInfo {
  group: string;
  topic: string;
  member: number;
  clientId: string;
  consumed: number;
}

interface Running extends LabConsumerInfo {
  consumer: Consumer;
}

/** The most consumers a lab group runs at once. */
export const MAX_LAB_CONSUMERS = 4;

/**
 * The consumers a guided lab starts and stops (the consumer groups lab: two members share a topic's
 * partitions; one stops and the group rebalances; none left and lag grows). Each is a kafkajs
 * consumer that reads from the beginning and commits every second; stopping one disconnects it, so
 * it leaves its group at once. Only groups and topics named `lab-…` are used (the route checks).
 */
export class LabConsumers {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly clusterId: string,
    private readonly bootstrap: () => string[],
  ) {}

  list(): LabConsumerInfo[] {
    return [...this.running.values()]
      .map(({ consumer: _c, ...info }) => info)
      .sort((a, b) => a.group.localeCompare(b.group) || a.member - b.member);
  }

  /** Starts `count` more consumers in `group` on `topic`; resolves once each has joined (connect, subscribe, run). */
  async start(group: string, topic: string, count: number): Promise<LabConsumerInfo[]> {
    const mine = [...this.running.values()].filter((r) => r.group === group);
    if (mine.some((r) => r.topic !== topic))
      throw new AppError("conflict", `Lab group ${group} already reads ${mine[0]?.topic}, not ${topic}`);
    if (mine.length + count > MAX_LAB_CONSUMERS)
      throw new AppError(
        "conflict",
        `A lab group runs at most ${MAX_LAB_CONSUMERS} consumers; ${group} has ${mine.length}`,
      );
    const kafka = new Kafka({
      clientId: `quorum-lab-${this.clusterId}`,
      brokers: this.bootstrap(),
      logLevel: logLevel.NOTHING,
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 3000 },
    });
    const started: LabConsumerInfo[] = [];
    for (let i = 0; i < count; i++) {
      const member =
        Math.max(0, ...[...this.running.values()].filter((r) => r.group === group).map((r) => r.member)) + 1;
      const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1000 });
      const entry: Running = { group, topic, member, clientId: `lab-consumer-${member}`, consumed: 0, consumer };
      this.running.set(`${group}/${member}`, entry);
      try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        consumer
          .run({
            autoCommitInterval: 1000,
            eachMessage: async () => {
              entry.consumed++;
            },
          })
          .catch((err: unknown) => logger.warn({ group, member, err: String(err) }, "lab consumer stopped"));
      } catch (err) {
        this.running.delete(`${group}/${member}`);
        await consumer.disconnect().catch(() => {});
        throw new AppError("cluster_unavailable", `Lab consumer ${member} of ${group} could not start: ${String(err)}`);
      }
      const { consumer: _c, ...info } = entry;
      started.push(info);
    }
    return started;
  }

  /** Stops one consumer of a group (it leaves the group: the others rebalance). */
  async stop(group: string, member: number): Promise<void> {
    const entry = this.running.get(`${group}/${member}`);
    if (!entry) throw new AppError("not_found", `Lab group ${group} has no consumer ${member} running`);
    this.running.delete(`${group}/${member}`);
    await entry.consumer.disconnect();
  }

  /** Stops every lab consumer (a lab's reset, Quorum's shutdown). */
  async stopAll(): Promise<void> {
    const all = [...this.running.values()];
    this.running.clear();
    await Promise.all(all.map((r) => r.consumer.disconnect().catch(() => {})));
  }
}
