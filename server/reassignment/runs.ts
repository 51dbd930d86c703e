import "server-only";
import type {
  ClusterEventData,
  PlannedMove,
  ReassignmentRun,
  ReassignmentRunPartition,
  ReassignmentTool,
} from "@/lib/types";
import type { ClusterContext } from "../clusters/context";
import { drillIdMaker } from "../drill/drill-id";
import { AppError } from "../errors";
import { KafkaCode } from "../kafka/error-codes";
import { logger } from "../logger";

/**
 * The reassignments Quorum started on one cluster, followed until every partition settles: each
 * look asks Kafka which moves are still under way (ListPartitionReassignments), what a settled
 * partition's replicas are now (Metadata), and how many bytes the new replicas hold
 * (DescribeLogDirs of the brokers receiving them). The replication throttle a run set (the configs
 * kafka-reassign-partitions sets: rates on the brokers, throttled replicas on the topics) is
 * removed once no run that needs it is still moving, as `--verify` does.
 */

/** Where a cluster's events go (its monitor's stream). */
export interface EventSink {
  publish(data: ClusterEventData): void;
}

type RunsCluster = ClusterContext & { readonly monitor: EventSink };

const LOOK_TIMEOUT_MS = 5000;
/** Partitions an event names at most; the run's answer has them all. */
const PARTITIONS_PER_EVENT = 100;
/** Finished runs kept for reading. */
const KEEP_FINISHED = 50;

const nextRunId = drillIdMaker();
const keyOf = (p: { topic: string; partition: number }) => `${p.topic}:${p.partition}`;
const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x) => b.includes(x));
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const LEADER_RATE = "leader.replication.throttled.rate";
export const FOLLOWER_RATE = "follower.replication.throttled.rate";
export const LEADER_REPLICAS = "leader.replication.throttled.replicas";
export const FOLLOWER_REPLICAS = "follower.replication.throttled.replicas";

interface Run extends ReassignmentRun {
  /** The address of a broker id, from the cluster's latest picture. */
  addressOf: (id: number) => string | null;
}

/** A copy of the run for an answer (the live one keeps changing). */
const view = ({ addressOf: _, ...run }: Run): ReassignmentRun => structuredClone(run);

export class ReassignmentRuns {
  private readonly runs: Run[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly ctx: RunsCluster,
    private readonly pollMs = 1000,
  ) {}

  list(): ReassignmentRun[] {
    return this.runs.map(view);
  }

  get(id: string): ReassignmentRun {
    return view(this.find(id));
  }

  /** The running run moving this partition, if any. */
  owner(topic: string, partition: number): string | null {
    const key = `${topic}:${partition}`;
    const run = this.active().find((r) => r.partitions.some((p) => p.state === "moving" && keyOf(p) === key));
    return run?.id ?? null;
  }

  /**
   * Sets the throttle (when asked) and asks Kafka to move every partition; the ones Kafka refuses
   * are marked so, with its words. When it refuses all, the throttle goes again and the first
   * refusal is thrown: nothing was started.
   */
  async start(
    moves: PlannedMove[],
    throttle: number | null,
    tool: ReassignmentTool,
    addressOf: (id: number) => string | null,
  ): Promise<ReassignmentRun> {
    const now = Date.now();
    const partitions: ReassignmentRunPartition[] = moves.map((m) => ({
      ...m,
      state: "moving",
      error: null,
      copied: m.adding.length === 0 ? 0 : null,
    }));
    const run: Run = {
      id: nextRunId(now),
      cluster: this.ctx.id,
      startedAt: now,
      finishedAt: null,
      status: "running",
      throttle,
      throttled: false,
      partitions,
      total: partitions.length,
      settled: 0,
      bytes: partitions.some((p) => p.bytes === null) ? null : partitions.reduce((n, p) => n + (p.bytes ?? 0), 0),
      copied: null,
      error: null,
      tool,
      addressOf,
    };
    if (throttle !== null) {
      await this.applyThrottle([...this.active().filter((r) => r.throttled), run]);
      run.throttled = true;
    }
    let refused: Awaited<ReturnType<typeof this.ctx.gateway.alterReassignments>>;
    try {
      refused = await this.ctx.gateway.alterReassignments(
        this.ctx.read.seeds(),
        moves.map((m) => ({ topic: m.topic, partition: m.partition, replicas: m.after })),
      );
    } catch (err) {
      // Not known to have started (a refusal of the whole request, or no answer): the throttle goes.
      if (run.throttled) await this.removeThrottle(run).catch(() => {});
      throw err;
    }
    for (const r of refused) {
      const p = partitions.find((x) => keyOf(x) === keyOf(r));
      if (p) {
        p.state = "refused";
        p.error = r.error.message;
      }
    }
    if (refused.length === partitions.length) {
      if (run.throttled) await this.removeThrottle(run).catch(() => {});
      throw refused[0]?.error ?? new AppError("conflict", "Kafka refused every move");
    }
    this.tally(run);
    this.runs.unshift(run);
    const finished = this.runs.filter((r) => r.finishedAt !== null);
    for (const old of finished.slice(KEEP_FINISHED)) this.runs.splice(this.runs.indexOf(old), 1);
    this.publish(run, "reassignment-started");
    this.schedule(this.pollMs);
    return view(run);
  }

