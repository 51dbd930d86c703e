// Shapes of Quorum's public HTTP API, shared by the server that answers and the browser that asks.
import type { LagStatus, LagWhy } from "./lag-status";
import type { ReassignmentGoal } from "./schemas/reassignments";

export type NodeStatus = "up" | "down" | "starting" | "stopping";
export type ClusterStatus = "starting" | "ok" | "degraded" | "unreachable" | "stopped";

/** A node of the embedded cluster as its supervisor sees it. */
export interface NodeRuntime {
  id: number;
  role: "broker" | "controller";
  host: string;
  port: number;
  status: NodeStatus;
  pid: number | null;
  startedAt: number | null;
  lastExit: { code: number | null; signal: string | null; at: number } | null;
  logFile: string;
}

/** GET /api/clusters */
/** Where a cluster comes from: Quorum's own lab, QUORUM_CLUSTERS, the config file, or added at run time. */
export type ClusterOrigin = "embedded" | "env" | "config-file" | "runtime";

export interface ClusterSummary {
  id: string;
  name: string;
  kind: "embedded" | "external";
  origin: ClusterOrigin;
  /** Every mutation answers 403 `read_only`: topics, configs, elections, produced messages, group offsets and deletes, records, brokers, drills, workload. */
  readOnly: boolean;
  bootstrap: string[];
  status: ClusterStatus;
  /** Whether Quorum can stop and start this cluster's brokers. */
  controllable: boolean;
  clusterId: string | null;
  kafkaVersion: string | null;
  brokersUp: number;
  brokersTotal: number;
  /** Why the cluster is unreachable or stopped, when known; or why the lab's last start failed. */
  message?: string | null;
  /** The embedded lab's SASL_SSL listener, when QUORUM_LAB_SASL is on (the password is never here). */
  sasl?: LabListener;
  /** How Quorum reaches an external cluster when not plaintext: TLS, and the SASL mechanism and user. */
  security?: ClusterSecurity;
}

/** TLS on or off, and SASL's mechanism and user: what may be shown of a connection (never a secret). */
export interface ClusterSecurity {
  tls: boolean;
  sasl: { mechanism: "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512"; username: string } | null;
}

/** Where and how to reach the lab's SASL_SSL listener; its password lives in the data directory. */
export interface LabListener {
  bootstrap: string[];
  securityProtocol: "SASL_SSL";
  mechanism: "SCRAM-SHA-512";
  user: string;
  /** The lab CA's certificate (PEM) that clients trust, on the server's disk. */
  caFile: string;
}

/** GET /api/clusters/:c/brokers */
export interface Broker {
  id: number;
  host: string;
  port: number;
  rack: string | null;
  status: NodeStatus;
  isController: boolean;
  leaderCount: number;
  replicaCount: number;
  pid?: number | null;
  /** While a graceful stop of this broker (by Quorum) is under way: how its leaderships are moving. */
  stopping?: BrokerStopProgress;
}

/**
 * A graceful stop under way, as Kafka's metadata (the monitor's latest snapshot) shows it: the
 * partitions the broker led when the stop began, and where their leadership is now.
 */
export interface BrokerStopProgress {
  /** When the stop was asked for (ms since the epoch). */
  startedAt: number;
  /** Partitions the broker led when the stop began. */
  leadersAtStart: number;
  /** Of those, led by the stopping broker still. */
  leadersLeft: number;
  /** Of those, led by another broker now. */
  leadersMoved: number;
  /** Of those, without a leader now (no other in-sync replica took over) or gone (topic deleted). */
  leaderless: number;
  /** When the metadata these counts come from was read (the snapshot's time); null when none was. */
  asOf: number | null;
}

/** GET /api/clusters/:c/controllers (clusters Quorum runs) */
export interface Controller {
  id: number;
  host: string;
  port: number;
  status: NodeStatus;
  pid: number | null;
}

