import "server-only";
import fs from "node:fs";
import path from "node:path";
import { Kafka, logLevel, type Producer } from "kafkajs";
import type { ClusterEvent, DrillReport } from "@/lib/types";
import type { ClusterService } from "../cluster-service";
import { AppError } from "../errors";
import { logger } from "../logger";
import { countDrillFinished, countDrillStarted } from "../telemetry/registry";
import { nextDrillId } from "./drill-id";

export interface DrillPlan {
  topic: string;
  kind: "failover" | "rolling-restart";
  mode: "graceful" | "kill";
  cycles: number;
  downMs: number;
  rate: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a failed send is called in the report: kafkajs's error class, and Kafka's error type when it has one. */
function errorKind(err: unknown): string {
  const e = err as { name?: string; type?: string; cause?: { type?: string } };
  return [e.name ?? "Error", e.type ?? e.cause?.type].filter(Boolean).join(":");
}

/**
 * A failover drill: an idempotent producer with acks=all sends sequence-numbered messages while
 * the drill stops the topic's partition-0 leader (graceful or kill) and starts it again, cycle after
 * cycle; then a consumer reads the topic back from the start and the report counts what was
 * acknowledged, lost, duplicated, the producer's errors and the longest stretch without an
 * acknowledged write. Reports are kept as JSON under the data directory.
 */
export class DrillRunner {
  private running: DrillReport | null = null;

  constructor(
    private readonly cluster: ClusterService,
    private readonly dir: string,
  ) {}

  list(): DrillReport[] {
    const reports = new Map<string, DrillReport>();
    if (fs.existsSync(this.dir)) {
      for (const f of fs.readdirSync(this.dir).filter((x) => x.endsWith(".json"))) {
        try {
          const r = JSON.parse(fs.readFileSync(path.join(this.dir, f), "utf8")) as DrillReport;
          reports.set(r.id, r);
        } catch {
          // a report being written, or damaged: skip it
        }
      }
    }
    if (this.running) reports.set(this.running.id, this.running);
    return [...reports.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  get(id: string): DrillReport {
    const r = this.list().find((x) => x.id === id);
    if (!r) throw new AppError("not_found", `No drill "${id}"`);
    return r;
  }

  /** Starts a drill in the background and returns its report, which fills in as it runs. */
  // onEnd: called once the run has ended, however (server/clusters/drill-commands holds the cluster lock until then).
  async start(plan: DrillPlan, onEnd: () => void = () => {}): Promise<DrillReport> {
    if (this.running) throw new AppError("conflict", `Drill ${this.running.id} is still running`);
    if (!this.cluster.embedded) {
      throw new AppError(
        "not_controllable",
        "A drill stops and starts brokers: only clusters Quorum runs can have one",
      );
    }
    const topic = await this.cluster.topic(plan.topic);
    if (topic.partitions.some((p) => p.replicas.length < 2)) {
      throw new AppError(
        "validation_failed",
        `${plan.topic} has partitions with one replica: a stop would take them offline`,
        {
          field: "topic",
        },
      );
    }
    const now = Date.now();
    const report: DrillReport = {
      id: nextDrillId(now),
      cluster: this.cluster.id,
      ...plan,
      status: "running",
      aborted: false,
      phase: "starting the producer",
      startedAt: now,
      finishedAt: null,
      sent: 0,
      acknowledged: 0,
      lost: 0,
      lostSample: [],
      duplicated: 0,
      unacknowledgedButWritten: 0,
      read: 0,
      producerErrors: {},
      longestStallMs: 0,
      longestStallAt: null,
      leaderChanges: [],
      steps: [],
    };
    this.running = report;
    countDrillStarted(report.cluster, plan.kind);
    void this.run(report).finally(() => {
      this.running = null;
      if (this.abortAsked === report.id) this.abortAsked = null;
      onEnd();
    });
    return report;
  }

  private save(report: DrillReport): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${report.id}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(report, null, 2));
    fs.renameSync(`${file}.tmp`, file);
  }