  /** Asks Kafka to stop the run's moves still under way; Kafka puts those partitions back as they were. */
  async cancel(id: string): Promise<ReassignmentRun> {
    const run = this.find(id);
    if (run.status !== "running")
      throw new AppError("conflict", `Reassignment ${id} is ${run.status}: there is nothing to cancel`);
    const moving = run.partitions.filter((p) => p.state === "moving");
    // Cancelling from now on: a look that finds the partitions back while Kafka's answer is on its way ends the run as cancelled.
    run.status = "cancelling";
    try {
      const refused = await this.ctx.gateway.alterReassignments(
        this.ctx.read.seeds(),
        moving.map((p) => ({ topic: p.topic, partition: p.partition, replicas: null })),
      );
      // NO_REASSIGNMENT_IN_PROGRESS: it ended meanwhile; the next look says how.
      const other = refused.find((r) => r.error.errorCode !== KafkaCode.NO_REASSIGNMENT_IN_PROGRESS);
      if (other && refused.length === moving.length) throw other.error;
    } catch (err) {
      if (run.status === "cancelling" && run.finishedAt === null) run.status = "running";
      throw err;
    }
    this.ctx.invalidate();
    this.schedule(0, true);
    return view(run);
  }

  private find(id: string): Run {
    const run = this.runs.find((r) => r.id === id);
    if (!run) throw new AppError("not_found", `No reassignment "${id}" in cluster "${this.ctx.id}"`);
    return run;
  }

  private active(): Run[] {
    return this.runs.filter((r) => r.status === "running" || r.status === "cancelling");
  }