/** GET /api/clusters/:c/quorum — the KRaft controller quorum as DescribeQuorum and the lab's processes tell it. */
export interface QuorumView {
  /** The controller leading the metadata log, as last answered; null when none is known. */
  leader: number | null;
  epoch: number | null;
  /** The metadata log's high watermark (committed up to here). */
  highWatermark: number | null;
  voters: {
    id: number;
    /** The voter's log end offset and how far it is behind the high watermark; null when not answered. */
    logEndOffset: number | null;
    lag: number | null;
    /** Its process, for a lab Quorum runs; null for other clusters. */
    status: NodeStatus | null;
  }[];
  /** Voters up (a lab's processes answering; else null) and the majority the quorum needs. */
  up: number | null;
  needed: number;
  /**
   * ok: a majority is up and a leader answered; lost: fewer voters up than the majority (a lab),
   * so no leader can be elected; unknown: DescribeQuorum did not answer, or no leader yet.
   */
  state: "ok" | "lost" | "unknown";
  /** When the picture was read (the snapshot's time). */
  readAt: number | null;
}

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

/** GET /api/clusters/:c/topics */
export interface TopicSummary {
  name: string;
  internal: boolean;
  partitions: number;
  replicationFactor: number;
  /** Partitions whose ISR is smaller than their replica list. */
  underReplicated: number;
  /** Partitions without a leader. */
  offline: number;
  /** Σ(latest − earliest) over partitions whose offsets are known. */
  messages: number;
}

/** The snapshot a list page was cut from: when it was taken, how old it was when answered, and whether it is whole. */
export interface ListSnapshot {
  takenAt: number;
  /** Milliseconds between the snapshot's `takenAt` and the answer. */
  ageMs: number;
  /** Every part was read: no error and no partial section. */
  complete: boolean;
  partial: { metadata: boolean; offsets: boolean; groups: boolean; quorum: boolean; elr: boolean };
}

/**
 * One page of a server-side list (GET …/topics, GET …/consumer-groups): `total` counts every row
 * of the cluster, `matched` those the filter keeps, `items` the page of those (at `offset`, at most `limit`).
 */
export interface ListPage<T> {
  items: T[];
  total: number;
  matched: number;
  offset: number;
  limit: number;
  snapshot: ListSnapshot;
  /**
   * Present when the caller's grants cover only the names matching these patterns (`*` any run of
   * characters): the list holds those alone, and `total` counts those alone.
   */
  scope?: string[];
}

export interface PartitionInfo {
  partition: number;
  /** -1 when the partition has no leader. */
  leader: number;
  /** Bumped by every election, also one that gives leadership back to the same broker; -1 if unknown. */
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  /**
   * Eligible leader replicas (KIP-966, Kafka 3.8+; `Elr` in `kafka-topics --describe`): replicas
   * out of the ISR, since it fell below min.insync.replicas, that still hold every committed record,
   * so a clean election may pick them. Null when the cluster does not report ELR.
   */
  elr: number[] | null;
  /** `LastKnownElr`: the ELR members last known before they were fenced too (the partition has no leader). */
  lastKnownElr: number[] | null;
  /** The first replica: where leadership returns after a preferred leader election. */
  preferredLeader: number;
  earliestOffset: number | null;
  latestOffset: number | null;
}

export interface TopicConfigEntry {
  name: string;
  value: string | null;
  source: string;
  isDefault: boolean;
  readOnly: boolean;
  sensitive: boolean;
}

/** GET /api/clusters/:c/topics/:t */
export interface TopicDetail {
  name: string;
  /** Kafka's topic id as `kafka-topics --describe` prints it; null when the cluster does not say. */
  topicId: string | null;
  internal: boolean;
  partitions: PartitionInfo[];
  configs: TopicConfigEntry[];
}

/**
 * A group's protocol: `classic` (JoinGroup/SyncGroup, what kafkajs and pre-4.0 Java clients speak)
 * or `consumer` (KIP-848, Java clients with group.protocol=consumer).
 */
export type GroupType = "classic" | "consumer";

/** GET /api/clusters/:c/consumer-groups */
export interface ConsumerGroupSummary {
  groupId: string;
  type: GroupType;
  state: string;
  members: number;
  topics: string[];
  /** Σ lag over partitions with a commit; null when the group has committed nothing. */
  totalLag: number | null;
  /** Judged over the last minute of lag history (see lib/lag-status.ts). */
  status?: LagStatus;
  statusReason?: string;
  /** The reason as a key and its numbers, for the console to word in its language. */
  statusWhy?: LagWhy;
}