  private async run(report: DrillReport): Promise<void> {
    const kafka = new Kafka({
      clientId: "quorum-drill",
      brokers: this.cluster.bootstrap,
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2000 },
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    const acked = new Set<number>();
    const failed = new Set<number>();
    const offLeaders = this.cluster.monitor.subscribe((e: ClusterEvent) => {
      if (e.type === "leader-changed" && e.topic === report.topic) {
        report.leaderChanges.push({ ts: e.ts, partition: e.partition, from: e.from, to: e.to });
      }
    });
    let producing = true;
    let lastAck = report.startedAt;
    try {
      await producer.connect();
      const produced = this.produce(
        producer,
        report,
        acked,
        failed,
        () => producing,
        (ts) => {
          const gap = ts - lastAck;
          if (gap > report.longestStallMs) {
            report.longestStallMs = gap;
            report.longestStallAt = lastAck;
          }
          lastAck = ts;
        },
      );
      await sleep(1000);
      if (report.kind === "rolling-restart") await this.rollingRestart(report);
      else
        for (let cycle = 1; cycle <= report.cycles; cycle++) {
          if (this.abortAsked === report.id) {
            report.aborted = true;
            report.phase = `aborted before cycle ${cycle}`;
            break;
          }
          const detail = await this.cluster.topic(report.topic);
          const broker = detail.partitions[0]?.leader ?? -1;
          if (broker < 0) throw new Error("partition 0 has no leader");
          report.phase = `cycle ${cycle}/${report.cycles}: ${report.mode === "kill" ? "killing" : "stopping"} broker ${broker}`;
          const step = { broker, stoppedAt: Date.now(), startedAt: 0, inSyncAt: null as number | null };
          report.steps.push(step);
          await this.cluster.stopBroker(broker, report.mode, { confirm: true, lockHeld: true });
          report.phase = `cycle ${cycle}/${report.cycles}: broker ${broker} down`;
          await sleep(report.downMs);
          step.startedAt = Date.now();
          report.phase = `cycle ${cycle}/${report.cycles}: starting broker ${broker}`;
          await this.cluster.startBroker(broker, { lockHeld: true });
          step.inSyncAt = await this.waitInSync(report.topic, broker, 90_000);
          await sleep(1000);
        }
      report.phase = "stopping the producer";
      producing = false;
      await produced;
      report.status = "verifying";
      report.phase = "reading the topic back";
      const seen = await this.readBack(kafka, report.topic, report.id);
      report.read = [...seen.values()].reduce((a, b) => a + b, 0);
      const lost = [...acked].filter((seq) => !seen.has(seq));
      report.lost = lost.length;
      report.lostSample = lost.slice(0, 20);
      report.duplicated = [...seen.values()].filter((n) => n > 1).length;
      report.unacknowledgedButWritten = [...failed].filter((seq) => seen.has(seq)).length;
      report.status = "done";
      report.phase = "done";
    } catch (err) {
      producing = false;
      report.status = "failed";
      report.phase = `failed: ${err instanceof Error ? err.message : String(err)}`;
      logger.warn({ drill: report.id, err: report.phase }, "drill failed");
    } finally {
      offLeaders();
      await producer.disconnect().catch(() => {});
      report.finishedAt = Date.now();
      const outcome = report.status === "failed" ? "failed" : report.aborted ? "aborted" : "done";
      countDrillFinished(report.cluster, report.kind ?? "failover", outcome);
      this.save(report);
      logger.info(
        {
          action: "drill",
          cluster: report.cluster,
          topic: report.topic,
          result: report.status,
          lost: report.lost,
          ms: report.finishedAt - report.startedAt,
        },
        "drill finished",
      );
    }
  }

  /**
   * Restarts every broker once, in id order: a stop (refused, and the restart failed, if it would
   * take a partition offline), the pause, a start, then a wait until every partition of the cluster
   * has all its replicas in sync before the next. An abort ends it once the broker being restarted
   * is back.
   */
  private async rollingRestart(report: DrillReport): Promise<void> {
    const brokers = (await this.cluster.brokers())
      .filter((b) => b.status === "up")
      .map((b) => b.id)
      .sort((a, b) => a - b);
    for (const [i, broker] of brokers.entries()) {
      if (this.abortAsked === report.id) {
        report.aborted = true;
        report.phase = `aborted before broker ${broker}`;
        return;
      }
      const of = `broker ${i + 1} of ${brokers.length}`;
      report.phase = `restart ${of}: stopping broker ${broker}`;
      const step = { broker, stoppedAt: Date.now(), startedAt: 0, inSyncAt: null as number | null };
      report.steps.push(step);
      await this.cluster.stopBroker(broker, report.mode, { lockHeld: true });
      report.phase = `restart ${of}: broker ${broker} down`;
      await sleep(report.downMs);
      step.startedAt = Date.now();
      report.phase = `restart ${of}: starting broker ${broker}, then waiting for every partition's full ISR`;
      await this.cluster.startBroker(broker, { lockHeld: true });
      step.inSyncAt = await this.waitFullIsr(120_000);
      await sleep(500);
    }
  }

  /** Waits until every partition of the cluster has all its replicas in its ISR; when it was seen so. */
  private async waitFullIsr(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const snap = await this.cluster.snapshot(0).catch(() => null);
      if (snap?.topics.every((t) => t.partitions.every((p) => p.replicas.every((r) => p.isr.includes(r)))))
        return Date.now();
      await sleep(250);
    }
    throw new Error(`the cluster's partitions did not all get their full ISR back within ${timeoutMs / 1000} s`);
  }

