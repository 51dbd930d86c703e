import "server-only";
import { sameOrder } from "@/lib/compare";
import type { ClusterEventData } from "@/lib/types";

/** One partition as the monitor compares it. */
export interface MonitorPartition {
  leader: number;
  /** -1 when unknown (then only a change of leader is seen, not a re-election of the same one). */
  leaderEpoch: number;
  isr: number[];
  /** The replica list (its order is the preferred one); absent when not known. */
  replicas?: number[];
}

/** One topic as the monitor compares it. */
export interface MonitorTopic {
  /** Kafka's topic id; null when unknown. A new id under the same name is a re-created topic. */
  id: string | null;
  partitions: MonitorPartition[];
}

/** What the monitor compares between two moments: live brokers, the active controller, partitions. */
export interface MonitorView {
  reachable: boolean;
  /** Brokers up now (for a cluster Quorum runs: process up and answering). */
  brokersUp: number[];
  controller: number | null;
  /**
   * The controller quorum's counts, and whether it is without a majority: lost, or unknown (no
   * leader answered yet) since it was lost; absent when not followed.
   */
  quorum?: { lost: boolean; up: number | null; needed: number };
  topics: Map<string, MonitorTopic>;
}

/** Two incarnations of a topic: the same name, but both ids known and different (deleted and re-created). */
const recreated = (a: MonitorTopic, b: MonitorTopic) => a.id !== null && b.id !== null && a.id !== b.id;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/**
 * The events that lead from `prev` to `next`, in a stable order: brokers, controller, topics,
 * then per partition leadership and ISR. An unreachable view carries no topic knowledge, so
 * partitions are compared only between two reachable views. A topic whose id changed was deleted
 * and re-created: topic-deleted (among the deletions), then topic-created, and nothing compared
 * between its two incarnations. A leader whose epoch went up is a leader change even when the
 * broker is the same: it lost leadership and won it back between the two looks.
 */
export function diffViews(prev: MonitorView, next: MonitorView): ClusterEventData[] {
  const events: ClusterEventData[] = [];
  if (prev.reachable && !next.reachable) events.push({ type: "cluster-unreachable" });

  const before = new Set(prev.brokersUp);
  const after = new Set(next.brokersUp);
  for (const b of sorted(prev.brokersUp)) if (!after.has(b)) events.push({ type: "broker-down", broker: b });
  for (const b of sorted(next.brokersUp)) if (!before.has(b)) events.push({ type: "broker-up", broker: b });

  if (!prev.reachable && next.reachable) events.push({ type: "cluster-reachable" });
  if (!prev.reachable || !next.reachable) return events;

  const q = next.quorum;
  if (q && !prev.quorum?.lost && q.lost) events.push({ type: "quorum-lost", up: q.up, needed: q.needed });
  else if (q && prev.quorum?.lost && !q.lost) events.push({ type: "quorum-regained", up: q.up, needed: q.needed });

  if (prev.controller !== next.controller && next.controller !== null) {
    events.push({ type: "controller-changed", from: prev.controller, to: next.controller });
  }

  for (const [topic, t] of prev.topics) {
    const now = next.topics.get(topic);
    if (!now || recreated(t, now)) events.push({ type: "topic-deleted", topic, partitions: t.partitions.length });
  }
  for (const [topic, t] of next.topics) {
    const was = prev.topics.get(topic);
    const parts = t.partitions;
    if (!was || recreated(was, t)) {
      events.push({ type: "topic-created", topic, partitions: parts.length });
      continue;
    }
    const old = was.partitions;
    if (parts.length > old.length) events.push({ type: "partitions-added", topic, from: old.length, to: parts.length });
    const shared = Math.min(parts.length, old.length);
    for (let partition = 0; partition < shared; partition++) {
      const a = old[partition];
      const b = parts[partition];
      if (!a || !b) continue;
      if (a.leader >= 0 && b.leader < 0) events.push({ type: "partition-offline", topic, partition, leader: a.leader });
      else if (a.leader >= 0 && b.leader >= 0 && (a.leader !== b.leader || b.leaderEpoch > a.leaderEpoch)) {
        const epochs = a.leaderEpoch >= 0 && b.leaderEpoch >= 0;
        // The same leader with an unknown epoch on either side is no news.
        if (a.leader !== b.leader || epochs)
          events.push({
            type: "leader-changed",
            topic,
            partition,
            from: a.leader,
            to: b.leader,
            ...(epochs ? { epoch: { from: a.leaderEpoch, to: b.leaderEpoch } } : {}),
          });
      } else if (a.leader < 0 && b.leader >= 0)
        events.push({ type: "partition-online", topic, partition, leader: b.leader });
      // A reassignment (or a preferred-leader reorder) changes the list; interned lists compare by identity first.
      if (a.replicas && b.replicas && a.replicas !== b.replicas && !sameOrder(a.replicas, b.replicas))
        events.push({ type: "replicas-changed", topic, partition, from: a.replicas, to: b.replicas });
      // Snapshots share one array per distinct ISR (internReplicas): the same array, the same ISR.
      if (a.isr === b.isr) continue;
      const removed = a.isr.filter((r) => !b.isr.includes(r));
      const added = b.isr.filter((r) => !a.isr.includes(r));
      if (removed.length > 0) events.push({ type: "isr-shrunk", topic, partition, from: a.isr, to: b.isr });
      if (added.length > 0) events.push({ type: "isr-expanded", topic, partition, from: a.isr, to: b.isr });
    }
  }
  return events;
}
