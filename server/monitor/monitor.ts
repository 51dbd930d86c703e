import "server-only";
import { formatEventId, parseEventId } from "@/lib/event-id";
import type { Broker, ClusterEvent, ClusterEventData, QuorumView } from "@/lib/types";
import { AppError } from "../errors";
import type { ClusterMetadata } from "../kafka/metadata";
import type { ClusterSnapshot } from "../kafka/snapshot";
import { logger } from "../logger";
import { diffViews, type MonitorView } from "./diff";

/** What the monitor watches: the cluster's snapshots and its brokers' statuses. */
export interface Watched {
  readonly id: string;
  snapshot(maxAgeMs: number): Promise<ClusterSnapshot | null>;
  brokerStatuses(snap: ClusterSnapshot | null): Broker[];
  /** The controller quorum's state as `snap` and the lab's processes tell it (absent: not followed). */
  quorumView?(snap: ClusterSnapshot | null): Pick<QuorumView, "state" | "up" | "needed">;
  /** Each snapshot's Metadata answer as soon as it arrives, before the snapshot ends; returns the unsubscribe. */
  onMetadata?(listener: (md: ClusterMetadata) => void): () => void;
  /** One Metadata answer now, outside any snapshot, told to the `onMetadata` listener; false when none came. */
  metadata?(): Promise<boolean>;
  /** How old a snapshot may be and still answer a read (QUORUM_READ_MAX_AGE_MS): older, a read waits for a new one. */
  readonly readMaxAgeMs?: number;
}

export interface MonitorOptions {
  /** Refresh pace while someone listens. */
  intervalMs: number;
  /** Refresh pace right after an action or a change, for `fastWindowMs`. */
  fastIntervalMs: number;
  fastWindowMs: number;
  /** Refresh pace with no listener. */
  idleIntervalMs: number;
  ringSize: number;
  /** Event streams (browser tabs) one cluster serves at most; the next one answers 503. */
  maxStreams: number;
  /** The run's epoch in event ids; the construction time in base36 when absent. */
  epoch?: string;
}

export const DEFAULT_MONITOR_OPTIONS: MonitorOptions = {
  intervalMs: 500,
  fastIntervalMs: 100,
  fastWindowMs: 10_000,
  idleIntervalMs: 2000,
  ringSize: 2000,
  maxStreams: 100,
};

/** The pause after a look is at least this many times the look's own duration. */
export const LOOK_PAUSE_FACTOR = 2;

export interface MonitorStatus {
  running: boolean;
  subscribers: number;
  streams: number;
  maxStreams: number;
  lastEventId: string;
  events: number;
  intervalMs: number;
  ticks: number;
}

/**
 * One per cluster, shared by every tab and API call: refreshes the snapshot on a short interval,
 * diffs consecutive views into typed events, keeps the recent ones in a ring, and pushes each to
 * its subscribers. N listeners never mean N× requests to Kafka.
 */
