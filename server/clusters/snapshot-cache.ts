import "server-only";
import type { ClusterMetadata } from "../kafka/metadata";
import type { ClusterSnapshot } from "../kafka/snapshot";
import { logger } from "../logger";
import { countSnapshotFailure, observeSnapshot } from "../telemetry/registry";
import { brokersUpNow, type KafkaGateway, type NodeSupervisor } from "./gateway";

/** Every Kafka call Quorum makes is bounded by this. */
export const KAFKA_TIMEOUT_MS = 4000;
/**
 * How old a snapshot may be and still answer an API read (QUORUM_READ_MAX_AGE_MS): the cluster
 * monitor refreshes it every 0.5–2 s anyway, so a read within this age costs no Kafka request; a
 * read finding it older waits for a new one. Commands read with `snapshot(0)` (or invalidate)
 * to see their own effect.
 */
export const READ_MAX_AGE_MS = 5000;
/**
 * How old a snapshot may be for a command's checks and for requests sent to partition leaders
 * (ListOffsets, DeleteRecords, a reset's plan): as fresh as every read was before the read age
 * above, so a leader that moved a few seconds ago is not asked.
 */
export const COMMAND_MAX_AGE_MS = 500;

/** A broker as last seen in a snapshot. */
export interface KnownBroker {
  host: string;
  port: number;
  rack: string | null;
}

/**
 * One cluster's snapshots, shared by concurrent callers: one in flight, a short cache. Also keeps
 * what the snapshots taught: which broker answered last (asked first next time), the brokers ever
 * seen (one missing from the latest snapshot is down) and why the last attempt failed.
 */
export class SnapshotCache {
  /** The snapshot being taken, and when it began: it reflects the cluster as of that moment or later. */
  private inflight: { startedAt: number; promise: Promise<ClusterSnapshot> } | null = null;
  /** The one snapshot waiting to begin (after the one in flight): it serves everyone who asks meanwhile. */
  private queued: Promise<ClusterSnapshot> | null = null;
  private cached: { startedAt: number; snap: ClusterSnapshot } | null = null;
  /** When the cache was last invalidated: no snapshot begun before serves a later caller. */
  private invalidatedAt = Number.NEGATIVE_INFINITY;
  private preferred: string | null = null;
  /** The snapshot errors last logged, joined: a change is logged once. */
  private loggedErrors = "";
  /** Why the last snapshot failed; null after one succeeds. */
  lastError: { at: number; message: string } | null = null;
  /** Brokers seen in any snapshot, by node id. */
  readonly known = new Map<number, KnownBroker>();
  /** Told each snapshot's Metadata answer as soon as it arrives (see `onMetadata`). */
  private readonly metadataListeners = new Set<(md: ClusterMetadata) => void>();
  /** How old a snapshot may be to serve a read that does not say (see READ_MAX_AGE_MS). */
  readMaxAgeMs = READ_MAX_AGE_MS;

  constructor(
    private readonly id: string,
    private readonly bootstrap: () => string[],
    private readonly gateway: KafkaGateway,
    private readonly supervisor: NodeSupervisor | null,
    /** Brokers being stopped: asked last (see `seeds`). */
    private readonly stopping: () => number[] = () => [],
  ) {}

  /** The latest snapshot taken, however old, or null. */
  get latest(): ClusterSnapshot | null {
    return this.cached?.snap ?? null;
  }

  /** The latest snapshot if a read may be answered from it now (begun within `readMaxAgeMs`), else null: never waits. */
  get current(): ClusterSnapshot | null {
    return this.cachedAfter(this.notBefore(this.readMaxAgeMs));
  }

  /**
   * When a snapshot must have begun, strictly after, to serve a caller asking for one at most
   * `maxAgeMs` old: with 0, only one begun after the call was made; never one begun before the
   * last invalidation.
   */
  private notBefore(maxAgeMs: number): number {
    return Math.max(performance.now() - maxAgeMs, this.invalidatedAt);
  }

  /** The cached snapshot if it began after `notBefore`. */
  private cachedAfter(notBefore: number): ClusterSnapshot | null {
    return this.cached && this.cached.startedAt > notBefore ? this.cached.snap : null;
  }

  /**
   * A snapshot begun no more than `maxAgeMs` before this call, or null when no broker answers within
   * the timeout; `snapshot(0)` always reflects the cluster after the call began. Concurrent callers
   * share: one snapshot in flight, and at most one queued behind it, which starts when the one in
   * flight ends and serves every caller that the one in flight is too old for. So any number of
   * concurrent callers cost at most two snapshots' worth of Kafka requests.
   */
  async snapshot(maxAgeMs = this.readMaxAgeMs): Promise<ClusterSnapshot | null> {
    const notBefore = this.notBefore(maxAgeMs);
    const cached = this.cachedAfter(notBefore);
    if (cached) return cached;
    if (this.supervisor && brokersUpNow(this.supervisor).size === 0) {
      this.lastError = { at: Date.now(), message: "no broker of the embedded cluster is up" };
      return null;
    }
    try {
      return await this.fresh(notBefore);
    } catch (err) {
      this.lastError = { at: Date.now(), message: err instanceof Error ? err.message : String(err) };
      return null;
    }
  }

