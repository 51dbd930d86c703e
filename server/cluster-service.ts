import "server-only";
import type {
  Broker,
  ClusterOverview,
  ClusterStatus,
  ClusterSummary,
  ConsumerGroupDetail,
  ConsumerGroupSummary,
  Controller,
  ElectionReport,
  PartitionInfo,
  StopImpact,
  TopicConfigEntry,
  TopicDetail,
  TopicSummary,
} from "@/lib/types";
import type { EmbeddedCluster } from "./embedded/embedded-cluster";
import type { StopMode } from "./embedded/node-process";
import { AppError } from "./errors";
import {
  alterTopicConfigs,
  createPartitions,
  createTopic,
  deleteTopic,
  describeTopicConfigs,
  type ElectionResult,
  electPreferredLeaders,
  type NewTopic,
} from "./kafka/admin-requests";
import { type ClusterSnapshot, takeSnapshot } from "./kafka/snapshot";
import { logger } from "./logger";
import { ClusterMonitor, DEFAULT_MONITOR_OPTIONS, type MonitorOptions } from "./monitor/monitor";

/** Every Kafka call Quorum makes is bounded by this. */
export const KAFKA_TIMEOUT_MS = 4000;
/** How long a snapshot serves further callers before Kafka is asked again. */
const SNAPSHOT_MAX_AGE_MS = 500;

const CONFIG_SOURCES: Record<number, string> = {
  0: "UNKNOWN",
  1: "DYNAMIC_TOPIC_CONFIG",
  2: "DYNAMIC_BROKER_CONFIG",
  3: "DYNAMIC_DEFAULT_BROKER_CONFIG",
  4: "STATIC_BROKER_CONFIG",
  5: "DEFAULT_CONFIG",
  6: "DYNAMIC_BROKER_LOGGER_CONFIG",
};

const DYNAMIC_TOPIC_CONFIG = 1;

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * One cluster as the API sees it: a snapshot shared by concurrent callers (one in flight, a short
 * cache), plus, for the embedded cluster, the node supervisor's view of each process.
 */
