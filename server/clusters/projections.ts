import "server-only";
import type { Broker, ConsumerGroupDetail, ConsumerGroupSummary, TopicConfigEntry, TopicSummary } from "@/lib/types";
import type { RawConfigEntry } from "../kafka/admin-requests";
import type { ClusterSnapshot, SnapshotGroup, SnapshotTopic } from "../kafka/snapshot";
import type { NodeSupervisor } from "./gateway";
import type { KnownBroker } from "./snapshot-cache";

/** Pure projections of a snapshot into the API's shapes. */

const CONFIG_SOURCES: Record<number, string> = {
  0: "UNKNOWN",
  1: "DYNAMIC_TOPIC_CONFIG",
  2: "DYNAMIC_BROKER_CONFIG",
  3: "DYNAMIC_DEFAULT_BROKER_CONFIG",
  4: "STATIC_BROKER_CONFIG",
  5: "DEFAULT_CONFIG",
  6: "DYNAMIC_BROKER_LOGGER_CONFIG",
};

const DYNAMIC_TOPIC_CONFIG = 1;

export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function totalLag(offsets: { lag: number | null }[]): number | null {
  const known = offsets.map((o) => o.lag).filter((l): l is number => l !== null);
  return known.length === 0 ? null : sum(known);
}

/**
 * Every broker with its leader and replica counts. Status: the supervisor's for a cluster Quorum
 * runs; otherwise every broker ever seen (`known`), up when the snapshot lists it.
 */
export function brokerRows(
  snap: ClusterSnapshot | null,
  supervisor: NodeSupervisor | null,
  known: ReadonlyMap<number, KnownBroker>,
): Broker[] {
  const leaders = new Map<number, number>();
  const replicas = new Map<number, number>();
  for (const t of snap?.topics ?? []) {
    for (const p of t.partitions) {
      if (p.leader >= 0) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
      for (const r of p.replicas) replicas.set(r, (replicas.get(r) ?? 0) + 1);
    }
  }
  const live = new Map((snap?.brokers ?? []).map((b) => [b.nodeId, b]));
  // A broker is the controller only in combined mode: the active KRaft controller is its node.
  const isController = (id: number) => snap?.quorum?.leaderId === id;
  const counts = (id: number) => ({ leaderCount: leaders.get(id) ?? 0, replicaCount: replicas.get(id) ?? 0 });
  if (supervisor) {
    return supervisor
      .nodeStates()
      .filter((n) => n.role === "broker")
      .map((n) => ({
        id: n.id,
        host: n.host,
        port: n.port,
        rack: live.get(n.id)?.rack ?? known.get(n.id)?.rack ?? null,
        status: n.status,
        isController: isController(n.id),
        pid: n.pid,
        ...counts(n.id),
      }));
  }
  return [...known.entries()]
    .sort(([a], [b]) => a - b)
    .map(([id, b]) => ({
      id,
      host: b.host,
      port: b.port,
      rack: b.rack,
      status: snap && live.has(id) ? ("up" as const) : ("down" as const),
      isController: isController(id),
      ...counts(id),
    }));
}

export function topicSummaries(snap: ClusterSnapshot): TopicSummary[] {
  return snap.topics.map(topicSummary);
}

/** One topic's row of the topic list. */
export function topicSummary(t: SnapshotTopic): TopicSummary {
  return {
    name: t.name,
    internal: t.internal,
    partitions: t.partitions.length,
    replicationFactor: replicationFactor(t),
    underReplicated: underReplicated(t),
    offline: offline(t),
    messages: messages(t),
  };
}

/** The largest replica list: a topic whose partitions differ (a reassignment in progress) shows its widest. */
export function replicationFactor(t: SnapshotTopic): number {
  let rf = 0;
  for (const p of t.partitions) if (p.replicas.length > rf) rf = p.replicas.length;
  return rf;
}

/** Partitions whose ISR is smaller than their replica list. */
export function underReplicated(t: SnapshotTopic): number {
  let n = 0;
  for (const p of t.partitions) if (p.isr.length < p.replicas.length) n++;
  return n;
}

/** Partitions without a leader. */
export function offline(t: SnapshotTopic): number {
  let n = 0;
  for (const p of t.partitions) if (p.leader < 0) n++;
  return n;
}

/** Σ(latest − earliest) over the partitions whose offsets are known. */
export function messages(t: SnapshotTopic): number {
  let n = 0;
  for (const p of t.partitions) {
    if (p.latestOffset !== null && p.earliestOffset !== null) n += p.latestOffset - p.earliestOffset;
  }
  return n;
}

export function configEntries(entries: RawConfigEntry[]): TopicConfigEntry[] {
  return entries
    .map((e) => ({
      name: e.name,
      value: e.value,
      source: CONFIG_SOURCES[e.source] ?? "UNKNOWN",
      // Default = not set on this topic: Kafka's default or a broker-wide value.
      isDefault: e.source !== DYNAMIC_TOPIC_CONFIG,
      readOnly: e.readOnly,
      sensitive: e.sensitive,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function groupSummary(g: SnapshotGroup): ConsumerGroupSummary {
  return {
    groupId: g.groupId,
    type: g.type,
    state: g.state,
    members: g.members.length,
    topics: [...new Set(g.offsets.map((o) => o.topic))].sort(),
    totalLag: totalLag(g.offsets),
  };
}

export function groupDetail(g: SnapshotGroup): ConsumerGroupDetail {
  return {
    groupId: g.groupId,
    type: g.type,
    state: g.state,
    protocolType: g.protocolType,
    protocol: g.protocol,
    coordinator: g.coordinator,
    groupEpoch: g.groupEpoch,
    assignmentEpoch: g.assignmentEpoch,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.clientHost,
      groupInstanceId: m.groupInstanceId,
      assignments: m.assignments,
      memberEpoch: m.memberEpoch,
      targetAssignments: m.targetAssignments,
    })),
    offsets: g.offsets,
    totalLag: totalLag(g.offsets),
  };
}