export interface GroupMemberInfo {
  memberId: string;
  clientId: string;
  host: string;
  groupInstanceId: string | null;
  assignments: { topic: string; partitions: number[] }[];
  /** Consumer-type groups: the member's epoch; null in a classic group. */
  memberEpoch: number | null;
  /** Consumer-type groups: what the assignor targets for this member; null in a classic group. */
  targetAssignments: { topic: string; partitions: number[] }[] | null;
}

export interface GroupOffset {
  topic: string;
  partition: number;
  committedOffset: number | null;
  logEndOffset: number | null;
  lag: number | null;
  /**
   * Lag in time (GET of one group only): how old the oldest unconsumed message is, i.e. now − the
   * timestamp of the record at the committed offset; 0 when lag is 0; null when unknown (no commit,
   * not measured this time, or no record there).
   */
  lagMs?: number | null;
}

/** GET /api/clusters/:c/consumer-groups/:g */
export interface ConsumerGroupDetail {
  groupId: string;
  type: GroupType;
  state: string;
  protocolType: string;
  /** Classic: the protocol the members agreed on (for consumers, the assignor); consumer: the assignor. */
  protocol: string;
  coordinator: number;
  /** Consumer-type groups: the group epoch and its target assignment's epoch; null for classic groups. */
  groupEpoch: number | null;
  assignmentEpoch: number | null;
  members: GroupMemberInfo[];
  offsets: GroupOffset[];
  totalLag: number | null;
  /** The largest lagMs of the partitions (GET of one group only); null when none is known. */
  maxLagMs?: number | null;
}

/** GET /api/clusters/:c/overview */
export interface ClusterOverview {
  cluster: ClusterSummary;
  brokersUp: number;
  brokersTotal: number;
  /** The counts below are null while the cluster does not answer: unknown, not zero. */
  topics: number | null;
  internalTopics: number | null;
  partitions: number | null;
  underReplicated: number | null;
  offline: number | null;
  groups: number | null;
  totalLag: number | null;
  snapshot: {
    takenAt: number;
    durationMs: number;
    requests: number;
    /** What could not be read, in words (at most 20 lines, then a count). */
    errors: string[];
    /** Every part was read: no error and no partial section. */
    complete: boolean;
    partial: { metadata: boolean; offsets: boolean; groups: boolean; quorum: boolean; elr: boolean };
  } | null;
}

/**
 * One broker's share of a set of partitions (the whole cluster, or one topic). Each replica the
 * broker holds is counted once, in the first of offline (in the partition's offline replicas),
 * in sync (in the ISR, the leader included) or out of sync: `replicas = inSync + outOfSync + offline`.
 */
export interface LeadershipCounts {
  broker: number;
  /** Partitions it leads. */
  leaders: number;
  replicas: number;
  inSync: number;
  outOfSync: number;
  offline: number;
  /** Partitions it leads whose preferred leader (first replica) is another broker. */
  notPreferred: number;
}

/** A topic's row of the leadership heat map: its partitions and, per broker (in the answer's broker order), the counts. */
export interface LeadershipTopicRow {
  topic: string;
  internal: boolean;
  partitions: number;
  /** Partitions with no leader. */
  offline: number;
  /** Partitions whose ISR is smaller than their replica set. */
  underReplicated: number;
  brokers: LeadershipCounts[];
}

/** One partition of the per-partition map (small clusters). */
export type LeadershipPartitionRow = PartitionInfo & { topic: string };

