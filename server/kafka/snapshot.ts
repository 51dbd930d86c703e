import "server-only";
import { CONSUMER_GROUP_DESCRIBE, DESCRIBE_TOPIC_PARTITIONS } from "./apis";
import { kafkaErrorName } from "./error-codes";
import {
  type ClusterMetadata,
  describeTopicPartitions,
  ELR_FEATURE,
  type ElrPage,
  fetchMetadata,
  finalizedFeatures,
  type MetadataBroker,
} from "./metadata";
import type { KafkaPool } from "./pool";
import {
  consumerGroupDescribe,
  type DescribedGroup,
  describeGroups,
  describeQuorum,
  EARLIEST,
  type GroupType,
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
  /** Bumped by every election, also one that gives leadership back to the same broker; -1 if unknown. */
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  /**
   * Eligible leader replicas (KIP-966) and the last known ELR, from DescribeTopicPartitions; null
   * when the cluster does not report them (a broker before Kafka 3.8, eligible.leader.replicas.version
   * 0, or the request failed: then `partial.elr`).
   */
  elr: number[] | null;
  lastKnownElr: number[] | null;
  earliestOffset: number | null;
  latestOffset: number | null;
}

export interface SnapshotTopic {
  name: string;
  /** Kafka's topic id as its tools print it; a re-created topic has a new one. Null when unknown. */
  topicId: string | null;
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
  /**
   * The group's protocol: `classic` (JoinGroup/SyncGroup, described by DescribeGroups) or
   * `consumer` (KIP-848, group.protocol=consumer, described by ConsumerGroupDescribe).
   */
  type: GroupType;
  state: string;
  protocolType: string;
  /** Classic: the protocol the members agreed on (for consumers, the assignor); consumer: the assignor. */
  protocol: string;
  coordinator: number;
  /** Consumer-type groups: the group epoch and its target assignment's epoch; null for classic groups. */
  groupEpoch: number | null;
  assignmentEpoch: number | null;
  members: DescribedGroup["members"];
  offsets: SnapshotGroupOffset[];
  /**
   * False when part of this group could not be read: its description or committed offsets failed
   * or carried an error, or a partition it committed on has no log-end offset. Its lag is then not
   * the whole truth: a history must not record it as a sample.
   */
  complete: boolean;
}

/** Which parts of a snapshot are missing something; each true part has its reasons in `errors`. */
export interface SnapshotPartial {
  /** Metadata reported an error for a topic or a partition (e.g. LEADER_NOT_AVAILABLE). */
  metadata: boolean;
  /**
   * Some partition's log-start or log-end offset is null: its ListOffsets failed, reported an error
   * or was skipped at the deadline, or the partition has no leader to ask.
   */
  offsets: boolean;
  /**
   * Groups may be missing or lack their description or committed offsets: a ListGroups,
   * DescribeGroups or OffsetFetch failed, reported an error or was skipped at the deadline.
   */
  groups: boolean;
  /** DescribeQuorum failed: `quorum` is null. */
  quorum: boolean;
  /**
   * The broker serves DescribeTopicPartitions but the cluster's features, or some partition's
   * eligible leader replicas, could not be read (a request failed, was skipped at the deadline, or
   * carried an error): their `elr` is null.
   */
  elr: boolean;
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
  /**
   * What could not be read, one readable line each ("log-end offsets from broker 2: … did not
   * answer", "committed offsets of group g: COORDINATOR_LOAD_IN_PROGRESS"): failed requests and the
   * per-topic, per-partition and per-group error codes Kafka answered with. At most
   * MAX_SNAPSHOT_ERRORS lines, then one line counting the rest. The rest of the snapshot stands.
   */
  errors: string[];
  /**
   * True when every part was read without error: `errors` is empty and no `partial` flag is set.
   * A partial snapshot is still a true picture of what it holds, but what is missing is null or
   * absent, not 0: a lag or throughput history should skip it (per group: groups whose `complete`
   * is false; per topic: `partial.offsets`), never record the gaps as zeros.
   */
  complete: boolean;
  /** Which parts are partial. */
  partial: SnapshotPartial;
}

/** How many error lines a snapshot keeps: a broken cluster of 40,000 partitions gives 21, not 40,000. */
export const MAX_SNAPSHOT_ERRORS = 20;

/** Error lines up to MAX_SNAPSHOT_ERRORS, then a count of the rest. */
class ErrorLines {
  private readonly lines: string[] = [];
  private more = 0;