  /**
   * Asks the running drill `id` to end once the broker it is restarting is back (the cycle or
   * restart under way finishes); what was sent is still read back and counted.
   */
  abort(id: string): DrillReport {
    const report = this.get(id);
    if (this.running?.id !== id || report.status !== "running")
      throw new AppError("conflict", `Drill ${id} is ${report.status}: there is nothing to abort`);
    this.abortAsked = id;
    report.phase = `${report.phase} (abort asked: ending after this broker)`;
    return report;
  }

  private abortAsked: string | null = null;

  /** Sends seq 0, 1, 2, … one at a time at about `rate` per second until told to stop. */
  private async produce(
    producer: Producer,
    report: DrillReport,
    acked: Set<number>,
    failed: Set<number>,
    go: () => boolean,
    onAck: (ts: number) => void,
  ): Promise<void> {
    const interval = 1000 / report.rate;
    let next = Date.now();
    for (let seq = 0; go(); seq++) {
      report.sent++;
      try {
        await producer.send({
          topic: report.topic,
          acks: -1,
          messages: [{ key: String(seq), value: `${report.id}:${seq}` }],
        });
        acked.add(seq);
        report.acknowledged++;
        onAck(Date.now());
      } catch (err) {
        failed.add(seq);
        const kind = errorKind(err);
        report.producerErrors[kind] = (report.producerErrors[kind] ?? 0) + 1;
      }
      next += interval;
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
      else next = Date.now();
    }
  }

  private async waitInSync(topic: string, broker: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const d = await this.cluster.topic(topic).catch(() => null);
      if (d?.partitions.every((p) => !p.replicas.includes(broker) || p.isr.includes(broker))) return Date.now();
      await sleep(250);
    }
    throw new Error(`broker ${broker} did not rejoin the ISR of ${topic} within ${timeoutMs / 1000} s`);
  }

  /** Reads the topic from the start up to its current end; returns how often each of this drill's sequence numbers was read. */
  private async readBack(kafka: Kafka, topic: string, drillId: string): Promise<Map<number, number>> {
    // Fresh end offsets: a cached snapshot from before the last sends would stop the read short.
    this.cluster.invalidate();
    const detail = await this.cluster.topic(topic);
    const end = new Map(detail.partitions.map((p) => [p.partition, p.latestOffset ?? 0]));
    const start = new Map(detail.partitions.map((p) => [p.partition, p.earliestOffset ?? 0]));
    const remaining = new Set(
      detail.partitions
        .filter((p) => (end.get(p.partition) ?? 0) > (start.get(p.partition) ?? 0))
        .map((p) => p.partition),
    );
    const seen = new Map<number, number>();
    if (remaining.size === 0) return seen;
    const consumer = kafka.consumer({ groupId: `quorum-drill-verify-${Date.now()}`, readUncommitted: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("reading the topic back took over 120 s")), 120_000);
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              // Only this drill's messages count: the topic may hold earlier drills' or anyone's.
              const [id, n] = (message.value?.toString() ?? "").split(":");
              const seq = Number(n);
              if (id === drillId && Number.isInteger(seq)) seen.set(seq, (seen.get(seq) ?? 0) + 1);
              if (Number(message.offset) + 1 >= (end.get(partition) ?? 0)) remaining.delete(partition);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect().catch(() => {});
    }
    return seen;
  }
}
