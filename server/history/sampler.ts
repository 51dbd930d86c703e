import "server-only";
import type { ClusterService } from "../cluster-service";
import { logger } from "../logger";
import type { GroupRow, HistoryStore, TopicRow } from "./history-store";

/** Records each cluster's group lag and topic offsets every `sampleMs`, from the shared snapshot. */
export class HistorySampler {
  private timer: NodeJS.Timeout | null = null;
  private lastPrune = 0;

  constructor(
    private readonly cluster: ClusterService,
    private readonly store: HistoryStore,
    private readonly sampleMs: number,
    private readonly retentionMs: number,
  ) {}

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
      if (!snap) return;
      const groups: GroupRow[] = snap.groups.map((g) => {
        const committed = g.offsets.filter((o) => o.committedOffset !== null);
        const sum = (xs: (number | null)[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);
        return {
          groupId: g.groupId,
          lag: committed.length ? sum(committed.map((o) => o.lag)) : null,
          committed: committed.length ? sum(committed.map((o) => o.committedOffset)) : null,
          logEnd: committed.length ? sum(committed.map((o) => o.logEndOffset)) : null,
          members: g.members.length,
        };
      });
      const topics: TopicRow[] = snap.topics
        .filter((t) => !t.internal)
        .map((t) => ({
          topic: t.name,
          logEnd: t.partitions.reduce((a, p) => a + (p.latestOffset ?? 0), 0),
          logStart: t.partitions.reduce((a, p) => a + (p.earliestOffset ?? 0), 0),
        }));
      this.store.record(this.cluster.id, snap.takenAt, groups, topics);
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