  add(line: string): void {
    if (this.lines.length < MAX_SNAPSHOT_ERRORS) this.lines.push(line);
    else this.more++;
  }

  get empty(): boolean {
    return this.lines.length === 0;
  }

  list(): string[] {
    return this.more > 0 ? [...this.lines, `… and ${this.more} more`] : [...this.lines];
  }
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
 * broker (v5, which names each group's type, where the broker serves it); then, per coordinator,
 * 1 DescribeGroups for all its classic groups, 1 ConsumerGroupDescribe for all its consumer-type
 * (KIP-848) groups and 1 OffsetFetch for all its groups; and, where the broker that answered
 * Metadata serves DescribeTopicPartitions (Kafka 3.8+), 1 ApiVersions for the cluster's finalized
 * features and, when they turn ELR on, 1 DescribeTopicPartitions per ELR_PAGE_PARTITIONS partitions
 * for the eligible leader replicas. For B brokers and P partitions that is at most
 * 3 + 6·B + ⌈P/2000⌉ requests, whatever the number of topics and groups. They go over the cluster's pool (one
 * connection per broker, reused from one snapshot to the next; the versions each broker serves are
 * asked once per connection, with ApiVersions, and not counted here).
 *
 * `timeoutMs` bounds the whole snapshot, not each request: every stage gets only the time left,
 * and a stage with none left is recorded in `errors` instead of started. Rejects only when no
 * seed answers Metadata; anything after that which fails makes the snapshot partial.
 */
export async function takeSnapshot(pool: KafkaPool, seeds: string[], timeoutMs: number): Promise<ClusterSnapshot> {
  const began = Date.now();
  const deadline = began + timeoutMs;
  let requests = 0;
  const errors = new ErrorLines();
  const partial: SnapshotPartial = { metadata: false, offsets: false, groups: false, quorum: false, elr: false };

  /** Runs one request with the time left; null (and a line in errors) when it fails or no time is left. */
  const attempt = async <T>(what: string, run: (ms: number) => Promise<T>): Promise<T | null> => {
    const ms = deadline - Date.now();
    if (ms <= 0) {
      errors.add(`${what}: not asked, the snapshot's ${timeoutMs} ms had run out`);
      return null;
    }
    requests++;
    try {
      return await run(ms);
    } catch (err) {
      errors.add(`${what}: ${message(err)}`);
      return null;
    }
  };

  requests++;
  const md: ClusterMetadata = await fetchMetadata(pool, seeds, timeoutMs);
  for (const t of md.topics) {
    if (t.errorCode !== 0) {
      partial.metadata = true;
      errors.add(`topic ${t.name}: ${kafkaErrorName(t.errorCode)}`);
    }
    for (const p of t.partitions) {
      if (p.errorCode === 0) continue;
      partial.metadata = true;
      errors.add(`partition ${t.name}-${p.partition}: ${kafkaErrorName(p.errorCode)}`);
    }
  }
  const addr = new Map<number, string>(md.brokers.map((b) => [b.nodeId, `${b.host}:${b.port}`]));
  const quorumSeeds = [md.from, ...seeds.filter((s) => s !== md.from)];
  const quorumDone = attempt("controller quorum", (ms) => describeQuorum(pool, quorumSeeds, ms));

  const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  const elrDone = readElr();

  /**
   * Eligible leader replicas, from the broker that answered Metadata: whether the cluster has them
   * on (the finalized level of eligible.leader.replicas.version, from an ApiVersions answer), then
   * DescribeTopicPartitions for every topic it named, page after page (ELR_PAGE_PARTITIONS
   * partitions each), all within the snapshot's deadline. Nothing when that broker does not serve
   * it (before Kafka 3.8) or ELR is off: an empty ELR there would say "no replica is eligible",
   * which only a cluster that keeps ELR can say.
   */
  async function readElr(): Promise<Map<string, { elr: number[] | null; lastKnownElr: number[] | null }>> {
    const found = new Map<string, { elr: number[] | null; lastKnownElr: number[] | null }>();
    const names = md.topics.filter((t) => t.errorCode === 0).map((t) => t.name);
    if (names.length === 0) return found;
    // Known from the broker's ApiVersions answer, had on this connection for Metadata.
    const version = await pool
      .versionFor(md.from, DESCRIBE_TOPIC_PARTITIONS, Math.max(1, deadline - Date.now()))
      .catch(() => null);
    if (version === null) return found;
    const features = await attempt(`finalized features from ${md.from}`, (ms) => finalizedFeatures(pool, md.from, ms));
    if (!features) {
      partial.elr = true;
      return found;
    }
    if ((features.get(ELR_FEATURE) ?? 0) < 1) return found;
    let cursor: ElrPage["next"] = null;
    for (let page = 1; ; page++) {
      const from: ElrPage["next"] = cursor;
      const answer: ElrPage | null = await attempt(
        `eligible leader replicas from ${md.from}${page > 1 ? ` (page ${page})` : ""}`,
        (ms): Promise<ElrPage> => describeTopicPartitions(pool, md.from, names, from, ms),
      );
      if (!answer) {
        partial.elr = true;
        return found;
      }
      for (const e of answer.topicErrors) {
        partial.elr = true;
        errors.add(`eligible leader replicas of ${e.topic}: ${kafkaErrorName(e.errorCode)}`);
      }
      for (const p of answer.partitions) {
        if (p.errorCode === 0) found.set(key(p.topic, p.partition), { elr: p.elr, lastKnownElr: p.lastKnownElr });
        // Metadata's own error code for the partition is already in errors.
      }
      // A cursor that does not move on would loop: stop there, what was read stands.
      if (
        !answer.next ||
        (from && answer.next.topicName === from.topicName && answer.next.partitionIndex === from.partitionIndex)
      )
        return found;
      cursor = answer.next;
    }
  }

  // Partitions grouped by leader: each broker answers for what it leads.
  const byLeader = new Map<number, Map<string, number[]>>();
  for (const t of md.topics) {
    for (const p of t.partitions) {
      if (p.leader < 0 || !addr.has(p.leader)) {
        // Metadata's own error code for it (LEADER_NOT_AVAILABLE) is already in errors.
        if (p.errorCode === 0) errors.add(`partition ${t.name}-${p.partition}: no live leader to ask for offsets`);
        continue;
      }
      const perTopic = byLeader.get(p.leader) ?? new Map<string, number[]>();
      perTopic.set(t.name, [...(perTopic.get(t.name) ?? []), p.partition]);
      byLeader.set(p.leader, perTopic);
    }
  }
  const earliest = new Map<string, number>();
  const latest = new Map<string, number>();
  const record = (
    into: Map<string, number>,
    what: string,
    leader: number,
    asked: Map<string, number[]>,
    offsets: PartitionOffset[],
  ) => {
    const answered = new Set<string>();
    for (const o of offsets) {
      answered.add(key(o.topic, o.partition));
      if (o.errorCode === 0) into.set(key(o.topic, o.partition), Number(o.offset));
      else errors.add(`${what} of ${o.topic}-${o.partition}: ${kafkaErrorName(o.errorCode)}`);
    }
    for (const [topic, parts] of asked)
      for (const p of parts)
        if (!answered.has(key(topic, p))) errors.add(`${what} of ${topic}-${p}: not in broker ${leader}'s answer`);
  };

  const offsetsDone = Promise.all(
    [...byLeader.entries()].flatMap(([leader, parts]) => {
      const a = addr.get(leader) as string;
      return (
        [
          ["log-start offsets", EARLIEST, earliest],
          ["log-end offsets", LATEST, latest],
        ] as const
      ).map(async ([what, at, into]) => {
        const offsets = await attempt(`${what} from broker ${leader}`, (ms) => listOffsets(pool, a, parts, at, ms));
        if (offsets) record(into, what, leader, parts, offsets);
      });
    }),
  );

  // Each broker lists the groups it coordinates, so no FindCoordinator round trips are needed.
  const listed = new Map<number, ListedGroup[]>();
  await Promise.all(
    [...addr.entries()].map(async ([id, a]) => {
      const groups = await attempt(`groups from broker ${id}`, (ms) => listGroups(pool, a, ms));
      if (groups) listed.set(id, groups);
      else partial.groups = true;
    }),
  );
  const described = new Map<string, DescribedGroup & { coordinator: number }>();
  const committed = new Map<string, Map<string, number>>();
  /** Groups some part of which could not be read. */
  const incomplete = new Set<string>();
  const groupProblem = (groupId: string, line: string) => {
    incomplete.add(groupId);
    partial.groups = true;
    errors.add(line);
  };
  const failedAll = (ids: string[]) => {
    partial.groups = true;
    for (const g of ids) incomplete.add(g);
  };
  /** Keeps the descriptions of the groups asked about; an error code or a missing group is a problem. */
  const recordDescriptions = (
    id: number,
    ids: string[],
    ds: (DescribedGroup & { errorMessage?: string | null })[] | null,
  ) => {
    if (!ds) return failedAll(ids);
    const seen = new Set<string>();
    for (const d of ds) {
      seen.add(d.groupId);
      if (d.errorCode === 0) described.set(d.groupId, { ...d, coordinator: id });
      else
        groupProblem(
          d.groupId,
          `description of group ${d.groupId}: ${kafkaErrorName(d.errorCode)}${d.errorMessage ? ` (${d.errorMessage})` : ""}`,
        );
    }
    for (const g of ids) if (!seen.has(g)) groupProblem(g, `description of group ${g}: not in broker ${id}'s answer`);
  };
  await Promise.all(
    [...listed.entries()]
      .filter(([, groups]) => groups.length > 0)
      .flatMap(([id, groups]) => {
        const a = addr.get(id) as string;
        const ids = groups.map((g) => g.groupId);
        const classic = groups.filter((g) => g.type === "classic").map((g) => g.groupId);
        const consumer = groups.filter((g) => g.type === "consumer").map((g) => g.groupId);
        const work: Promise<void>[] = [];
        if (classic.length > 0)
          work.push(
            attempt(`group descriptions from broker ${id}`, (ms) => describeGroups(pool, a, classic, ms)).then((ds) =>
              recordDescriptions(id, classic, ds),
            ),
          );
        if (consumer.length > 0)
          work.push(
            (async () => {
              // Known from the broker's ApiVersions answer, already had for ListGroups on this connection.
              const version = await pool
                .versionFor(a, CONSUMER_GROUP_DESCRIBE, Math.max(1, deadline - Date.now()))
                .catch(() => undefined);
              if (version === null) {
                for (const g of consumer)
                  groupProblem(g, `description of group ${g}: broker ${id} does not serve ConsumerGroupDescribe`);
                return;
              }
              const ds = await attempt(`consumer group descriptions from broker ${id}`, (ms) =>
                consumerGroupDescribe(pool, a, consumer, ms),
              );
              recordDescriptions(id, consumer, ds);
            })(),
          );
        work.push(
          attempt(`committed offsets from broker ${id}`, (ms) => offsetFetch(pool, a, ids, ms)).then((answer) => {
            if (!answer) return failedAll(ids);
            for (const [groupId, code] of answer.groupErrors)
              groupProblem(groupId, `committed offsets of group ${groupId}: ${kafkaErrorName(code)}`);
            for (const o of answer.committed) {
              if (o.errorCode !== 0) {
                groupProblem(
                  o.groupId,
                  `committed offset of group ${o.groupId} on ${o.topic}-${o.partition}: ${kafkaErrorName(o.errorCode)}`,
                );
                continue;
              }
              const m = committed.get(o.groupId) ?? new Map<string, number>();
              if (o.offset >= 0n) m.set(key(o.topic, o.partition), Number(o.offset));
              committed.set(o.groupId, m);
            }
          }),
        );
        return work;
      }),
  );
  await offsetsDone;
  const quorum = await quorumDone;
  const elr = await elrDone;
  const elrServed = elr.size > 0 || partial.elr;
  if (quorum === null) partial.quorum = true;

  const topics: SnapshotTopic[] = md.topics.map((t) => ({
    name: t.name,
    topicId: t.topicId,
    internal: t.internal,
    partitions: t.partitions.map((p) => {
      const earliestOffset = earliest.get(key(t.name, p.partition)) ?? null;
      const latestOffset = latest.get(key(t.name, p.partition)) ?? null;
      if (earliestOffset === null || latestOffset === null) partial.offsets = true;
      const eligible = elr.get(key(t.name, p.partition));
      if (elrServed && !eligible && p.errorCode === 0) partial.elr = true;
      return {
        partition: p.partition,
        leader: p.leader,
        leaderEpoch: p.leaderEpoch,
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas,
        elr: eligible?.elr ?? null,
        lastKnownElr: eligible?.lastKnownElr ?? null,
        earliestOffset,
        latestOffset,
      };
    }),
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
        type: g.type,
        state: d?.state || g.state || "Unknown",
        protocolType: d?.protocolType ?? g.protocolType,
        protocol: d?.protocol ?? "",
        coordinator,
        groupEpoch: d?.groupEpoch ?? null,
        assignmentEpoch: d?.assignmentEpoch ?? null,
        members: d?.members ?? [],
        offsets,
        complete:
          !incomplete.has(g.groupId) && offsets.every((o) => o.committedOffset === null || o.logEndOffset !== null),
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
    errors: errors.list(),
    complete: errors.empty && !Object.values(partial).some(Boolean),
    partial,
  };
}