/** GET /api/clusters/:c/leadership — who leads what, summarised so that a large cluster stays small on the wire. */
export interface LeadershipSummary {
  takenAt: number;
  /** The snapshot's metadata is partial (Kafka reported an error for a topic or partition): counts may miss those. */
  partial: boolean;
  /**
   * `partitions`: the map can show every partition (at most `maxPartitions`), and `partitionRows`
   * holds them; `heat-map`: too many to draw one by one, the topic rows summarise them.
   */
  mode: "partitions" | "heat-map";
  /** The threshold (QUORUM_LEADERSHIP_MAP_MAX_PARTITIONS). */
  maxPartitions: number;
  totals: {
    topics: number;
    partitions: number;
    /** Partitions with no leader. */
    offline: number;
    underReplicated: number;
    /** Partitions whose leader is not their preferred leader. */
    notPreferred: number;
  };
  /** Every broker known (up or not) and every broker id a replica names, by id, with its counts over all partitions. */
  brokers: (LeadershipCounts & { status: NodeStatus | "unknown" })[];
  /** The topics matching `q`, sorted, one page of them. */
  topics: { total: number; offset: number; limit: number; rows: LeadershipTopicRow[] };
  /** Every partition, when `mode` is `partitions`; else null. */
  partitionRows: LeadershipPartitionRow[] | null;
}

/** GET /api/clusters/:c/brokers/:id/impact — what stopping a broker would do. */
export interface StopImpact {
  broker: number;
  /** Partitions this broker leads now. */
  leaderships: number;
  /** Partitions whose only in-sync replica is this broker: they would have no leader. */
  goesOffline: { topic: string; partition: number }[];
  lastBrokerUp: boolean;
}

/** POST /api/clusters/:c/elect-leaders */
export interface ElectionReport {
  elected: number;
  already: number;
  failed: number;
  results: { topic: string; partition: number; outcome: "elected" | "already" | "failed"; error: string | null }[];
}

/** Event types the cluster monitor emits (GET /api/clusters/:c/events). */
export type ClusterEventType =
  | "quorum-lost"
  | "quorum-regained"
  | "replicas-changed"
  | "reassignment-started"
  | "reassignment-progress"
  | "reassignment-finished"
  | "broker-down"
  | "broker-up"
  | "controller-changed"
  | "leader-changed"
  | "isr-shrunk"
  | "isr-expanded"
  | "partition-offline"
  | "partition-online"
  | "topic-created"
  | "topic-deleted"
  | "partitions-added"
  | "cluster-unreachable"
  | "cluster-reachable";

export type ClusterEventData =
  | { type: "broker-down" | "broker-up"; broker: number }
  | { type: "controller-changed"; from: number | null; to: number | null }
  | {
      type: "leader-changed";
      topic: string;
      partition: number;
      from: number;
      to: number;
      /**
       * The partition's leader epoch before and after, when the cluster reports epochs. `from` equal
       * to `to` with a higher epoch: the same broker was elected again (it lost and regained
       * leadership between two looks, e.g. fenced and back).
       */
      epoch?: { from: number; to: number };
    }
  | { type: "isr-shrunk" | "isr-expanded"; topic: string; partition: number; from: number[]; to: number[] }
  | { type: "partition-offline" | "partition-online"; topic: string; partition: number; leader: number }
  | { type: "topic-created" | "topic-deleted"; topic: string; partitions: number }
  | { type: "partitions-added"; topic: string; from: number; to: number }
  | { type: "cluster-unreachable" | "cluster-reachable" }
  | { type: "quorum-lost" | "quorum-regained"; up: number | null; needed: number }
  | { type: "replicas-changed"; topic: string; partition: number; from: number[]; to: number[] }
  | {
      type: "reassignment-started" | "reassignment-progress" | "reassignment-finished";
      run: string;
      status: ReassignmentRun["status"];
      total: number;
      settled: number;
      bytes: number | null;
      copied: number | null;
      /** The partitions whose state or copied bytes changed since the run's last event (at most 100). */
      partitions: {
        topic: string;
        partition: number;
        state: ReassignmentPartitionState;
        adding: number[];
        removing: number[];
        bytes: number | null;
        copied: number | null;
      }[];
    };

/** One event: what changed, its id `<epoch>-<n>` (lib/event-id.ts), and the server time (ms since epoch) it was seen. */
export type ClusterEvent = ClusterEventData & { id: string; ts: number; cluster: string };

