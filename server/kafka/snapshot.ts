import "server-only";
import { compareCodeUnits } from "@/lib/compare";
import { CONSUMER_GROUP_DESCRIBE, DESCRIBE_TOPIC_PARTITIONS } from "./apis";
import { kafkaErrorName } from "./error-codes";
import {
  type ClusterMetadata,
  describeTopicPartitions,
  ELR_FEATURE,
  type ElrPage,
  fetchMetadata,
  finalizedFeatures,
  internReplicas,
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

/** Eligible leader replicas of one partition, as DescribeTopicPartitions reports them. */
interface Elr {
  elr: number[] | null;
  lastKnownElr: number[] | null;
}

const NO_ELR: Elr = { elr: internReplicas([]), lastKnownElr: internReplicas([]) };

/**
 * Whether a partition can have eligible leader replicas or a last known ELR. Kafka's controller
 * (PartitionChangeBuilder.maybePopulateTargetElr) takes both only from replicas outside the ISR,
 * so a partition that has a leader and every replica in its ISR has both empty: it needs no
 * DescribeTopicPartitions. A leaderless partition, or one with a replica out of sync, is asked.
 */
export function mayHaveElr(p: { leader: number; replicas: number[]; isr: number[] }): boolean {
  return p.leader < 0 || p.replicas.some((r) => !p.isr.includes(r));
}

/** A number per topic and partition (an offset, a mark), kept by topic: no string key per partition. */
class PartitionValues {
  private readonly byTopic = new Map<string, Map<number, number>>();

  set(topic: string, partition: number, value: number): void {
    const parts = this.byTopic.get(topic);
    if (parts) parts.set(partition, value);
    else this.byTopic.set(topic, new Map([[partition, value]]));
  }

  get(topic: string, partition: number): number | null {
    return this.byTopic.get(topic)?.get(partition) ?? null;
  }

  topic(topic: string): Map<number, number> | undefined {
    return this.byTopic.get(topic);
  }

  topics(): IterableIterator<string> {
    return this.byTopic.keys();
  }

  entries(): IterableIterator<[string, Map<number, number>]> {
    return this.byTopic.entries();
  }
}

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
 * of the topics where some partition may have eligible leader replicas (see `mayHaveElr`): none on
 * a healthy cluster. For B brokers, that is at most 3 + 6·B requests, whatever the number of
 * topics, partitions and groups, plus ⌈U/2000⌉ for U partitions of topics with a partition out of
 * sync or without a leader. They go over the cluster's pool (one
 * connection per broker, reused from one snapshot to the next; the versions each broker serves are
 * asked once per connection, with ApiVersions, and not counted here).
 *
 * `onMetadata` is called with the Metadata answer as soon as it arrives, before the rest is asked:
 * leadership and ISR changes can be told without waiting for offsets and groups.
 *
 * `timeoutMs` bounds the whole snapshot, not each request: every stage gets only the time left,
 * and a stage with none left is recorded in `errors` instead of started. Rejects only when no
 * seed answers Metadata; anything after that which fails makes the snapshot partial.
 */
