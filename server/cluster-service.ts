import "server-only";
import type {
  Broker,
  ClusterOverview,
  ClusterStatus,
  ClusterSummary,
  ConsumerGroupDetail,
  ConsumerGroupSummary,
  Controller,
  TopicConfigEntry,
  TopicDetail,
  TopicSummary,
} from "@/lib/types";
import type { EmbeddedCluster } from "./embedded/embedded-cluster";
import type { StopMode } from "./embedded/node-process";
import { AppError } from "./errors";
import { AdminClient } from "./kafka/admin-client";
import { type ClusterSnapshot, takeSnapshot } from "./kafka/snapshot";
import { logger } from "./logger";

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

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * One cluster as the API sees it: a snapshot shared by concurrent callers (one in flight, a short
 * cache), plus, for the embedded cluster, the node supervisor's view of each process.
 */
export class ClusterService {
  private inflight: Promise<ClusterSnapshot> | null = null;
  private cached: ClusterSnapshot | null = null;
  private lastError: { at: number; message: string } | null = null;
  private preferred: string | null = null;
  /** Brokers seen in any snapshot: a broker missing from the latest one is down. */
  private known = new Map<number, { host: string; port: number; rack: string | null }>();
  readonly admin: AdminClient;

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly staticBootstrap: string[],
    readonly embedded: EmbeddedCluster | null,
  ) {
    this.admin = new AdminClient(() => this.bootstrap, KAFKA_TIMEOUT_MS);
  }

  get kind(): "embedded" | "external" {
    return this.embedded ? "embedded" : "external";
  }

  get bootstrap(): string[] {
    return this.embedded ? this.embedded.bootstrap : this.staticBootstrap;
  }

  /** The latest snapshot no older than `maxAgeMs`, or null when no broker answers within the timeout. */
  async snapshot(maxAgeMs = SNAPSHOT_MAX_AGE_MS): Promise<ClusterSnapshot | null> {
    if (this.cached && Date.now() - this.cached.takenAt <= maxAgeMs) return this.cached;
    if (this.embedded && !this.embedded.nodeStates().some((n) => n.role === "broker" && n.status === "up")) {
      this.lastError = { at: Date.now(), message: "no broker of the embedded cluster is up" };
      return null;
    }
    this.inflight ??= this.take().finally(() => {
      this.inflight = null;
    });
    try {
      return await this.inflight;
    } catch (err) {
      this.lastError = { at: Date.now(), message: err instanceof Error ? err.message : String(err) };
      return null;
    }
  }

  /** Forgets the cached snapshot, so the next read sees the effect of an action. */
  invalidate(): void {
    this.cached = null;
  }

  private async take(): Promise<ClusterSnapshot> {
    const all = this.bootstrap;
    const seeds =
      this.preferred && all.includes(this.preferred)
        ? [this.preferred, ...all.filter((a) => a !== this.preferred)]
        : all;
    const snap = await takeSnapshot(seeds, KAFKA_TIMEOUT_MS);
    const answered = snap.brokers[0];
    this.preferred = answered ? `${answered.host}:${answered.port}` : null;
    this.cached = snap;
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
      clusterId: snap?.clusterId ?? this.cached?.clusterId ?? this.embedded?.clusterId ?? null,
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
    return {
      cluster,
      brokersUp: cluster.brokersUp,
      brokersTotal: cluster.brokersTotal,
      topics: user.length,
      internalTopics: (snap?.topics.length ?? 0) - user.length,
      partitions: parts.length,
      underReplicated: parts.filter((p) => p.isr.length < p.replicas.length).length,
      offline: parts.filter((p) => p.leader < 0).length,
      groups: snap?.groups.length ?? 0,
      totalLag: sum((snap?.groups ?? []).flatMap((g) => g.offsets.map((o) => o.lag ?? 0))),
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

  async topic(name: string): Promise<TopicDetail> {
    let snap = await this.requireSnapshot();
    let topic = snap.topics.find((t) => t.name === name);
    if (!topic) {
      // Perhaps created a moment ago: look once more with a fresh snapshot before saying 404.
      snap = (await this.snapshot(0)) ?? snap;
      topic = snap.topics.find((t) => t.name === name);
    }
    if (!topic) throw new AppError("topic_not_found", `No topic "${name}" in cluster "${this.id}"`);
    return {
      name: topic.name,
      internal: topic.internal,
      partitions: topic.partitions.map((p) => ({ ...p, preferredLeader: p.replicas[0] ?? -1 })),
      configs: await this.topicConfigs(name),
    };
  }

  async topicConfigs(name: string): Promise<TopicConfigEntry[]> {
    const res = await this.admin.use("DescribeConfigs", (a) =>
      a.describeConfigs({ resources: [{ type: 2, name }], includeSynonyms: false }),
    );
    const entries = res.resources[0]?.configEntries ?? [];
    return entries
      .map((e) => ({
        name: e.configName,
        value: e.configValue ?? null,
        source: CONFIG_SOURCES[(e as { configSource?: number }).configSource ?? 0] ?? "UNKNOWN",
        isDefault: e.isDefault,
        readOnly: e.readOnly,
        sensitive: e.isSensitive,
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

  async stopBroker(id: number, mode: StopMode): Promise<void> {
    const began = Date.now();
    await this.control().stopBroker(id, mode);
    this.invalidate();
    logger.info(
      { action: "broker.stop", cluster: this.id, broker: id, mode, ms: Date.now() - began },
      "broker stopped",
    );
  }

  startBroker(id: number): void {
    this.control().startBroker(id);
    this.invalidate();
    logger.info({ action: "broker.start", cluster: this.id, broker: id }, "broker starting");
  }
}

function totalLag(offsets: { lag: number | null }[]): number | null {
  const known = offsets.map((o) => o.lag).filter((l): l is number => l !== null);
  return known.length === 0 ? null : sum(known);
}