/** A failover drill's report (GET /api/clusters/:c/drills/:id). */
export interface DrillReport {
  id: string;
  cluster: string;
  topic: string;
  /** failover: partition 0's leader stopped, cycle after cycle; rolling-restart: every broker in turn (absent in older reports: failover). */
  kind?: "failover" | "rolling-restart";
  /** A rolling restart told to stop: it ended after the broker it was restarting was back. */
  aborted?: boolean;
  mode: "graceful" | "kill";
  cycles: number;
  downMs: number;
  rate: number;
  status: "running" | "verifying" | "done" | "failed";
  /** What the drill is doing now, while it runs; why it failed, if it did. */
  phase: string;
  startedAt: number;
  finishedAt: number | null;
  /** Messages the producer tried to send. */
  sent: number;
  /** Sends the cluster acknowledged (acks=all). */
  acknowledged: number;
  /** Acknowledged but never read back: data loss. */
  lost: number;
  lostSample: number[];
  /** Sequence numbers read more than once. */
  duplicated: number;
  /** Sends that failed but whose message was read back anyway. */
  unacknowledgedButWritten: number;
  read: number;
  producerErrors: Record<string, number>;
  /** The longest stretch without an acknowledged write, and when it began. */
  longestStallMs: number;
  longestStallAt: number | null;
  leaderChanges: { ts: number; partition: number; from: number; to: number }[];
  steps: { broker: number; stoppedAt: number; startedAt: number; inSyncAt: number | null }[];
}

/** GET /api/clusters/:c/workload — the demo workload that gives the lab cluster traffic. */
export interface WorkloadStatus {
  enabled: boolean;
  running: boolean;
  /** Asked to run, not running yet: it retries every few seconds (lastError says why). */
  starting: boolean;
  /** Messages per second the producer aims for, over all demo topics. */
  rate: number;
  produced: number;
  producerErrors: number;
  lastError: string | null;
  topics: { topic: string; partitions: number; replicationFactor: number; configs: Record<string, string> }[];
  /**
   * The demo groups: kafkajs consumers (classic protocol, pausable) and Kafka's console consumer
   * (a JVM, consumer protocol: KIP-848), whose `consumed` counts the lines it printed.
   */
  groups: {
    groupId: string;
    topic: string;
    type: GroupType;
    consumed: number;
    paused: boolean;
    pausable: boolean;
    pace: string;
  }[];
}

export type { LagStatus, LagWhy };

/**
 * History answers: oldest first, at most 600 points (server/history/runs.ts MAX_POINTS). Recent
 * samples are one point each; a stretch of unchanged samples, and older or longer ranges merged
 * into time buckets, are two points (its first and last sample) with the same values: gauges
 * (lag, lagMs, totalLag) the bucket's largest, rates the bucket's average. A point whose values
 * are all null is a gap: no sample was taken there (Quorum stopped, the cluster unreachable, a
 * partial snapshot skipped).
 */

/** GET /api/clusters/:c/consumer-groups/:g/history */
export interface GroupHistory {
  status: LagStatus;
  reason: string;
  /** The reason as a key and its numbers (see lib/lag-status.ts). */
  why: LagWhy;
  /** lagMs: lag in time, the largest over the group's partitions (see GroupOffset.lagMs); null when not measured. */
  points: { ts: number; lag: number | null; consumeRate: number | null; lagMs: number | null }[];
}

/** GET /api/clusters/:c/topics/:t/history */
export interface TopicHistory {
  points: { ts: number; messages: number | null; produceRate: number | null }[];
}

/** GET /api/clusters/:c/history */
export interface ClusterHistory {
  points: { ts: number; totalLag: number | null; produceRate: number | null }[];
}

/** One step of POST /api/clusters/test, in the order they run. */
export interface ConnectionTestStep {
  step: "tcp" | "tls" | "sasl" | "api-versions" | "metadata";
  ok: boolean;
  ms: number;
  /** In words: what was reached, or why the step failed ("TCP: connection refused by 127.0.0.1:1"). */
  message: string;
}

/** POST /api/clusters/test */
export interface ConnectionTestResult {
  ok: boolean;
  steps: ConnectionTestStep[];
}

// Messages (GET/POST /api/clusters/:c/topics/:t/messages)

/** How a key or value is shown: as asked, or what "auto" found it to be. */
export type DataFormat = "text" | "json" | "hex" | "base64";
export type RequestedFormat = DataFormat | "auto";