export async function takeSnapshot(
  pool: KafkaPool,
  seeds: string[],
  timeoutMs: number,
  onMetadata?: (md: ClusterMetadata) => void,
): Promise<ClusterSnapshot> {
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
  // Who leads what is known now; offsets and groups take the rest of the snapshot's time.
  onMetadata?.(md);
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

  const elrDone = readElr();

  /**
   * Eligible leader replicas, from the broker that answered Metadata: whether the cluster has them
   * on (the finalized level of eligible.leader.replicas.version, from an ApiVersions answer), then
   * DescribeTopicPartitions for the topics where some partition may have any (`mayHaveElr`), page
   * after page (ELR_PAGE_PARTITIONS partitions each), all within the snapshot's deadline. `enabled`
   * is false when that broker does not serve it (before Kafka 3.8) or ELR is off: an empty ELR
   * there would say "no replica is eligible", which only a cluster that keeps ELR can say.
   */
  async function readElr(): Promise<{ enabled: boolean; found: Map<string, Map<number, Elr>> }> {
    const found = new Map<string, Map<number, Elr>>();
    const off = { enabled: false, found };
    if (!md.topics.some((t) => t.errorCode === 0)) return off;
    // Known from the broker's ApiVersions answer, had on this connection for Metadata.
    const version = await pool
      .versionFor(md.from, DESCRIBE_TOPIC_PARTITIONS, Math.max(1, deadline - Date.now()))
      .catch(() => null);
    if (version === null) return off;
    const features = await attempt(`finalized features from ${md.from}`, (ms) => finalizedFeatures(pool, md.from, ms));
    if (!features) {
      partial.elr = true;
      return off;
    }
    if ((features.get(ELR_FEATURE) ?? 0) < 1) return off;
    const on = { enabled: true, found };
    const names = md.topics.filter((t) => t.errorCode === 0 && t.partitions.some(mayHaveElr)).map((t) => t.name);
    if (names.length === 0) return on;
    let cursor: ElrPage["next"] = null;
    for (let page = 1; ; page++) {
      const from: ElrPage["next"] = cursor;
      const answer: ElrPage | null = await attempt(
        `eligible leader replicas from ${md.from}${page > 1 ? ` (page ${page})` : ""}`,
        (ms): Promise<ElrPage> => describeTopicPartitions(pool, md.from, names, from, ms),
      );
      if (!answer) {
        partial.elr = true;
        return on;
      }
      for (const e of answer.topicErrors) {
        partial.elr = true;
        errors.add(`eligible leader replicas of ${e.topic}: ${kafkaErrorName(e.errorCode)}`);
      }
      for (const p of answer.partitions) {
        // Metadata's own error code for the partition is already in errors.
        if (p.errorCode !== 0) continue;
        const perTopic = found.get(p.topic) ?? new Map<number, Elr>();
        found.set(p.topic, perTopic);
        perTopic.set(p.partition, {
          elr: p.elr && internReplicas(p.elr),
          lastKnownElr: p.lastKnownElr && internReplicas(p.lastKnownElr),
        });
      }
      // A cursor that does not move on would loop: stop there, what was read stands.
      if (
        !answer.next ||
        (from && answer.next.topicName === from.topicName && answer.next.partitionIndex === from.partitionIndex)
      )
        return on;
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
      byLeader.set(p.leader, perTopic);
      const parts = perTopic.get(t.name);
      if (parts) parts.push(p.partition);
      else perTopic.set(t.name, [p.partition]);
    }
  }
  // Offsets by topic, then partition: no key string is built per partition.
  const earliest = new PartitionValues();
  const latest = new PartitionValues();
  const record = (
    into: PartitionValues,
    what: string,
    leader: number,
    asked: Map<string, number[]>,
    offsets: PartitionOffset[],
  ) => {
    // Each partition is asked of one leader only: one missing from `into` afterwards was either
    // answered with an error code (those few are kept aside) or not answered at all.
    const failed = new PartitionValues();
    for (const o of offsets) {
      if (o.errorCode === 0) into.set(o.topic, o.partition, Number(o.offset));
      else {
        failed.set(o.topic, o.partition, o.errorCode);
        errors.add(`${what} of ${o.topic}-${o.partition}: ${kafkaErrorName(o.errorCode)}`);
      }
    }
    for (const [topic, parts] of asked)
      for (const p of parts)
        if (into.get(topic, p) === null && failed.get(topic, p) === null)
          errors.add(`${what} of ${topic}-${p}: not in broker ${leader}'s answer`);
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
  /** Per group, its committed offsets by topic and partition. */
  const committed = new Map<string, PartitionValues>();
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
              const m = committed.get(o.groupId) ?? new PartitionValues();
              committed.set(o.groupId, m);
              if (o.offset >= 0n) m.set(o.topic, o.partition, Number(o.offset));
            }
          }),
        );
        return work;
      }),
  );
  await offsetsDone;
  const quorum = await quorumDone;
  const elr = await elrDone;
  if (quorum === null) partial.quorum = true;

  const topics: SnapshotTopic[] = md.topics.map((t) => {
    const starts = earliest.topic(t.name);
    const ends = latest.topic(t.name);
    const eligibles = elr.found.get(t.name);
    return {
      name: t.name,
      topicId: t.topicId,
      internal: t.internal,
      partitions: t.partitions.map((p) => {
        const earliestOffset = starts?.get(p.partition) ?? null;
        const latestOffset = ends?.get(p.partition) ?? null;
        if (earliestOffset === null || latestOffset === null) partial.offsets = true;
        let eligible: Elr | undefined;
        if (elr.enabled) {
          eligible = mayHaveElr(p) ? eligibles?.get(p.partition) : NO_ELR;
          if (!eligible && p.errorCode === 0) partial.elr = true;
        }
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
    };
  });

  const groups: SnapshotGroup[] = [];
  for (const [coordinator, list] of listed) {
    for (const g of list) {
      const d = described.get(g.groupId);
      const commits = committed.get(g.groupId) ?? new PartitionValues();
      // The partitions it committed on, and those assigned to its members without a commit yet.
      const partitions = new PartitionValues();
      for (const [topic, parts] of commits.entries()) for (const [p] of parts) partitions.set(topic, p, 1);
      for (const m of d?.members ?? [])
        for (const a of m.assignments) for (const p of a.partitions) partitions.set(a.topic, p, 1);
      const offsets: SnapshotGroupOffset[] = [];
      for (const topic of [...partitions.topics()].sort(compareCodeUnits)) {
        const ends = latest.topic(topic);
        const mine = commits.topic(topic);
        for (const partition of [...(partitions.topic(topic)?.keys() ?? [])].sort((x, y) => x - y)) {
          const committedOffset = mine?.get(partition) ?? null;
          const logEndOffset = ends?.get(partition) ?? null;
          offsets.push({
            topic,
            partition,
            committedOffset,
            logEndOffset,
            lag: computeLag(committedOffset, logEndOffset),
          });
        }
      }
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
  groups.sort((a, b) => compareCodeUnits(a.groupId, b.groupId));

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