  /** The snapshot in flight if it began after `notBefore`, else the queued one (queued now if there is none). */
  private fresh(notBefore: number): Promise<ClusterSnapshot> {
    if (this.inflight && this.inflight.startedAt > notBefore) return this.inflight.promise;
    this.queued ??= this.queue();
    return this.queued;
  }

  /**
   * A snapshot that begins once the one in flight (if any) has ended, and never in the turn it was
   * queued in: every caller that asks until it begins joins it, and it began after each of them asked.
   */
  private async queue(): Promise<ClusterSnapshot> {
    const ahead = this.inflight?.promise.catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    await ahead;
    this.queued = null;
    return this.begin();
  }

  private begin(): Promise<ClusterSnapshot> {
    const startedAt = performance.now();
    const promise = this.take(startedAt).finally(() => {
      if (this.inflight?.promise === promise) this.inflight = null;
    });
    this.inflight = { startedAt, promise };
    return promise;
  }

  /**
   * Calls `listener` with each snapshot's Metadata answer the moment it arrives, before the
   * snapshot's offsets and groups are read (the monitor tells leadership changes from it); returns
   * the unsubscribe.
   */
  onMetadata(listener: (md: ClusterMetadata) => void): () => void {
    this.metadataListeners.add(listener);
    return () => {
      this.metadataListeners.delete(listener);
    };
  }

  /**
   * One Metadata answer now, outside any snapshot, told to every `onMetadata` listener: while a
   * snapshot of a large cluster spends seconds on offsets and groups (longer while a broker that
   * leads thousands of partitions stops), the monitor follows leadership at Metadata's pace.
   * Resolves false when no broker answered.
   */
  async metadata(): Promise<boolean> {
    let md: ClusterMetadata;
    try {
      md = await this.gateway.clusterMetadata(this.seeds(), KAFKA_TIMEOUT_MS);
    } catch {
      return false;
    }
    this.tellMetadata(md);
    return true;
  }

  private tellMetadata(md: ClusterMetadata): void {
    for (const listener of this.metadataListeners) {
      try {
        listener(md);
      } catch (err) {
        logger.warn({ cluster: this.id, err: String(err) }, "metadata listener failed");
      }
    }
  }

  /** Forgets the cached snapshot, and the one in flight, so the next read sees the effect of an action. */
  invalidate(): void {
    this.cached = null;
    this.invalidatedAt = performance.now();
  }

  /**
   * The bootstrap servers, the one that answered last first, and any broker being stopped last: in
   * its controlled shutdown a broker goes on answering Metadata from its own view, where it still
   * leads what it is handing over, until it exits (seconds at thousands of leaderships).
   */
  seeds(): string[] {
    const all = this.bootstrap();
    const ordered =
      this.preferred && all.includes(this.preferred)
        ? [this.preferred, ...all.filter((a) => a !== this.preferred)]
        : all;
    const away = new Set<string>();
    for (const id of this.stopping()) {
      const b = this.known.get(id);
      if (b) away.add(`${b.host}:${b.port}`);
    }
    if (away.size === 0) return ordered;
    return [...ordered.filter((a) => !away.has(a)), ...ordered.filter((a) => away.has(a))];
  }

  private async take(startedAt: number): Promise<ClusterSnapshot> {
    let snap: ClusterSnapshot;
    try {
      snap = await this.gateway.takeSnapshot(this.seeds(), KAFKA_TIMEOUT_MS, (md) => this.tellMetadata(md));
    } catch (err) {
      countSnapshotFailure(this.id);
      throw err;
    }
    observeSnapshot(this.id, (performance.now() - startedAt) / 1000, snap.requests);
    const answered = snap.brokers[0];
    this.preferred = answered ? `${answered.host}:${answered.port}` : null;
    if (!this.cached || this.cached.startedAt <= startedAt) this.cached = { startedAt, snap };
    this.lastError = null;
    // Logged when what could not be read changes, not on every refresh while a broker stays down.
    const errors = snap.errors.join("\n");
    if (errors !== this.loggedErrors) {
      if (errors) logger.warn({ cluster: this.id, errors: snap.errors }, "snapshot incomplete");
      else if (this.loggedErrors) logger.info({ cluster: this.id }, "snapshot complete again");
      this.loggedErrors = errors;
    }
    for (const b of snap.brokers) this.known.set(b.nodeId, { host: b.host, port: b.port, rack: b.rack });
    return snap;
  }
}