export interface DecodedData {
  format: DataFormat;
  /** The text, JSON text, hex or base64 of at most the size cap's bytes. */
  data: string;
  /** The original size in bytes. */
  size: number;
  /** Only the first bytes (the cap) are in `data`. */
  truncated: boolean;
  /** Why the format asked for could not be used (e.g. "not valid JSON: …"): `data` is then text. */
  error?: string;
}

export type CompressionCodec = "none" | "gzip" | "snappy" | "lz4" | "zstd";

export interface KafkaMessage {
  partition: number;
  offset: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  timestampType: "CreateTime" | "LogAppendTime";
  /** null: no key (or a tombstone's value). */
  key: DecodedData | null;
  value: DecodedData | null;
  headers: { key: string; value: DecodedData | null }[];
  /** The record's encoded size in its batch, uncompressed. */
  size: number;
  /** The codec of the batch the record came in. */
  compression: CompressionCodec;
}

export type MessageSeek = "newest" | "oldest" | "offset" | "timestamp";
export type ReadIsolation = "read_committed" | "read_uncommitted";

export interface MessagePagePartition {
  partition: number;
  leader: number;
  logStartOffset: number;
  /** The end a consumer would read to: the last stable offset under read_committed, else the high watermark. */
  endOffset: number;
  /** The offsets this page read for the partition, [from, to) (from = to: nothing). */
  from: number;
  to: number;
}

export interface MessagePage {
  topic: string;
  isolation: ReadIsolation;
  /** Oldest first: by timestamp across partitions, by offset within one. */
  messages: KafkaMessage[];
  partitions: MessagePagePartition[];
  /** The next (newer) page and the previous (older) page; null when there is nothing there now. */
  nextCursor: string | null;
  prevCursor: string | null;
  /** What the answer had to explain: an offset before the log start or past the end, no message after a time, … */
  notices: string[];
}

export interface ProducedMessage {
  topic: string;
  partition: number;
  /** null with acks=0 (Kafka does not answer). */
  offset: number | null;
  /** The broker's LogAppendTime when the topic uses it, else null. */
  logAppendTime: number | null;
  /** How the partition was chosen. */
  partitioner: "explicit" | "murmur2" | "round-robin";
  /** The same message sent by other tools, shell-quoted. */
  commands: { kcat: string; consoleProducer: string };
}

export interface PartitionChoice {
  topic: string;
  partitions: number;
  /** null without a key: Kafka's clients then spread keyless records (Quorum sends them round-robin). */
  partition: number | null;
  partitioner: "murmur2" | "round-robin";
}

/** How a reset moves a group's offsets: kafka-consumer-groups --reset-offsets --to-… */
export type OffsetResetMode = "earliest" | "latest" | "timestamp" | "offset" | "shift" | "group";

/** One partition of a reset's preview (--dry-run) or of what was applied (--execute). */
export interface OffsetResetPartition {
  topic: string;
  partition: number;
  /** The group's committed offset now; null when it has none for this partition. */
  currentOffset: number | null;
  /** Where the mode points, before clamping to the log. */
  requestedOffset: number;
  /** What is (or would be) committed: requestedOffset clamped to [logStartOffset, logEndOffset]. */
  newOffset: number;
  logStartOffset: number;
  logEndOffset: number;
  /** Set when requestedOffset lay outside the log and was moved to its start or end. */
  clamped: "log-start" | "log-end" | null;
  /** A word on how newOffset was found, when it is not plain (a timestamp past the last message, …). */
  note: string | null;
  lagBefore: number | null;
  lagAfter: number;
}

/** POST /api/clusters/:c/consumer-groups/:g/reset-offsets */
export interface OffsetResetReport {
  groupId: string;
  mode: OffsetResetMode;
  /** false: a preview (nothing changed); true: the offsets were committed. */
  executed: boolean;
  partitions: OffsetResetPartition[];
  /** Members the group has now: a group with members cannot be reset (Kafka's rule). */
  activeMembers: { clientId: string; host: string }[];
  /** The equivalent kafka-consumer-groups command (with --dry-run for a preview, --execute when applied). */
  command: string;
}