export class ClusterService {
  /** The snapshot being taken, and when it began: it reflects the cluster as of that moment or later. */
  private inflight: { startedAt: number; promise: Promise<ClusterSnapshot> } | null = null;
  private cached: { startedAt: number; snap: ClusterSnapshot } | null = null;
  private lastError: { at: number; message: string } | null = null;
  private preferred: string | null = null;
  /** Brokers seen in any snapshot: a broker missing from the latest one is down. */
  private known = new Map<number, { host: string; port: number; rack: string | null }>();
  readonly monitor: ClusterMonitor;

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly staticBootstrap: string[],
    readonly embedded: EmbeddedCluster | null,
    monitorOptions: MonitorOptions = DEFAULT_MONITOR_OPTIONS,
  ) {
    this.monitor = new ClusterMonitor(this, monitorOptions);
    // A node starting or stopping is a change worth looking at at once.
    embedded?.on("change", () => this.monitor.kick());
  }

  get kind(): "embedded" | "external" {
    return this.embedded ? "embedded" : "external";
  }

  get bootstrap(): string[] {
    return this.embedded ? this.embedded.bootstrap : this.staticBootstrap;
  }

  /**
   * A snapshot begun no more than `maxAgeMs` ago, or null when no broker answers within the timeout.
   * Concurrent callers share one; `snapshot(0)` always reflects the cluster after the call began.
   */
  async snapshot(maxAgeMs = SNAPSHOT_MAX_AGE_MS): Promise<ClusterSnapshot | null> {
    const notBefore = Date.now() - maxAgeMs;
    if (this.cached && this.cached.startedAt >= notBefore) return this.cached.snap;
    if (this.embedded && !this.embedded.nodeStates().some((n) => n.role === "broker" && n.status === "up")) {
      this.lastError = { at: Date.now(), message: "no broker of the embedded cluster is up" };
      return null;
    }
    if (!this.inflight || this.inflight.startedAt < notBefore) {
      const startedAt = Date.now();
      const promise = this.take(startedAt).finally(() => {
        if (this.inflight?.promise === promise) this.inflight = null;
      });
      this.inflight = { startedAt, promise };
    }
    try {
      return await this.inflight.promise;
    } catch (err) {
      this.lastError = { at: Date.now(), message: err instanceof Error ? err.message : String(err) };
      return null;
    }
  }

  /** Forgets the cached snapshot, so the next read sees the effect of an action, and has the monitor look. */
  invalidate(): void {
    this.cached = null;
    this.monitor.kick();
  }

  private async take(startedAt: number): Promise<ClusterSnapshot> {
    const snap = await takeSnapshot(this.seeds(), KAFKA_TIMEOUT_MS);
    const answered = snap.brokers[0];
    this.preferred = answered ? `${answered.host}:${answered.port}` : null;
    if (!this.cached || this.cached.startedAt <= startedAt) this.cached = { startedAt, snap };
    this.lastError = null;
    if (snap.errors.length > 0) logger.warn({ cluster: this.id, errors: snap.errors }, "snapshot incomplete");
    for (const b of snap.brokers) this.known.set(b.nodeId, { host: b.host, port: b.port, rack: b.rack });
    return snap;
  }

  private async requireSnapshot(): Promise<ClusterSnapshot> {
    const snap = await this.snapshot();
    if (!snap) {
      throw new AppError(
        "cluster_unavailable",
        `Cluster "${this.id}" does not answer: ${this.lastError?.message ?? "no broker is up"}`,
      );
    }
    return snap;
  }

  async brokers(): Promise<Broker[]> {
    return this.brokersFrom(await this.snapshot());
  }

  brokerStatuses(snap: ClusterSnapshot | null): Broker[] {
    return this.brokersFrom(snap);
  }

  private brokersFrom(snap: ClusterSnapshot | null): Broker[] {
    const leaders = new Map<number, number>();
    const replicas = new Map<number, number>();
    for (const t of snap?.topics ?? []) {
      for (const p of t.partitions) {
        if (p.leader >= 0) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
        for (const r of p.replicas) replicas.set(r, (replicas.get(r) ?? 0) + 1);
      }
    }
    const live = new Map((snap?.brokers ?? []).map((b) => [b.nodeId, b]));
    const counts = (id: number) => ({ leaderCount: leaders.get(id) ?? 0, replicaCount: replicas.get(id) ?? 0 });
    if (this.embedded) {
      return this.embedded
        .nodeStates()
        .filter((n) => n.role === "broker")
        .map((n) => ({
          id: n.id,
          host: n.host,
          port: n.port,
          rack: live.get(n.id)?.rack ?? this.known.get(n.id)?.rack ?? null,
          status: n.status,
          isController: false,
          pid: n.pid,
          ...counts(n.id),
        }));
    }
    return [...this.known.entries()]
      .sort(([a], [b]) => a - b)
      .map(([id, b]) => ({
        id,
        host: b.host,
        port: b.port,
        rack: b.rack,
        status: snap && live.has(id) ? ("up" as const) : ("down" as const),
        isController: false,
        ...counts(id),
      }));
  }

  controllers(): Controller[] {
    if (!this.embedded) return [];
    return this.embedded
      .nodeStates()
      .filter((n) => n.role === "controller")
      .map((n) => ({ id: n.id, host: n.host, port: n.port, status: n.status, pid: n.pid }));
  }

  async summary(): Promise<ClusterSummary> {
    return this.summaryFrom(await this.snapshot());
  }

  private summaryFrom(snap: ClusterSnapshot | null): ClusterSummary {
    const brokers = this.brokersFrom(snap);
    const up = brokers.filter((b) => b.status === "up").length;
    const offline = snap ? sum(snap.topics.map((t) => t.partitions.filter((p) => p.leader < 0).length)) : 0;
    let status: ClusterStatus;
    if (this.embedded?.isStarting) {
      status = "starting";
    } else if (this.embedded?.nodeStates().every((n) => n.status === "down")) {
      status = "stopped";
    } else if (!snap || up === 0) {
      status = "unreachable";
    } else {
      status = up < brokers.length || offline > 0 ? "degraded" : "ok";
    }
    return {
      id: this.id,
      name: this.name,
      kind: this.kind,
      bootstrap: this.bootstrap,
      status,
      controllable: this.embedded !== null,
      clusterId: snap?.clusterId ?? this.cached?.snap.clusterId ?? this.embedded?.clusterId ?? null,
      kafkaVersion: this.embedded?.kafkaVersion ?? null,
      brokersUp: up,
      brokersTotal: brokers.length,
      ...(status === "unreachable" || status === "stopped"
        ? { message: this.embedded?.startError ?? this.lastError?.message ?? null }
        : {}),
    };
  }

  async overview(): Promise<ClusterOverview> {
    const snap = await this.snapshot();
    const cluster = this.summaryFrom(snap);
    const user = snap?.topics.filter((t) => !t.internal) ?? [];
    const parts = snap?.topics.flatMap((t) => t.partitions) ?? [];
    const known = <T>(v: T) => (snap ? v : null);
    return {
      cluster,
      brokersUp: cluster.brokersUp,
      brokersTotal: cluster.brokersTotal,
      topics: known(user.length),
      internalTopics: known((snap?.topics.length ?? 0) - user.length),
      partitions: known(parts.length),
      underReplicated: known(parts.filter((p) => p.isr.length < p.replicas.length).length),
      offline: known(parts.filter((p) => p.leader < 0).length),
      groups: known(snap?.groups.length ?? 0),
      totalLag: known(sum((snap?.groups ?? []).flatMap((g) => g.offsets.map((o) => o.lag ?? 0)))),
      snapshot: snap
        ? { takenAt: snap.takenAt, durationMs: snap.durationMs, requests: snap.requests, errors: snap.errors }
        : null,
    };
  }

  async topics(): Promise<TopicSummary[]> {
    const snap = await this.requireSnapshot();
    return snap.topics.map((t) => ({
      name: t.name,
      internal: t.internal,
      partitions: t.partitions.length,
      replicationFactor: Math.max(0, ...t.partitions.map((p) => p.replicas.length)),
      underReplicated: t.partitions.filter((p) => p.isr.length < p.replicas.length).length,
      offline: t.partitions.filter((p) => p.leader < 0).length,
      messages: sum(
        t.partitions.map((p) =>
          p.latestOffset !== null && p.earliestOffset !== null ? p.latestOffset - p.earliestOffset : 0,
        ),
      ),
    }));
  }

  /** Every partition of every (non-internal, unless asked) topic: the leadership map's rows. */
  async partitions(includeInternal = false): Promise<(PartitionInfo & { topic: string })[]> {
    const snap = await this.requireSnapshot();
    return snap.topics
      .filter((t) => includeInternal || !t.internal)
      .flatMap((t) => t.partitions.map((p) => ({ topic: t.name, ...p, preferredLeader: p.replicas[0] ?? -1 })));
  }

  async topic(name: string): Promise<TopicDetail> {
    const topic = await this.findTopic(name);
    return {
      name: topic.name,
      internal: topic.internal,
      partitions: topic.partitions.map((p) => ({ ...p, preferredLeader: p.replicas[0] ?? -1 })),
      configs: await this.topicConfigs(name),
    };
  }

  async topicConfigs(name: string): Promise<TopicConfigEntry[]> {
    const entries = await describeTopicConfigs(this.seeds(), name, KAFKA_TIMEOUT_MS);
    return entries
      .map((e) => ({
        name: e.name,
        value: e.value,
        source: CONFIG_SOURCES[e.source] ?? "UNKNOWN",
        // Default = not set on this topic: Kafka's default or a broker-wide value.
        isDefault: e.source !== DYNAMIC_TOPIC_CONFIG,
        readOnly: e.readOnly,
        sensitive: e.sensitive,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async consumerGroups(): Promise<ConsumerGroupSummary[]> {
    const snap = await this.requireSnapshot();
    return snap.groups.map((g) => ({
      groupId: g.groupId,
      state: g.state,
      members: g.members.length,
      topics: [...new Set(g.offsets.map((o) => o.topic))].sort(),
      totalLag: totalLag(g.offsets),
    }));
  }

  async consumerGroup(groupId: string): Promise<ConsumerGroupDetail> {
    const snap = await this.requireSnapshot();
    const g = snap.groups.find((x) => x.groupId === groupId);
    if (!g) throw new AppError("group_not_found", `No consumer group "${groupId}" in cluster "${this.id}"`);
    return {
      groupId: g.groupId,
      state: g.state,
      protocolType: g.protocolType,
      protocol: g.protocol,
      coordinator: g.coordinator,
      members: g.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        groupInstanceId: m.groupInstanceId,
        assignments: m.assignments,
      })),
      offsets: g.offsets,
      totalLag: totalLag(g.offsets),
    };
  }

  private control(): EmbeddedCluster {
    if (!this.embedded) {
      throw new AppError(
        "not_controllable",
        `Cluster "${this.id}" is reached by bootstrap servers only: Quorum cannot stop or start its brokers.`,
      );
    }
    return this.embedded;
  }

  /** Runs one mutation and writes its one structured log line: what, where, result, duration. */
  private async audit<T>(action: string, target: Record<string, unknown>, fn: () => Promise<T> | T): Promise<T> {
    const began = Date.now();
    try {
      const out = await fn();
      logger.info({ action, cluster: this.id, ...target, result: "ok", ms: Date.now() - began }, action);
      return out;
    } catch (err) {
      const code = (err as { code?: unknown; type?: unknown }).type ?? (err as { code?: unknown }).code ?? "error";
      logger.warn(
        {
          action,
          cluster: this.id,
          ...target,
          result: String(code),
          message: (err as Error).message,
          ms: Date.now() - began,
        },
        action,
      );
      throw err;
    } finally {
      this.invalidate();
    }
  }

  /** What stopping broker `id` would do: partitions left without a leader, and whether it is the last one up. */
  async stopImpact(id: number): Promise<StopImpact> {
    const snap = await this.snapshot(0);
    const brokers = this.brokersFrom(snap);
    if (!brokers.some((b) => b.id === id))
      throw new AppError("broker_not_found", `Cluster "${this.id}" has no broker ${id}`);
    const up = brokers.filter((b) => b.status === "up" && b.id !== id);
    const goesOffline: { topic: string; partition: number }[] = [];
    let leaderships = 0;
    for (const t of snap?.topics ?? []) {
      for (const p of t.partitions) {
        if (p.leader === id) leaderships++;
        // Without unclean election, a partition whose only in-sync replica is this broker loses its leader.
        if (p.leader >= 0 && p.isr.length > 0 && p.isr.every((r) => r === id))
          goesOffline.push({ topic: t.name, partition: p.partition });
      }
    }
    return { broker: id, leaderships, goesOffline, lastBrokerUp: up.length === 0 };
  }

  async stopBroker(id: number, mode: StopMode, confirm = false): Promise<void> {
    this.control();
    await this.audit("broker.stop", { broker: id, mode }, async () => {
      if (!confirm) {
        const impact = await this.stopImpact(id);
        if (impact.lastBrokerUp || impact.goesOffline.length > 0) {
          const what = impact.lastBrokerUp
            ? `broker ${id} is the last broker up: the whole cluster would be unreachable`
            : `${impact.goesOffline.length} partition(s) would go offline (${impact.goesOffline
                .slice(0, 5)
                .map((p) => `${p.topic}-${p.partition}`)
                .join(", ")}${impact.goesOffline.length > 5 ? ", …" : ""})`;
          throw new AppError(
            "confirmation_required",
            `Stopping broker ${id}: ${what}. Send "confirm": true to go ahead.`,
          );
        }
      }
      await this.control().stopBroker(id, mode);
    });
  }

  async startBroker(id: number): Promise<void> {
    this.control();
    await this.audit("broker.start", { broker: id }, () => this.control().startBroker(id));
  }

  private seeds(): string[] {
    const all = this.bootstrap;
    return this.preferred && all.includes(this.preferred)
      ? [this.preferred, ...all.filter((a) => a !== this.preferred)]
      : all;
  }

  /** The topic in the current snapshot; if absent (perhaps created a moment ago), in a fresh one; else 404. */
  private async findTopic(name: string) {
    const snap = await this.requireSnapshot();
    const fresh = snap.topics.find((t) => t.name === name) ? snap : ((await this.snapshot(0)) ?? snap);
    const topic = fresh.topics.find((t) => t.name === name);
    if (!topic) throw new AppError("topic_not_found", `No topic "${name}" in cluster "${this.id}"`);
    return topic;
  }

  private creating = new Set<string>();

  async createTopic(input: NewTopic): Promise<TopicDetail> {
    return this.audit(
      "topic.create",
      { topic: input.name, partitions: input.partitions, rf: input.replicationFactor },
      async () => {
        const snap = await this.requireSnapshot();
        if (input.replicationFactor > snap.brokers.length) {
          throw new AppError(
            "validation_failed",
            `replication factor ${input.replicationFactor} is more than the ${snap.brokers.length} broker(s) up`,
            { field: "replicationFactor" },
          );
        }
        if (this.creating.has(input.name))
          throw new AppError("conflict", `Topic "${input.name}" is being created already`);
        this.creating.add(input.name);
        try {
          await createTopic(this.seeds(), input);
        } finally {
          this.creating.delete(input.name);
        }
        await this.awaitMetadata(`topic ${input.name}`, (s) =>
          s.topics.some(
            (t) =>
              t.name === input.name &&
              t.partitions.length === input.partitions &&
              t.partitions.every((p) => p.leader >= 0),
          ),
        );
        return this.topic(input.name);
      },
    );
  }

  async addPartitions(name: string, count: number): Promise<TopicSummary> {
    return this.audit("topic.add-partitions", { topic: name, count }, async () => {
      const topic = await this.findTopic(name);
      const current = topic.partitions.length;
      if (count <= current) {
        throw new AppError(
          "validation_failed",
          `${name} has ${current} partition(s): Kafka can add partitions but never remove them, so count must be more than ${current}`,
          { field: "count" },
        );
      }
      await createPartitions(this.seeds(), name, count);
      await this.awaitMetadata(`${name} with ${count} partitions`, (s) =>
        s.topics.some((t) => t.name === name && t.partitions.length === count),
      );
      const summary = (await this.topics()).find((t) => t.name === name);
      if (!summary) throw new AppError("topic_not_found", `Topic "${name}" disappeared`);
      return summary;
    });
  }

  async deleteTopic(name: string): Promise<void> {
    await this.audit("topic.delete", { topic: name }, async () => {
      const topic = await this.findTopic(name);
      if (topic.internal) throw new AppError("conflict", `${name} is an internal topic: Kafka needs it`);
      await deleteTopic(this.seeds(), name);
      await this.awaitMetadata(`${name} deleted`, (s) => !s.topics.some((t) => t.name === name));
    });
  }

  async alterTopicConfigs(name: string, changes: Record<string, string | null>): Promise<TopicConfigEntry[]> {
    return this.audit("topic.alter-configs", { topic: name, configs: changes }, async () => {
      await this.findTopic(name);
      await alterTopicConfigs(this.seeds(), name, changes);
      // The controller has the change; the broker answering next may learn it a moment later.
      const applied = (configs: TopicConfigEntry[]) =>
        Object.entries(changes).every(([k, v]) => {
          const c = configs.find((x) => x.name === k);
          return v === null ? c?.isDefault !== false : c?.value === v;
        });
      const deadline = Date.now() + 5000;
      let configs = await this.topicConfigs(name);
      while (!applied(configs) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        configs = await this.topicConfigs(name);
      }
      return configs;
    });
  }

  /** Preferred leader election for one topic, or every partition of the cluster. */
  async electPreferredLeaders(topicName?: string): Promise<ElectionReport> {
    return this.audit("leaders.elect-preferred", { topic: topicName ?? "*" }, async () => {
      let partitions: Map<string, number[]> | null = null;
      if (topicName) {
        const topic = await this.findTopic(topicName);
        partitions = new Map([[topicName, topic.partitions.map((p) => p.partition)]]);
      }
      const results: ElectionResult[] = await electPreferredLeaders(this.seeds(), partitions);
      return {
        elected: results.filter((r) => r.outcome === "elected").length,
        already: results.filter((r) => r.outcome === "already").length,
        failed: results.filter((r) => r.outcome === "failed").length,
        results,
      };
    });
  }

  /** Waits (≤ `timeoutMs`) until a fresh snapshot satisfies `done`, so the caller's next read sees it; false if none did. */
  async awaitMetadata(what: string, done: (s: ClusterSnapshot) => boolean, timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const s = await this.snapshot(0);
      if (s && done(s)) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    logger.warn({ cluster: this.id, what }, "not yet in the cluster's metadata");
    return false;
  }
}

function totalLag(offsets: { lag: number | null }[]): number | null {
  const known = offsets.map((o) => o.lag).filter((l): l is number => l !== null);
  return known.length === 0 ? null : sum(known);
}
