import "server-only";
import { type Consumer, Kafka, logLevel } from "kafkajs";
import { AppError } from "../errors";
import { joinSettled } from "../kafka/join-wait";
import { logger } from "../logger";

/** A lab consumer: one kafkajs consumer (classic protocol) in a lab group, numbered 1–4 within it. */
export interface LabConsumerInfo {
  group: string;
  topic: string;
  member: number;
  clientId: string;
  consumed: number;
}

interface Running extends LabConsumerInfo {
  consumer: Consumer;
  /** Settles when the consumer's run has joined its group, or failed to. */
  joined: Promise<void>;
}

/** The most consumers a lab group runs at once (members are numbered 1 to this). */
export const MAX_LAB_CONSUMERS = 4;

const keyOf = (group: string, member: number) => `${group}/${member}`;

/**
 * The consumers a guided lab starts and stops (the consumer groups lab: two members share a topic's
 * partitions; one stops and the group rebalances; none left and lag grows). Each is a kafkajs
 * consumer that reads from the beginning and commits every second; stopping one disconnects it, so
 * it leaves its group at once. Only groups and topics named `lab-…` are used (the route checks).
 *
 * A start reserves its members' numbers (the lowest free of 1–4) before it connects anything, so
 * starts asked at once never pass the cap; a stop of all (a reset) during a start is seen by that
 * start after each step, which then disconnects what it made instead of leaving it running.
 */
export class LabConsumers {
  private readonly running = new Map<string, Running>();
  /** Bumped by stopAll: a start begun before it disconnects what it made. */
  private epoch = 0;

  constructor(
    private readonly clusterId: string,
    private readonly bootstrap: () => string[],
  ) {}

  list(): LabConsumerInfo[] {
    return [...this.running.values()]
      .map(({ consumer: _c, joined: _j, ...info }) => info)
      .sort((a, b) => a.group.localeCompare(b.group) || a.member - b.member);
  }

  /** Starts `count` more consumers in `group` on `topic`; resolves once each has joined (connect, subscribe, run). */
  async start(group: string, topic: string, count: number): Promise<LabConsumerInfo[]> {
    const mine = [...this.running.values()].filter((r) => r.group === group);
    if (mine.some((r) => r.topic !== topic))
      throw new AppError("conflict", `Lab group ${group} already reads ${mine[0]?.topic}, not ${topic}`);
    const free = Array.from({ length: MAX_LAB_CONSUMERS }, (_, i) => i + 1).filter(
      (m) => !this.running.has(keyOf(group, m)),
    );
    if (free.length < count)
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
    const epoch = this.epoch;
    // Every member's place is taken before anything is awaited.
    const entries = free.slice(0, count).map((member): Running => {
      const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1000 });
      const entry: Running = {
        group,
        topic,
        member,
        clientId: `lab-consumer-${member}`,
        consumed: 0,
        consumer,
        joined: Promise.resolve(),
      };
      this.running.set(keyOf(group, member), entry);
      return entry;
    });
    const stillWanted = (e: Running) => this.epoch === epoch && this.running.get(keyOf(group, e.member)) === e;
    const started: LabConsumerInfo[] = [];
    for (const [i, entry] of entries.entries()) {
      try {
        if (stillWanted(entry)) await entry.consumer.connect();
        if (stillWanted(entry)) await entry.consumer.subscribe({ topic, fromBeginning: true });
        if (!stillWanted(entry)) {
          await entry.consumer.disconnect().catch(() => {});
          continue;
        }
        entry.joined = entry.consumer
          .run({
            autoCommitInterval: 1000,
            eachMessage: async () => {
              entry.consumed++;
            },
          })
          .catch((err: unknown) =>
            logger.warn({ group, member: entry.member, err: String(err) }, "lab consumer stopped"),
          );
      } catch (err) {
        // This one and the ones not started yet give their places back.
        for (const e of entries.slice(i)) {
          if (this.running.get(keyOf(group, e.member)) === e) this.running.delete(keyOf(group, e.member));
          await e.consumer.disconnect().catch(() => {});
        }
        throw new AppError(
          "cluster_unavailable",
          `Lab consumer ${entry.member} of ${group} could not start: ${String(err)}`,
        );
      }
      const { consumer: _c, joined: _j, ...info } = entry;
      started.push(info);
    }
    return started;
  }

  /** Stops one consumer of a group (it leaves the group: the others rebalance). */
  async stop(group: string, member: number): Promise<void> {
    const entry = this.running.get(keyOf(group, member));
    if (!entry) throw new AppError("not_found", `Lab group ${group} has no consumer ${member} running`);
    this.running.delete(keyOf(group, member));
    await this.end(entry);
  }

  /**
   * Disconnects a consumer once its join has ended (it then leaves its group at once): kafkajs's
   * disconnect in the middle of a join can leave it running (see joinSettled).
   */
  private async end(entry: Running): Promise<void> {
    await joinSettled(entry.joined);
    await entry.consumer.disconnect();
  }

  /** Stops every lab consumer (a lab's reset, Quorum's shutdown). */
  async stopAll(): Promise<void> {
    this.epoch++;
    const all = [...this.running.values()];
    this.running.clear();
    await Promise.all(all.map((r) => this.end(r).catch(() => {})));
  }
}