/** DELETE /api/clusters/:c/consumer-groups/:g and …/offsets/:topic */
export interface GroupDeleteReport {
  groupId: string;
  /** The topic whose offsets were deleted; null when the whole group was. */
  topic: string | null;
  partitions: number[];
  command: string;
}

/** POST /api/clusters/:c/topics/:t/delete-records */
export interface DeleteRecordsReport {
  topic: string;
  /** Per partition: the log start before and after. */
  partitions: { partition: number; beforeOffset: number; logStartOffset: number; logEndOffset: number }[];
  executed: boolean;
  command: string;
}

/** One action on a consumer group, as the group's timeline shows it. */
export interface GroupActionRecord {
  ts: number;
  groupId: string;
  action: "reset-offsets" | "delete-offsets" | "delete-group";
  /** Who asked, as far as the server knows (the client's address, or "api"). */
  by: string;
  summary: string;
  changes: { topic: string; partition: number; from: number | null; to: number | null }[];
  command: string;
}

/** Why a message search ended (`cancelled`: its client went; the server logs it, the client never sees it). */
export type SearchEnd = "end" | "max_messages" | "max_seconds" | "max_matches" | "cancelled";

/** A message search's counts so far (its `progress` and `done` events). */
export interface SearchProgress {
  scanned: number;
  matched: number;
  elapsedMs: number;
  /** Records read per second so far. */
  rate: number;
  /** Per partition, the next offset the search would read. */
  positions: Record<string, number>;
}

/** A live tail's counts (its `stats` events). */
export interface TailStats {
  sent: number;
  skipped: number;
  /** Records seen (sent + skipped). */
  seen: number;
  positions: Record<string, number>;
  ts: number;
}

/** One partition of a reassignment plan: its replica list before and after (the first is the preferred leader). */
export interface PlannedMove {
  topic: string;
  partition: number;
  before: number[];
  after: number[];
  /** Brokers that get a copy, and brokers whose copy goes. */
  adding: number[];
  removing: number[];
  /** Bytes copied to the new replicas (the largest current replica's size, once per new one); null when unknown. */
  bytes: number | null;
}

/** Replicas and preferred leaderships a broker holds before and after a plan. */
export interface BrokerLoad {
  broker: number;
  replicas: { before: number; after: number };
  leaders: { before: number; after: number };
}

/** The same moves as kafka-reassign-partitions files and commands, with the cluster's bootstrap servers. */
export interface ReassignmentTool {
  /** `--reassignment-json-file` for --execute, and the one that puts the partitions back. */
  json: string;
  rollbackJson: string;
  execute: string;
  verify: string;
}

/** GET /api/clusters/:c/reassignments/plan */
export interface ReassignmentPlanView {
  goal: ReassignmentGoal;
  /** The partitions whose replica list changes (order included). */
  moves: PlannedMove[];
  /** Of those, how many copy data (the others only change the preferred leader). */
  copying: number;
  /** Bytes copied in all; null when some partition's size is unknown. */
  bytes: number | null;
  brokers: BrokerLoad[];
  /** Brokers whose sizes could not be read (their replicas' bytes are unknown). */
  sizesMissing: number[];
  tool: ReassignmentTool;
}

export type ReassignmentPartitionState = "moving" | "done" | "cancelled" | "refused" | "changed";

export interface ReassignmentRunPartition extends PlannedMove {
  state: ReassignmentPartitionState;
  /** Kafka's refusal, or what the partition ended as when it is neither the plan nor the start. */
  error: string | null;
  /** Bytes the new replicas hold so far (of `bytes`); null when unknown. */
  copied: number | null;
}

/** One reassignment Quorum started: GET /api/clusters/:c/reassignments/:run */
export interface ReassignmentRun {
  id: string;
  cluster: string;
  startedAt: number;
  finishedAt: number | null;
  status: "running" | "cancelling" | "done" | "cancelled" | "failed";
  /** Bytes per second per broker for the moving replicas; null: unthrottled. */
  throttle: number | null;
  /** The throttle configs this run set are still in place (removed once it ends). */
  throttled: boolean;
  partitions: ReassignmentRunPartition[];
  total: number;
  /** Partitions no longer moving (done, cancelled, refused or changed). */
  settled: number;
  bytes: number | null;
  copied: number | null;
  /** The last problem following it (e.g. the cluster not answering); null when none. */
  error: string | null;
  tool: ReassignmentTool;
}

