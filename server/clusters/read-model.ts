import "server-only";
import type { GroupListQuery, TopicListQuery } from "@/lib/schemas/lists";
import type {
  Broker,
  ClusterOrigin,
  ClusterOverview,
  ClusterSecurity,
  ClusterStatus,
  ClusterSummary,
  ConsumerGroupDetail,
  ConsumerGroupSummary,
  Controller,
  ListPage,
  PartitionInfo,
  QuorumView,
  TopicConfigEntry,
  TopicDetail,
  TopicSummary,
} from "@/lib/types";
import { AppError } from "../errors";
import type { ClusterMetadata } from "../kafka/metadata";
import type { ClusterSnapshot, SnapshotTopic } from "../kafka/snapshot";
import { logger } from "../logger";
import { BrokerStops, stopProgress } from "./broker-stops";
import type { KafkaGateway, NodeSupervisor } from "./gateway";
import { groupPage, type NameScope, topicPage } from "./list-pages";
import { brokerRows, configEntries, groupDetail, groupSummary, sum, topicSummaries } from "./projections";
import { KAFKA_TIMEOUT_MS, SnapshotCache } from "./snapshot-cache";

/**
 * One cluster as the API reads it: every answer is a projection of the shared snapshot (see
 * SnapshotCache), merged, for a cluster Quorum runs, with the supervisor's view of each process.
 */
