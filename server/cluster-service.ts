import "server-only";
import type { Broker, ClusterStatus, ClusterSummary, Controller } from "@/lib/types";
import type { EmbeddedCluster } from "./embedded/embedded-cluster";
import type { StopMode } from "./embedded/node-process";
import { AppError } from "./errors";
import { type ClusterMetadata, fetchMetadata } from "./kafka/metadata";
import { logger } from "./logger";

/** Every Kafka call Quorum makes is bounded by this. */
export const KAFKA_TIMEOUT_MS = 4000;
/** How long a metadata answer serves further callers before Kafka is asked again. */
const METADATA_MAX_AGE_MS = 250;

/**
 * One cluster as the API sees it: metadata shared by concurrent callers (one request in flight,
 * a short cache), plus, for the embedded cluster, the node supervisor's view of each process.
 */
export class ClusterService {
  private inflight: Promise<ClusterMetadata> | null = null;
  private cached: { at: number; value: ClusterMetadata } | null = null;
  private lastError: { at: number; message: string } | null = null;
  private preferred: string | null = null;
  /** Brokers seen in any metadata answer: a broker missing from the latest one is down. */
  private known = new Map<number, { host: string; port: number; rack: string | null }>();

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly staticBootstrap: string[],
    readonly embedded: EmbeddedCluster | null,
  ) {}

  get kind(): "embedded" | "external" {
    return this.embedded ? "embedded" : "external";
  }

  get bootstrap(): string[] {
    return this.embedded ? this.embedded.bootstrap : this.staticBootstrap;
  }

  /** Latest metadata, or null when no broker answers within the timeout. */
  async metadata(): Promise<ClusterMetadata | null> {
    if (this.cached && Date.now() - this.cached.at < METADATA_MAX_AGE_MS) return this.cached.value;
    if (this.embedded && !this.embedded.nodeStates().some((n) => n.role === "broker" && n.status === "up")) {
      this.lastError = { at: Date.now(), message: "no broker of the embedded cluster is up" };
      return null;
    }
    this.inflight ??= this.fetch().finally(() => {
      this.inflight = null;
    });
    try {
      return await this.inflight;
    } catch (err) {
      this.lastError = { at: Date.now(), message: err instanceof Error ? err.message : String(err) };
      return null;
    }
  }

  private async fetch(): Promise<ClusterMetadata> {
    const all = this.bootstrap;
    const seeds =
      this.preferred && all.includes(this.preferred)
        ? [this.preferred, ...all.filter((a) => a !== this.preferred)]
        : all;
    const md = await fetchMetadata(seeds, KAFKA_TIMEOUT_MS);
    this.preferred = md.from;
    this.cached = { at: Date.now(), value: md };
    this.lastError = null;
    for (const b of md.brokers) this.known.set(b.nodeId, { host: b.host, port: b.port, rack: b.rack });
    return md;
  }

  async brokers(): Promise<Broker[]> {
    const md = await this.metadata();
    const leaders = new Map<number, number>();
    const replicas = new Map<number, number>();
    for (const t of md?.topics ?? []) {
      for (const p of t.partitions) {
        if (p.leader >= 0) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
        for (const r of p.replicas) replicas.set(r, (replicas.get(r) ?? 0) + 1);
      }
    }
    const live = new Map((md?.brokers ?? []).map((b) => [b.nodeId, b]));
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
        status: md && live.has(id) ? ("up" as const) : ("down" as const),
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
    const brokers = await this.brokers();
    const up = brokers.filter((b) => b.status === "up").length;
    let status: ClusterStatus;
    if (this.embedded?.isStarting) {
      status = "starting";
    } else if (this.embedded?.nodeStates().every((n) => n.status === "down")) {
      status = "stopped";
    } else if (up === 0 || (!this.embedded && this.lastError)) {
      status = "unreachable";
    } else {
      status = up < brokers.length ? "degraded" : "ok";
    }
    return {
      id: this.id,
      name: this.name,
      kind: this.kind,
      bootstrap: this.bootstrap,
      status,
      controllable: this.embedded !== null,
      clusterId: this.cached?.value.clusterId ?? this.embedded?.clusterId ?? null,
      kafkaVersion: this.embedded?.kafkaVersion ?? null,
      brokersUp: up,
      brokersTotal: brokers.length,
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
    this.cached = null;
    logger.info(
      { action: "broker.stop", cluster: this.id, broker: id, mode, ms: Date.now() - began },
      "broker stopped",
    );
  }

  startBroker(id: number): void {
    this.control().startBroker(id);
    this.cached = null;
    logger.info({ action: "broker.start", cluster: this.id, broker: id }, "broker starting");
  }
}
