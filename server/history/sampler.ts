import "server-only";
import type { ClusterService } from "../cluster-service";
import { groupTimeLags } from "../clusters/group-time-lag";
import { logger } from "../logger";
import type { HistoryStore } from "./history-store";
import { sampleOf } from "./sample-of";

/** A sample takes a snapshot begun within this many times the last one's duration (see `sampleMaxAgeMs`). */
const SLOW_SNAPSHOT_FACTOR = 4;

/**
 * How old a snapshot may be for the next sample: half the sample interval, or, where a snapshot
 * takes long (tens of thousands of partitions on a small machine), four times what the last one
 * took. The monitor begins a look at most three looks' durations after the last began (the look,
 * then a pause of at least twice it), so such a sample takes the monitor's snapshot, or joins the
 * one in flight, instead of asking for one of its own every interval: at 40,000 partitions, asking
 * every 2 s kept the process taking snapshots back to back whatever pace the monitor chose.
 */
export function sampleMaxAgeMs(sampleMs: number, lastDurationMs: number): number {
  return Math.max(Math.floor(sampleMs / 2), SLOW_SNAPSHOT_FACTOR * lastDurationMs);
}

/**
 * Records each cluster's group lag and topic offsets every `sampleMs`, from the shared snapshot.
 * What a partial snapshot could not read is left out of that sample (see `sampleOf`), never
 * written as 0: the history shows a gap there instead of a drop.
 */
export class HistorySampler {
  private timer: NodeJS.Timeout | null = null;
  private lastPrune = 0;
  private lastTs = 0;
  /** How long the last snapshot sampled took to take. */
  private lastDurationMs = 0;
  private lastSkipped = "";

  constructor(
    private readonly cluster: ClusterService,
    private readonly store: HistoryStore,
    private readonly sampleMs: number,
    private readonly retentionMs: number,
  ) {}

  /** The cluster this sampler records. */
  get clusterId(): string {
    return this.cluster.id;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sample(), this.sampleMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async sample(): Promise<void> {
    try {
      const snap = await this.cluster.snapshot(sampleMaxAgeMs(this.sampleMs, this.lastDurationMs));
      // No snapshot, or the one already sampled (shared with a page that asked first): nothing new.
      if (!snap || snap.takenAt <= this.lastTs) return;
      this.lastTs = snap.takenAt;
      this.lastDurationMs = snap.durationMs;
      const sample = sampleOf(snap);
      // Lag in time of the sampled groups: one small Fetch per leader broker (group-time-lag.ts).
      const lagTimes = await groupTimeLags(this.cluster, snap, new Set(sample.groups.map((g) => g.groupId))).catch(
        (err: unknown) => {
          logger.warn({ cluster: this.cluster.id, err: String(err) }, "lag in time not sampled");
          return new Map<string, number | null>();
        },
      );
      for (const g of sample.groups) g.lagMs = lagTimes.get(g.groupId) ?? null;
      this.store.record(this.cluster.id, sample);
      const skipped = [
        ...sample.skipped.topics.map((t) => `topic ${t}`),
        ...sample.skipped.groups.map((g) => `group ${g}`),
      ];
      const said = skipped.join(", ");
      if (said !== this.lastSkipped) {
        if (skipped.length > 0) {
          logger.info(
            { cluster: this.cluster.id, skipped },
            "partial snapshot: lag history skips what it could not read",
          );
        }
        this.lastSkipped = said;
      }
      if (snap.takenAt - this.lastPrune > 10 * 60_000) {
        this.store.prune(snap.takenAt - this.retentionMs);
        this.lastPrune = snap.takenAt;
      }
    } catch (err) {
      logger.warn(
        { cluster: this.cluster.id, err: err instanceof Error ? err.message : String(err) },
        "history sample failed",
      );
    }
  }
}