export class ReadModel {
  readonly cache: SnapshotCache;
  /** Where the cluster comes from and whether it refuses mutations (set by whoever makes the cluster). */
  access: { origin: ClusterOrigin; readOnly: boolean };
  /** TLS and the SASL mechanism and user, for an external cluster that is not plaintext (shown, never a secret). */
  security: ClusterSecurity | null = null;
  /** The graceful broker stops under way (broker-commands.ts): each broker row says how far its own has come. */
  readonly stops = new BrokerStops();

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly staticBootstrap: string[],
    readonly supervisor: NodeSupervisor | null,
    readonly gateway: KafkaGateway,
  ) {
    this.cache = new SnapshotCache(
      id,
      () => this.bootstrap,
      gateway,
      supervisor,
      () => this.stops.ids(),
    );
    this.access = { origin: supervisor ? "embedded" : "env", readOnly: false };
  }

  get kind(): "embedded" | "external" {
    return this.supervisor ? "embedded" : "external";
  }

  get bootstrap(): string[] {
    return this.supervisor ? this.supervisor.bootstrap : this.staticBootstrap;
  }

  /** Each snapshot's Metadata answer, as soon as it arrives (see SnapshotCache.onMetadata). */
  onMetadata(listener: (md: ClusterMetadata) => void): () => void {
    return this.cache.onMetadata(listener);
  }

  snapshot(maxAgeMs?: number): Promise<ClusterSnapshot | null> {
    return this.cache.snapshot(maxAgeMs);
  }

  /** How old a snapshot may be and still answer a read (see SnapshotCache.readMaxAgeMs). */
  get readMaxAgeMs(): number {
    return this.cache.readMaxAgeMs;
  }

  /** One Metadata answer now, told to the `onMetadata` listeners (see SnapshotCache.metadata). */
  metadata(): Promise<boolean> {
    return this.cache.metadata();
  }

  seeds(): string[] {
    return this.cache.seeds();
  }

  /** A snapshot (begun at most `maxAgeMs` ago), or 503 `cluster_unavailable`. */
  async requireSnapshot(maxAgeMs?: number): Promise<ClusterSnapshot> {
    const snap = await this.snapshot(maxAgeMs);
    if (!snap) {
      throw new AppError(
        "cluster_unavailable",
        `Cluster "${this.id}" does not answer: ${this.cache.lastError?.message ?? "no broker is up"}`,
      );
    }
    return snap;
  }

  async brokers(): Promise<Broker[]> {
    return this.brokerStatuses(await this.snapshot());
  }

  /** Every broker and its status: the supervisor's for a cluster Quorum runs, else up when in `snap`. */
  brokerStatuses(snap: ClusterSnapshot | null): Broker[] {
    const rows = brokerRows(snap, this.supervisor, this.cache.known);
    if (this.stops.size === 0) return rows;
    return rows.map((b) => {
      const stop = b.status === "stopping" ? this.stops.get(b.id) : undefined;
      return stop ? { ...b, stopping: stopProgress(stop, snap, b.id) } : b;
    });
  }

  controllers(): Controller[] {
    return (this.supervisor?.nodeStates() ?? [])
      .filter((n) => n.role === "controller")
      .map((n) => ({ id: n.id, host: n.host, port: n.port, status: n.status, pid: n.pid }));
  }

  /**
   * The controller quorum as `snap`'s DescribeQuorum tells it, with each voter's process for a lab.
   * A lab with fewer voters up than the majority has lost its quorum, whatever the last answer said.
   */
  quorumView(snap: ClusterSnapshot | null): QuorumView {
    const q = snap?.quorum ?? null;
    const processes = (this.supervisor?.nodeStates() ?? []).filter((n) => n.role === "controller");
    const ids = processes.length ? processes.map((n) => n.id) : (q?.voters.map((v) => v.id) ?? []);
    const needed = Math.floor(ids.length / 2) + 1;
    const up = processes.length ? processes.filter((n) => n.status === "up").length : null;
    const voters = ids.map((id) => {
      const v = q?.voters.find((x) => x.id === id);
      const leo = v && v.logEndOffset >= 0 ? v.logEndOffset : null;
      return {
        id,
        logEndOffset: leo,
        lag: leo !== null && q ? Math.max(0, q.highWatermark - leo) : null,
        status: processes.find((n) => n.id === id)?.status ?? null,
      };
    });
    const state: QuorumView["state"] = up !== null && up < needed ? "lost" : q && q.leaderId >= 0 ? "ok" : "unknown";
    return {
      leader: q && q.leaderId >= 0 ? q.leaderId : null,
      epoch: q ? q.leaderEpoch : null,
      highWatermark: q ? q.highWatermark : null,
      voters,
      up,
      needed,
      state,
      readAt: snap?.takenAt ?? null,
    };
  }

  async summary(): Promise<ClusterSummary> {
    return this.summaryFrom(await this.snapshot());
  }

  private summaryFrom(snap: ClusterSnapshot | null): ClusterSummary {
    const brokers = this.brokerStatuses(snap);
    const up = brokers.filter((b) => b.status === "up").length;
    const offline = snap ? sum(snap.topics.map((t) => t.partitions.filter((p) => p.leader < 0).length)) : 0;
    const sup = this.supervisor;
    let status: ClusterStatus;
    if (sup?.isStarting) status = "starting";
    else if (sup?.nodeStates().every((n) => n.status === "down")) status = "stopped";
    else if (!snap || up === 0) status = "unreachable";
    else
      status =
        up < brokers.length || offline > 0 || (sup && this.quorumView(snap).state === "lost") ? "degraded" : "ok";
    const sasl = sup?.saslListener?.() ?? null;
    return {
      id: this.id,
      name: this.name,
      kind: this.kind,
      origin: this.access.origin,
      readOnly: this.access.readOnly,
      bootstrap: this.bootstrap,
      status,
      controllable: sup !== null,
      clusterId: snap?.clusterId ?? this.cache.latest?.clusterId ?? sup?.clusterId ?? null,
      kafkaVersion: sup?.kafkaVersion ?? null,
      brokersUp: up,
      brokersTotal: brokers.length,
      ...(sasl ? { sasl } : {}),
      ...(this.security ? { security: this.security } : {}),
      // A lab whose last start failed says why while it is degraded too (some of its brokers up).
      ...(status === "unreachable" || status === "stopped"
        ? { message: sup?.startError ?? this.cache.lastError?.message ?? null }
        : status === "degraded" && sup?.startError
          ? { message: sup.startError }
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
        ? {
            takenAt: snap.takenAt,
            durationMs: snap.durationMs,
            requests: snap.requests,
            errors: snap.errors,
            complete: snap.complete,
            partial: snap.partial,
          }
        : null,
    };
  }

  /** Every topic's summary (internal ones too): for callers that need them all; the API serves pages (topicPage). */
  async topics(): Promise<TopicSummary[]> {
    return topicSummaries(await this.requireSnapshot());
  }

  /** One page of the topic list: searched, sorted and cut on the server (see list-pages.ts). */
  async topicPage(query: TopicListQuery, scope?: NameScope): Promise<ListPage<TopicSummary>> {
    return topicPage(await this.requireSnapshot(), query, Date.now(), scope);
  }

  /** The same page, only if the snapshot a read would use is at hand now; null rather than wait for one. */
  topicPageIfFresh(query: TopicListQuery, scope?: NameScope): ListPage<TopicSummary> | null {
    const snap = this.cache.current;
    return snap ? topicPage(snap, query, Date.now(), scope) : null;
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
      topicId: topic.topicId,
      internal: topic.internal,
      partitions: topic.partitions.map((p) => ({ ...p, preferredLeader: p.replicas[0] ?? -1 })),
      configs: await this.topicConfigs(name),
    };
  }

  async topicConfigs(name: string): Promise<TopicConfigEntry[]> {
    return configEntries(await this.gateway.describeTopicConfigs(this.seeds(), name, KAFKA_TIMEOUT_MS));
  }

  async consumerGroups(): Promise<ConsumerGroupSummary[]> {
    return (await this.requireSnapshot()).groups.map(groupSummary);
  }

  /** One page of the consumer-group list: searched, sorted and cut on the server. */
  async consumerGroupPage(query: GroupListQuery, scope?: NameScope): Promise<ListPage<ConsumerGroupSummary>> {
    return groupPage(await this.requireSnapshot(), query, Date.now(), scope);
  }

  /** The same page, only if the snapshot a read would use is at hand now; null rather than wait for one. */
  consumerGroupPageIfFresh(query: GroupListQuery, scope?: NameScope): ListPage<ConsumerGroupSummary> | null {
    const snap = this.cache.current;
    return snap ? groupPage(snap, query, Date.now(), scope) : null;
  }

  async consumerGroup(groupId: string): Promise<ConsumerGroupDetail> {
    const g = (await this.requireSnapshot()).groups.find((x) => x.groupId === groupId);
    if (!g) throw new AppError("group_not_found", `No consumer group "${groupId}" in cluster "${this.id}"`);
    return groupDetail(g);
  }

  /** The topic in the current snapshot; if absent (perhaps created a moment ago), in a fresh one; else 404. */
  async findTopic(name: string): Promise<SnapshotTopic> {
    const snap = await this.requireSnapshot();
    const fresh = snap.topics.find((t) => t.name === name) ? snap : ((await this.snapshot(0)) ?? snap);
    const topic = fresh.topics.find((t) => t.name === name);
    if (!topic) throw new AppError("topic_not_found", `No topic "${name}" in cluster "${this.id}"`);
    return topic;
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