  private schedule(delayMs: number, now = false): void {
    if (this.timer && !now) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.lookOnce();
    }, delayMs);
    this.timer.unref?.();
  }

  /** Looks one at a time: a look asked while one is under way runs right after it. */
  private looking: Promise<void> | null = null;
  private again = false;

  private async lookOnce(): Promise<void> {
    if (this.looking) {
      this.again = true;
      return;
    }
    this.looking = this.look();
    try {
      await this.looking;
    } finally {
      this.looking = null;
      if (this.again) {
        this.again = false;
        this.schedule(0, true);
      }
    }
  }

  /** One look at every active run; another follows while one is active (or a finished one still holds a throttle). */
  private async look(): Promise<void> {
    const active = this.active();
    const leftThrottled = this.runs.filter((r) => r.finishedAt !== null && r.throttled);
    try {
      if (active.length) await this.follow(active);
      for (const run of leftThrottled) await this.removeThrottle(run);
    } catch (err) {
      for (const run of [...active, ...leftThrottled]) run.error = errorText(err);
      logger.warn({ cluster: this.ctx.id, err: errorText(err) }, "reassignment look failed");
    }
    if (this.active().length || this.runs.some((r) => r.finishedAt !== null && r.throttled)) this.schedule(this.pollMs);
  }

  private async follow(active: Run[]): Promise<void> {
    const seeds = this.ctx.read.seeds();
    const ongoing = new Set((await this.ctx.gateway.listReassignments(seeds, LOOK_TIMEOUT_MS)).map((o) => keyOf(o)));
    let metadata: Awaited<ReturnType<typeof this.ctx.gateway.clusterMetadata>> | null = null;
    const receiving = new Map<number, (id: number) => string | null>();
    for (const run of active) {
      const before = { settled: run.settled, copied: run.copied };
      for (const p of run.partitions) {
        if (p.state !== "moving") continue;
        if (ongoing.has(keyOf(p))) {
          for (const b of p.adding) receiving.set(b, run.addressOf);
          continue;
        }
        metadata ??= await this.ctx.gateway.clusterMetadata(seeds, LOOK_TIMEOUT_MS);
        const now = metadata.topics
          .find((t) => t.name === p.topic)
          ?.partitions.find((x) => x.partition === p.partition);
        const replicas = now?.replicas ?? [];
        if (sameSet(replicas, p.after)) {
          p.state = "done";
          p.copied = p.bytes;
        } else if (sameSet(replicas, p.before)) {
          p.state = "cancelled";
        } else {
          p.state = "changed";
          p.error = now ? `ended with replicas [${replicas.join(",")}]` : "the partition is gone";
        }
      }
      run.error = null;
      this.tally(run);
      if (run.settled === run.total) await this.finish(run);
      else if (run.settled !== before.settled) this.publish(run, "reassignment-progress");
    }
    if (receiving.size) await this.measure(active, receiving);
  }

  /** Bytes the receiving brokers hold so far of each moving partition's new replicas. */
  private async measure(active: Run[], receiving: Map<number, (id: number) => string | null>): Promise<void> {
    const held = new Map<number, Map<string, number>>();
    await Promise.all(
      [...receiving].map(async ([broker, addressOf]) => {
        const address = addressOf(broker);
        if (!address) return;
        try {
          held.set(broker, await this.ctx.gateway.logDirSizes(address, LOOK_TIMEOUT_MS));
        } catch {
          // Unknown this time: the partition's `copied` stays as it was.
        }
      }),
    );
    for (const run of active) {
      if (run.finishedAt !== null) continue;
      const before = run.copied;
      for (const p of run.partitions) {
        if (p.state !== "moving" || p.adding.length === 0 || p.bytes === null) continue;
        const each = p.bytes / p.adding.length;
        if (p.adding.some((b) => !held.has(b))) continue;
        p.copied = p.adding.reduce((n, b) => n + Math.min(each, held.get(b)?.get(keyOf(p)) ?? 0), 0);
      }
      this.tally(run);
      if (run.copied !== before) this.publish(run, "reassignment-progress");
    }
  }

  private tally(run: Run): void {
    run.settled = run.partitions.filter((p) => p.state !== "moving").length;
    run.copied = run.partitions.some((p) => p.copied === null)
      ? null
      : run.partitions.reduce((n, p) => n + (p.copied ?? 0), 0);
  }

  /** Removes the run's throttle, then says how it ended: an ended run holds no throttle unless its error says why. */
  private async finish(run: Run): Promise<void> {
    if (run.throttled) {
      try {
        await this.removeThrottle(run);
      } catch (err) {
        run.error = `the throttle configs could not be removed yet (tried again at the next look): ${errorText(err)}`;
      }
    }
    // A cancel that came after every move had ended finds them done: the run is done, not cancelled.
    run.status = run.partitions.every((p) => p.state === "done")
      ? "done"
      : run.status === "cancelling"
        ? "cancelled"
        : "failed";
    run.finishedAt = Date.now();
    this.publish(run, "reassignment-finished");
    this.ctx.invalidate();
  }

  /**
   * The throttle configs for `runs` together (kafka-reassign-partitions' layout): on each topic,
   * `partition:broker` for the replicas sending (the current ones) and for those receiving (the
   * new ones); on each broker involved, the rate of the run that named it last.
   */
  private async applyThrottle(runs: Run[]): Promise<void> {
    const topics = new Map<string, Record<string, string | null>>();
    const leaders = new Map<string, Set<string>>();
    const followers = new Map<string, Set<string>>();
    const brokers = new Map<number, Record<string, string | null>>();
    for (const run of runs) {
      for (const p of run.partitions) {
        if (p.state !== "moving") continue;
        const lead = leaders.get(p.topic) ?? new Set<string>();
        const follow = followers.get(p.topic) ?? new Set<string>();
        for (const b of p.before) lead.add(`${p.partition}:${b}`);
        for (const b of p.adding) follow.add(`${p.partition}:${b}`);
        leaders.set(p.topic, lead);
        followers.set(p.topic, follow);
        const rate = String(run.throttle);
        for (const b of new Set([...p.before, ...p.after]))
          brokers.set(b, { [LEADER_RATE]: rate, [FOLLOWER_RATE]: rate });
      }
    }
    for (const [topic, lead] of leaders)
      topics.set(topic, {
        [LEADER_REPLICAS]: [...lead].join(","),
        [FOLLOWER_REPLICAS]: [...(followers.get(topic) ?? [])].join(",") || null,
      });
    await this.alterConfigs(runs.at(-1)?.addressOf, brokers, topics);
  }

  /** Sets (or, null, removes) configs: each broker's asked of that broker, every topic's in one request to any. */
  private async alterConfigs(
    addressOf: ((id: number) => string | null) | undefined,
    brokers: Map<number, Record<string, string | null>>,
    topics: Map<string, Record<string, string | null>>,
  ): Promise<void> {
    for (const [id, changes] of brokers) {
      const address = addressOf?.(id);
      if (!address) throw new AppError("cluster_unavailable", `Broker ${id} is not up: its throttle cannot be changed`);
      await this.ctx.gateway.alterBrokerConfigs(address, id, changes);
    }
    await this.ctx.gateway.alterManyTopicConfigs(this.ctx.read.seeds(), topics);
  }

  /** Removes `run`'s throttle, keeping what the other throttled runs still moving need. */
  private async removeThrottle(run: Run): Promise<void> {
    const others = this.active().filter((r) => r !== run && r.throttled);
    const stillTopics = new Set(
      others.flatMap((r) => r.partitions.filter((p) => p.state === "moving").map((p) => p.topic)),
    );
    const stillBrokers = new Set(
      others.flatMap((r) => r.partitions.filter((p) => p.state === "moving").flatMap((p) => [...p.before, ...p.after])),
    );
    const topics = new Map<string, Record<string, string | null>>();
    const brokers = new Map<number, Record<string, string | null>>();
    for (const p of run.partitions) {
      if (!stillTopics.has(p.topic)) topics.set(p.topic, { [LEADER_REPLICAS]: null, [FOLLOWER_REPLICAS]: null });
      for (const b of [...p.before, ...p.after])
        if (!stillBrokers.has(b)) brokers.set(b, { [LEADER_RATE]: null, [FOLLOWER_RATE]: null });
    }
    await this.alterConfigs(run.addressOf, brokers, topics);
    // What the others still need, as it stands now (their own layout, without this run's entries).
    if (others.length) await this.applyThrottle(others);
    run.throttled = false;
  }

  /** What each partition was when an event last told it, by run and "topic:partition". */
  private readonly told = new WeakMap<Run, Map<string, string>>();

  /**
   * One event of the run: its totals, and each partition whose state or copied bytes changed since
   * the run's last event (at most PARTITIONS_PER_EVENT; GET …/reassignments/:run has them all).
   */
  private publish(run: Run, type: "reassignment-started" | "reassignment-progress" | "reassignment-finished"): void {
    const told = this.told.get(run) ?? new Map<string, string>();
    this.told.set(run, told);
    const changed = run.partitions.filter((p) => told.get(keyOf(p)) !== `${p.state}:${p.copied}`);
    for (const p of changed) told.set(keyOf(p), `${p.state}:${p.copied}`);
    this.ctx.monitor.publish({
      type,
      run: run.id,
      status: run.status,
      total: run.total,
      settled: run.settled,
      bytes: run.bytes,
      copied: run.copied,
      partitions: changed.slice(0, PARTITIONS_PER_EVENT).map((p) => ({
        topic: p.topic,
        partition: p.partition,
        state: p.state,
        adding: p.adding,
        removing: p.removing,
        bytes: p.bytes,
        copied: p.copied,
      })),
    });
  }
}

const registry = new WeakMap<ClusterContext, ReassignmentRuns>();

/** The runs of a cluster (one registry per cluster object, made at first use). */
export function runsOf(ctx: RunsCluster): ReassignmentRuns {
  let runs = registry.get(ctx);
  if (!runs) {
    runs = new ReassignmentRuns(ctx);
    registry.set(ctx, runs);
  }
  return runs;
}