/** A move under way as Kafka lists it (ListPartitionReassignments), and the run of Quorum's it belongs to. */
export interface OngoingReassignmentView {
  topic: string;
  partition: number;
  replicas: number[];
  adding: number[];
  removing: number[];
  /** null: started by something else (kafka-reassign-partitions, another console). */
  run: string | null;
}

/** GET /api/clusters/:c/reassignments */
export interface ReassignmentsView {
  runs: ReassignmentRun[];
  ongoing: OngoingReassignmentView[];
}

/**
 * One Kafka node's metrics at one sample, from its Prometheus endpoint (the lab's JMX exporter, or
 * the URL a cluster entry names). Rates are per second over the time since the node's previous
 * sample; null where the node does not expose the value, or a rate has no previous sample to go by
 * (the first after a gap or a restart).
 */
export interface NodeMetricValues {
  /** Bytes written to the broker's logs by producers, per second (BrokerTopicMetrics BytesInPerSec). */
  bytesIn: number | null;
  /** Bytes sent to consumers and followers, per second. */
  bytesOut: number | null;
  messagesIn: number | null;
  /** Produce and Fetch requests handled per second (every version). */
  produceRequests: number | null;
  fetchRequests: number | null;
  /** 99th percentile of a request's total time, in ms (Kafka's histogram, which favours the last few minutes). */
  produceP99Ms: number | null;
  fetchP99Ms: number | null;
  /** The request handler threads' idle share, 0–1, over the interval. */
  handlerIdle: number | null;
  underReplicated: number | null;
  offlineReplicas: number | null;
  isrShrinks: number | null;
  isrExpands: number | null;
  /** Controllers: 1 on the active controller. */
  activeController: number | null;
  /** Controllers: partitions without a leader. */
  offlinePartitions: number | null;
  heapUsed: number | null;
  heapMax: number | null;
  /** Milliseconds spent in garbage collection per second. */
  gcMsPerSec: number | null;
  /** The KRaft metadata log: its end offset on this node, and the average commit latency (ms). */
  logEndOffset: number | null;
  commitLatencyMs: number | null;
}

export type NodeMetricKey = keyof NodeMetricValues;

/** A point of a node's chart: a sample, or a blank (every value null) where no sample was taken. */
export type NodeMetricPoint = { ts: number } & { [K in NodeMetricKey]: number | null };

/** A point of the cluster's Health panel: sums over the brokers that answered (`reporting` of `expected`). */
export interface HealthPoint {
  ts: number;
  underReplicated: number | null;
  offlinePartitions: number | null;
  activeControllers: number | null;
  bytesIn: number | null;
  bytesOut: number | null;
  isrShrinks: number | null;
  isrExpands: number | null;
  /** Brokers whose sample is in this point; fewer than `expected` means a partial sum. */
  reporting: number | null;
}

/** A moment drawn on the metrics charts: a broker stopping or starting, leaders moving, the controller changing. */
export interface ChartMarker {
  ts: number;
  kind: "broker-down" | "broker-up" | "leaders-moved" | "controller-changed" | "quorum-lost" | "quorum-regained";
  /** The broker it is about, for broker-down and broker-up; for leaders-moved, null. */
  broker: number | null;
  /** For controller-changed: the controller that leads now (null: none). */
  controller?: number | null;
  /** For leaders-moved: how many partition leaders moved in that second. */
  count?: number;
  /** The marker in English words (the console writes its own from the fields above, in the page's language). */
  label: string;
}

/** GET /api/clusters/:c/broker-metrics */
export interface BrokerMetricsHistory {
  /** Whether this cluster has metrics endpoints at all (the lab's exporters, or URLs in its entry). */
  enabled: boolean;
  sampleMs: number;
  since: number;
  now: number;
  nodes: { id: number; role: "broker" | "controller"; points: NodeMetricPoint[] }[];
  health: { expected: number; points: HealthPoint[] };
  markers: ChartMarker[];
}
