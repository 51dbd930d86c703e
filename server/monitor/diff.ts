import "server-only";
import type { ClusterEventData } from "@/lib/types";

/** What the monitor compares between two moments: live brokers, the active controller, partitions. */
export interface MonitorView {
  reachable: boolean;
  /** Brokers up now (for a cluster Quorum runs: process up and answering). */
  brokersUp: number[];
  controller: number | null;
  topics: Map<string, { leader: number; isr: number[] }[]>;
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/**
 * The events that lead from `prev` to `next`, in a stable order: brokers, controller, topics,
 * then per partition leadership and ISR. An unreachable view carries no topic knowledge, so
 * partitions are compared only between two reachable views.
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

  if (prev.controller !== next.controller && next.controller !== null) {
    events.push({ type: "controller-changed", from: prev.controller, to: next.controller });
  }

  for (const [topic, parts] of prev.topics) {
    if (!next.topics.has(topic)) events.push({ type: "topic-deleted", topic, partitions: parts.length });
  }
  for (const [topic, parts] of next.topics) {
    const old = prev.topics.get(topic);
    if (!old) {
      events.push({ type: "topic-created", topic, partitions: parts.length });
      continue;
    }
    if (parts.length > old.length) events.push({ type: "partitions-added", topic, from: old.length, to: parts.length });
    const shared = Math.min(parts.length, old.length);
    for (let partition = 0; partition < shared; partition++) {
      const a = old[partition];
      const b = parts[partition];
      if (!a || !b) continue;
      if (a.leader >= 0 && b.leader < 0) events.push({ type: "partition-offline", topic, partition, leader: a.leader });
      else if (a.leader >= 0 && b.leader >= 0 && a.leader !== b.leader) {
        events.push({ type: "leader-changed", topic, partition, from: a.leader, to: b.leader });
      } else if (a.leader < 0 && b.leader >= 0)
        events.push({ type: "partition-online", topic, partition, leader: b.leader });
      const removed = a.isr.filter((r) => !b.isr.includes(r));
      const added = b.isr.filter((r) => !a.isr.includes(r));
      if (removed.length > 0) events.push({ type: "isr-shrunk", topic, partition, from: a.isr, to: b.isr });
      if (added.length > 0) events.push({ type: "isr-expanded", topic, partition, from: a.isr, to: b.isr });
    }
  }
  return events;
}
