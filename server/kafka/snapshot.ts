import "server-only";
import { type ClusterMetadata, fetchMetadata, type MetadataBroker } from "./metadata";
import {
  type Address,
  type DescribedGroup,
  describeGroups,
  describeQuorum,
  EARLIEST,
  LATEST,
  type ListedGroup,
  listGroups,
  listOffsets,
  offsetFetch,
  type PartitionOffset,
  type QuorumInfo,
} from "./requests";

export interface SnapshotPartition {
  partition: number;
  /** -1 when the partition has no leader (offline). */
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  earliestOffset: number | null;
  latestOffset: number | null;
}

export interface SnapshotTopic {
  name: string;
  internal: boolean;
  partitions: SnapshotPartition[];
}

export interface SnapshotGroupOffset {
  topic: string;
  partition: number;
  /** null: the group has committed nothing for this partition. */
  committedOffset: number | null;
  logEndOffset: number | null;
  /** logEndOffset − committedOffset, as kafka-consumer-groups --describe shows it; null without a commit. */
  lag: number | null;
}

export interface SnapshotGroup {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  coordinator: number;
  members: DescribedGroup["members"];
  offsets: SnapshotGroupOffset[];
}

export interface ClusterSnapshot {
  takenAt: number;
  durationMs: number;
  /** Kafka requests this snapshot made. */
  requests: number;
  clusterId: string | null;
  /** Live brokers (registered and unfenced). */
  brokers: MetadataBroker[];
  /** The KRaft controller quorum (active controller, voters), when the cluster answered DescribeQuorum. */
  quorum: QuorumInfo | null;
  topics: SnapshotTopic[];
  groups: SnapshotGroup[];
  /** Parts that could not be read (a broker timing out): the rest of the snapshot stands. */
  errors: string[];
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Lag as kafka-consumer-groups computes it: LOG-END-OFFSET − CURRENT-OFFSET, never without a commit. */
export function computeLag(committed: number | null, logEnd: number | null): number | null {
  if (committed === null || logEnd === null) return null;
  return Math.max(0, logEnd - committed);
}

/**
 * One consistent picture of a cluster in few round trips: 1 Metadata request; 1 DescribeQuorum;
 * 2 ListOffsets per leader broker (earliest, latest) for all its partitions; 1 ListGroups per live
 * broker; then, per coordinator, 1 DescribeGroups and 1 OffsetFetch for all its groups. For B
 * brokers that is at most 2 + 5·B requests, whatever the number of topics and groups.
 */
export async function takeSnapshot(seeds: string[], timeoutMs: number): Promise<ClusterSnapshot> {
  const began = Date.now();
  let requests = 0;
  const errors: string[] = [];
  const counted = <T>(p: Promise<T>) => {
    requests++;
    return p;
  };

  const md: ClusterMetadata = await counted(fetchMetadata(seeds, timeoutMs));
  const addr = new Map<number, Address>(md.brokers.map((b) => [b.nodeId, { host: b.host, port: b.port }]));
  let quorum: QuorumInfo | null = null;
  const quorumDone = counted(describeQuorum([md.from, ...seeds.filter((s) => s !== md.from)], timeoutMs)).then(
    (q) => {
      quorum = q;
    },
    (err) => errors.push(`controller quorum: ${message(err)}`),
  );

  // Partitions grouped by leader: each broker answers for what it leads.
  const byLeader = new Map<number, Map<string, number[]>>();
  for (const t of md.topics) {
    for (const p of t.partitions) {
      if (p.leader < 0 || !addr.has(p.leader)) continue;
      const perTopic = byLeader.get(p.leader) ?? new Map<string, number[]>();
      perTopic.set(t.name, [...(perTopic.get(t.name) ?? []), p.partition]);
      byLeader.set(p.leader, perTopic);
    }
  }
  const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  const earliest = new Map<string, number>();
  const latest = new Map<string, number>();
  const record = (into: Map<string, number>, offsets: PartitionOffset[]) => {
    for (const o of offsets) if (o.errorCode === 0) into.set(key(o.topic, o.partition), Number(o.offset));
  };

  const offsetsDone = Promise.all(
    [...byLeader.entries()].flatMap(([leader, parts]) => {
      const a = addr.get(leader) as Address;
      return [
        counted(listOffsets(a, parts, EARLIEST, timeoutMs)).then(
          (o) => record(earliest, o),
          (err) => errors.push(`log-start offsets from broker ${leader}: ${message(err)}`),
        ),
        counted(listOffsets(a, parts, LATEST, timeoutMs)).then(
          (o) => record(latest, o),
          (err) => errors.push(`log-end offsets from broker ${leader}: ${message(err)}`),
        ),
      ];
    }),
  );

  // Each broker lists the groups it coordinates, so no FindCoordinator round trips are needed.
  const listed = new Map<number, ListedGroup[]>();
  await Promise.all(
    [...addr.entries()].map(([id, a]) =>
      counted(listGroups(a, timeoutMs)).then(
        (groups) => listed.set(id, groups),
        (err) => errors.push(`groups from broker ${id}: ${message(err)}`),
      ),
    ),
  );
  const described = new Map<string, DescribedGroup & { coordinator: number }>();
  const committed = new Map<string, Map<string, number>>();
  await Promise.all(
    [...listed.entries()]
      .filter(([, groups]) => groups.length > 0)
      .flatMap(([id, groups]) => {
        const a = addr.get(id) as Address;
        const ids = groups.map((g) => g.groupId);
        return [
          counted(describeGroups(a, ids, timeoutMs)).then(
            (ds) => {
              for (const d of ds) if (d.errorCode === 0) described.set(d.groupId, { ...d, coordinator: id });
            },
            (err) => errors.push(`group descriptions from broker ${id}: ${message(err)}`),
          ),
          counted(offsetFetch(a, ids, timeoutMs)).then(
            ({ committed: offsets }) => {
              for (const o of offsets) {
                if (o.errorCode !== 0) continue;
                const m = committed.get(o.groupId) ?? new Map<string, number>();
                if (o.offset >= 0n) m.set(key(o.topic, o.partition), Number(o.offset));
                committed.set(o.groupId, m);
              }
            },
            (err) => errors.push(`committed offsets from broker ${id}: ${message(err)}`),
          ),
        ];
      }),
  );
  await offsetsDone;
  await quorumDone;

  const topics: SnapshotTopic[] = md.topics.map((t) => ({
    name: t.name,
    internal: t.internal,
    partitions: t.partitions.map((p) => ({
      partition: p.partition,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      offlineReplicas: p.offlineReplicas,
      earliestOffset: earliest.get(key(t.name, p.partition)) ?? null,
      latestOffset: latest.get(key(t.name, p.partition)) ?? null,
    })),
  }));

  const groups: SnapshotGroup[] = [];
  for (const [coordinator, list] of listed) {
    for (const g of list) {
      const d = described.get(g.groupId);
      const commits = committed.get(g.groupId) ?? new Map<string, number>();
      const partitions = new Map<string, { topic: string; partition: number }>();
      for (const k of commits.keys()) {
        const [topic = "", partition = "0"] = k.split("\u0000");
        partitions.set(k, { topic, partition: Number(partition) });
      }
      for (const m of d?.members ?? []) {
        for (const a of m.assignments)
          for (const p of a.partitions) partitions.set(key(a.topic, p), { topic: a.topic, partition: p });
      }
      const offsets = [...partitions.entries()]
        .map(([k, { topic, partition }]) => {
          const committedOffset = commits.get(k) ?? null;
          const logEndOffset = latest.get(k) ?? null;
          return { topic, partition, committedOffset, logEndOffset, lag: computeLag(committedOffset, logEndOffset) };
        })
        .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
      groups.push({
        groupId: g.groupId,
        state: d?.state || g.state || "Unknown",
        protocolType: d?.protocolType ?? g.protocolType,
        protocol: d?.protocol ?? "",
        coordinator,
        members: d?.members ?? [],
        offsets,
      });
    }
  }
  groups.sort((a, b) => a.groupId.localeCompare(b.groupId));

  return {
    takenAt: Date.now(),
    durationMs: Date.now() - began,
    requests,
    clusterId: md.clusterId,
    brokers: md.brokers,
    quorum,
    topics,
    groups,
    errors,
  };
}