export class ClusterMonitor {
  private ring: ClusterEvent[] = [];
  /** This run's part of every event id. */
  readonly epoch: string;
  private nextSeq = 1;
  private listeners = new Set<(e: ClusterEvent) => void>();
  private streams = 0;
  /** How each open event stream is ended when the cluster goes away. */
  private streamClosers = new Set<() => void>();
  private closed = false;
  private view: MonitorView | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private ticking = false;
  private again = false;
  private fastUntil = 0;
  private ticks = 0;
  /** Events emitted since the monitor was made, by type (read by /metrics). */
  private readonly emitted = new Map<string, number>();
  /** Ends the early look at each snapshot's Metadata answer (see `early`). */
  private offMetadata: (() => void) | null = null;
  /** How long the last look took (snapshot, diff and emitting), and when it ended (performance.now()). */
  private lastLookMs = 0;
  private lastLookEnd = 0;
  /** When the look in progress (or the last one) began (performance.now()). */
  private lookBegan = 0;
  /** Whether the leadership watch (see `watchLeadership`) is running. */
  private watching = false;
  /**
   * When the Metadata answer the view's topics come from was asked (performance.now()): an answer
   * asked earlier, arriving later, is an older picture and changes nothing.
   */
  private topicsAsOf = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly cluster: Watched,
    private readonly opts: MonitorOptions = DEFAULT_MONITOR_OPTIONS,
  ) {
    this.epoch = opts.epoch ?? Date.now().toString(36);
  }

  start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    this.offMetadata = this.cluster.onMetadata?.((md) => this.early(md)) ?? null;
    void this.tick();
  }

  stop(): void {
    this.running = false;
    this.offMetadata?.();
    this.offMetadata = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * For a cluster that is removed: stops looking for good, ends every event stream (each client's
   * stream closes) and drops every listener. The monitor cannot be started again.
   */
  close(): void {
    this.closed = true;
    this.stop();
    const closers = [...this.streamClosers];
    this.streamClosers.clear();
    for (const close of closers) close();
    this.listeners.clear();
  }

  /** Look now, and keep looking fast for a while: something is about to change. */
  kick(): void {
    this.fastUntil = Date.now() + this.opts.fastWindowMs;
    if (!this.running) return;
    this.watchLeadership();
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    void this.tick();
  }

  subscribe(listener: (e: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    this.start();
    // The first listener (a page opening) changes the pace from idle to listened, no more: an
    // immediate look and the fast window would put a whole snapshot, on a large cluster seconds of
    // work, in the middle of that page's own loading.
    if (this.listeners.size === 1) this.repace();
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * A listener for one event stream, counted against `maxStreams`: past it, 503
   * `too_many_subscribers`. Internal listeners (drills) use `subscribe` and are not counted.
   */
  subscribeStream(listener: (e: ClusterEvent) => void, onClose?: () => void): () => void {
    if (this.closed) throw new AppError("cluster_not_found", `Cluster ${this.cluster.id} was removed`);
    if (this.streams >= this.opts.maxStreams) {
      throw new AppError(
        "too_many_subscribers",
        `Cluster ${this.cluster.id} already serves ${this.opts.maxStreams} event streams (QUORUM_SSE_MAX_SUBSCRIBERS); close a tab and retry`,
      );
    }
    this.streams++;
    const unsubscribe = this.subscribe(listener);
    let open = true;
    const closer = () => onClose?.();
    this.streamClosers.add(closer);
    return () => {
      if (!open) return;
      open = false;
      this.streams--;
      this.streamClosers.delete(closer);
      unsubscribe();
    };
  }

  /**
   * The events a stream resuming after `lastEventId` missed, oldest first. An id of this run:
   * those after it still in the ring. An id of another run (or not an id of this format, like the
   * bare numbers older versions sent): the whole ring, since every event in it happened after that
   * browser last heard from this server, which restarted in between.
   */
  since(lastEventId: string): ClusterEvent[] {
    const id = parseEventId(lastEventId);
    if (id === null || id.epoch !== this.epoch) return [...this.ring];
    return this.ring.filter((e) => (parseEventId(e.id)?.seq ?? 0) > id.seq);
  }

  recent(limit: number): ClusterEvent[] {
    return this.ring.slice(-limit);
  }

  /** How many events of each type the monitor has emitted, the ring's evicted ones included. */
  eventCounts(): ReadonlyMap<string, number> {
    return this.emitted;
  }

  /** The id of the newest event, `<epoch>-0` before the first. */
  get lastEventId(): string {
    return formatEventId(this.epoch, this.nextSeq - 1);
  }

  status(): MonitorStatus {
    return {
      running: this.running,
      subscribers: this.listeners.size,
      streams: this.streams,
      maxStreams: this.opts.maxStreams,
      lastEventId: this.lastEventId,
      events: this.ring.length,
      intervalMs: this.currentInterval(),
      ticks: this.ticks,
    };
  }

  /**
   * The pause before the next look: the pace for now (idle, listened to, fast after a change), but
   * never shorter than twice the last look took. On a cluster whose snapshot takes longer than the
   * pace (tens of thousands of partitions on a small machine), the monitor then spends at most
   * about a third of its time looking, and pages and API reads keep the rest; leadership is still
   * followed at Metadata's pace while something changes (see `watchLeadership`). Reads are
   * answered from a snapshot begun at most `readMaxAgeMs` ago, else they wait for a new one: so
   * the next look begins early enough to end (allowing it a quarter longer than the last) before
   * the last one grows that old, unless that would mean looking more than half the time.
   */
  private currentInterval(): number {
    const pace =
      this.listeners.size === 0
        ? this.opts.idleIntervalMs
        : Date.now() < this.fastUntil
          ? this.opts.fastIntervalMs
          : this.opts.intervalMs;
    const look = this.lastLookMs;
    const wanted = Math.max(pace, LOOK_PAUSE_FACTOR * look);
    const fresh = this.cluster.readMaxAgeMs;
    if (fresh === undefined) return Math.round(wanted);
    return Math.round(Math.min(wanted, Math.max(fresh - 2.25 * look, look)));
  }

  /**
   * One look now, for a monitor that is not running: a test (or a tool) drives it look by look,
   * so that what happens between two looks is exactly what it did. Resolves with the events
   * that look emitted.
   */
  async step(): Promise<ClusterEvent[]> {
    if (this.running || this.ticking) throw new Error("step() drives a stopped monitor only");
    this.ticking = true;
    try {
      const before = this.nextSeq;
      await this.look();
      return this.ring.filter((e) => (parseEventId(e.id)?.seq ?? 0) >= before);
    } finally {
      this.ticking = false;
    }
  }

  /**
   * An early look at a snapshot's Metadata answer, while the snapshot goes on to read offsets and
   * groups (most of its time on a large cluster, and up to its whole deadline while a broker is
   * stopping): leadership, ISR and topic changes are emitted now, from the same answer the
   * snapshot is made of, so the full look that follows finds them already told.
   */
  private early(md: ClusterMetadata): void {
    if (!this.running || !this.view?.reachable || md.askedAt <= this.topicsAsOf) return;
    this.topicsAsOf = md.askedAt;
    const next: MonitorView = {
      ...this.view,
      topics: new Map(md.topics.map((t) => [t.name, { id: t.topicId, partitions: t.partitions }])),
    };
    const changes = diffViews(this.view, next);
    this.view = next;
    if (changes.length > 0) {
      this.fastUntil = Math.max(this.fastUntil, Date.now() + this.opts.fastWindowMs / 2);
      this.watchLeadership();
      this.emit(changes, Date.now());
    }
  }

  /** Takes a snapshot, diffs it against the last view and emits what changed. */
  private async look(): Promise<void> {
    this.ticks++;
    const began = performance.now();
    this.lookBegan = began;
    try {
      await this.lookOnce(began);
    } finally {
      this.lastLookEnd = performance.now();
      this.lastLookMs = this.lastLookEnd - began;
    }
  }

  /** The next look, already scheduled, comes at the pace for now, counted from the end of the last. */
  private repace(): void {
    if (!this.running || this.ticking || !this.timer) return;
    clearTimeout(this.timer);
    const wait = Math.max(0, this.lastLookEnd + this.currentInterval() - performance.now());
    this.timer = setTimeout(() => void this.tick(), wait);
    this.timer.unref();
  }

  /**
   * While looks are slow (longer than the fast pace: a large cluster's offsets and groups, or a
   * stopping broker's requests running into the timeout) and something is changing (the fast
   * window after an action or a change), Metadata alone is asked, during looks and between them,
   * one request at a time with the fast pace between an answer and the next question, and each
   * answer goes through `early`: a leader that moved is told about one Metadata round trip after
   * Kafka shows it, not one whole snapshot (and the pause after it) later. At 40,000 partitions an
   * answer costs this process about a tenth of a second; the watch lasts only as long as the window.
   */
  private watchLeadership(): void {
    const metadata = this.cluster.metadata?.bind(this.cluster);
    if (!metadata || this.watching) return;
    this.watching = true;
    const slow = () =>
      this.lastLookMs > this.opts.fastIntervalMs ||
      (this.ticking && performance.now() - this.lookBegan > this.opts.fastIntervalMs);
    void (async () => {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, this.opts.fastIntervalMs).unref());
        if (!this.running || Date.now() >= this.fastUntil || this.listeners.size === 0) return;
        if (!slow()) continue;
        await metadata().catch(() => false);
      }
    })().finally(() => {
      this.watching = false;
    });
  }

  private async lookOnce(began: number): Promise<void> {
    const snap = await this.cluster.snapshot(0);
    const next = this.toView(snap);
    // A Metadata answer asked after this look began (the look's own, or the leadership watch's)
    // is already in the view, and is at least as new as the snapshot's: its topics stand.
    if (snap && this.view?.reachable && this.topicsAsOf >= began) next.topics = this.view.topics;
    else this.topicsAsOf = began;
    if (this.view) {
      const changes = diffViews(this.view, next);
      if (changes.length > 0) {
        this.fastUntil = Math.max(this.fastUntil, Date.now() + this.opts.fastWindowMs / 2);
        this.watchLeadership();
        this.emit(changes, snap?.takenAt ?? Date.now());
      }
    }
    this.view = next;
  }

  private async tick(): Promise<void> {
    if (!this.running || this.ticking) return;
    this.ticking = true;
    this.timer = null;
    try {
      await this.look();
    } catch (err) {
      logger.warn(
        { cluster: this.cluster.id, err: err instanceof Error ? err.message : String(err) },
        "monitor tick failed",
      );
    } finally {
      this.ticking = false;
      if (this.running) {
        const delay = this.again ? 0 : this.currentInterval();
        this.again = false;
        this.timer = setTimeout(() => void this.tick(), delay);
        this.timer.unref();
      }
    }
  }

  private toView(snap: ClusterSnapshot | null): MonitorView {
    const brokersUp = this.cluster
      .brokerStatuses(snap)
      .filter((b) => b.status === "up")
      .map((b) => b.id);
    return {
      reachable: snap !== null,
      brokersUp,
      controller: snap?.quorum && snap.quorum.leaderId >= 0 ? snap.quorum.leaderId : (this.view?.controller ?? null),
      ...(this.cluster.quorumView ? { quorum: this.quorumOf(this.cluster.quorumView(snap)) } : {}),
      topics: new Map(
        (snap?.topics ?? []).map((t) => [
          t.name,
          {
            id: t.topicId,
            // The snapshot's own partitions: the view holds no copy of them.
            partitions: t.partitions,
          },
        ]),
      ),
    };
  }

  /** The quorum as the monitor compares it: a majority lost stays lost until a leader answers again. */
  private quorumOf({ state, up, needed }: Pick<QuorumView, "state" | "up" | "needed">): MonitorView["quorum"] {
    const wasLost = this.view?.quorum?.lost ?? false;
    return { lost: state === "lost" || (state === "unknown" && wasLost), up, needed };
  }

  /** An event another part of Quorum saw (a reassignment's progress), into the same stream and ring. */
  publish(data: ClusterEventData): void {
    this.emit([data], Date.now());
  }

  private emit(changes: ClusterEventData[], ts: number): void {
    for (const data of changes) {
      const event = {
        ...data,
        id: formatEventId(this.epoch, this.nextSeq++),
        ts,
        cluster: this.cluster.id,
      } as ClusterEvent;
      this.ring.push(event);
      this.emitted.set(event.type, (this.emitted.get(event.type) ?? 0) + 1);
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (err) {
          logger.warn({ err: String(err) }, "event listener failed");
        }
      }
    }
    if (this.ring.length > this.opts.ringSize) this.ring.splice(0, this.ring.length - this.opts.ringSize);
  }
}
