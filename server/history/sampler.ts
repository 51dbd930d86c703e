import "server-only";
import type { ClusterService } from "../cluster-service";
import { groupTimeLags } from "../clusters/group-time-lag";
import { logger } from "../logger";
import type { HistoryStore } from "./history-store";
import { sampleOf } from "./sample-of";

/**
 * Records each cluster's group lag and topic offsets every `sampleMs`, from the shared snapshot.
 * What a partial snapshot could not read is left out of that sample (see `sampleOf`), never
 * written as 0: the history shows a gap there instead of a drop.
 */
export class HistorySampler {
  private timer: NodeJS.Timeout | null = null;
  private lastPrune = 0;
  private lastTs = 0;
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
      const snap = await this.cluster.snapshot(Math.floor(this.sampleMs / 2));
      // No snapshot, or the one already sampled (shared with a page that asked first): nothing new.
      if (!snap || snap.takenAt <= this.lastTs) return;
      this.lastTs = snap.takenAt;
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
