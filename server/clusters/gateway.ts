import "server-only";
import type { LabListener, NodeRuntime } from "@/lib/types";
import type { StopMode } from "../embedded/node-process";
import {
  alterManyTopicConfigs,
  alterTopicConfigs,
  createPartitions,
  createTopic,
  deleteTopic,
  describeTopicConfigs,
  type ElectionResult,
  electPreferredLeaders,
  type NewTopic,
  type RawConfigEntry,
} from "../kafka/admin-requests";
import type { FetchedPartition } from "../kafka/apis";
import { KafkaError } from "../kafka/error-codes";
import {
  commitGroupOffsets,
  type DeleteRecordsResult,
  deleteGroup,
  deleteGroupOffsets,
  deleteRecords,
  fetchRecordTimes,
  findGroupCoordinator,
  type OffsetsByTopic,
  type PartitionResult,
  type RecordTime,
} from "../kafka/group-requests";
import {
  type FetchAsk,
  fetchPartition,
  type Isolation,
  type OffsetAt,
  offsetsAt,
  type ProduceAnswer,
  type ProduceRecord,
  produceRecord,
  type TopicLayout,
  topicLayout,
} from "../kafka/message-requests";
import { type ClusterMetadata, fetchMetadata } from "../kafka/metadata";
import { KafkaPool } from "../kafka/pool";
import {
  alterBrokerConfigs,
  alterPartitionReassignments,
  describeLogDirs,
  listPartitionReassignments,
  type OngoingReassignment,
  type ReassignmentRefusal,
  type ReassignmentTarget,
  unregisterBroker,
} from "../kafka/reassign-requests";
import {
  type CommittedOffset,
  consumerGroupDescribe,
  type DescribedGroup,
  describeGroups,
  type GroupType,
  listOffsets,
  offsetFetch,
  type PartitionOffset,
} from "../kafka/requests";
import { type ClusterSnapshot, takeSnapshot } from "../kafka/snapshot";
import { WireError } from "../kafka/wire-error";
import type { ClusterConnection } from "./connection";

/**
 * The seams between the cluster modules and the outside world: Kafka's requests (the gateway) and
 * the processes of a cluster Quorum runs (the supervisor). Commands and the read model see only
 * these interfaces, so their policies are unit-tested with fakes; the real ones are below.
 */

/**
 * Every Kafka request the cluster modules make for one cluster, each sent to the first of `seeds`
 * (that cluster's bootstrap servers, the one that answered last first) that answers.
 */
export interface KafkaGateway {
  takeSnapshot(
    seeds: string[],
    timeoutMs: number,
    onMetadata?: (md: ClusterMetadata) => void,
  ): Promise<ClusterSnapshot>;
  /** One Metadata answer for every topic: who leads what, the ISRs, the live brokers. */
  clusterMetadata(seeds: string[], timeoutMs: number): Promise<ClusterMetadata>;
  describeTopicConfigs(seeds: string[], topic: string, timeoutMs: number): Promise<RawConfigEntry[]>;
  createTopic(seeds: string[], topic: NewTopic): Promise<void>;
  createPartitions(seeds: string[], topic: string, count: number): Promise<void>;
  deleteTopic(seeds: string[], topic: string): Promise<void>;
  alterTopicConfigs(seeds: string[], topic: string, changes: Record<string, string | null>): Promise<void>;
  /** Preferred election for exactly the given partitions (topic → partition numbers). */
  electPreferredLeaders(seeds: string[], partitions: Map<string, number[]>): Promise<ElectionResult[]>;
  /** A topic's partitions and their leaders, from a fresh Metadata answer; null when there is no such topic. */
  topicLayout(seeds: string[], topic: string, timeoutMs: number): Promise<TopicLayout | null>;
  /** One Fetch of one partition from `broker` (its leader), outside any consumer group. */
  fetchPartition(broker: string, ask: FetchAsk, timeoutMs: number): Promise<FetchedPartition>;
  /** ListOffsets at one timestamp (-2 log start, -1 end, else a time in ms) for partitions `broker` leads. */
  offsetsAt(
    broker: string,
    topic: string,
    partitions: number[],
    timestamp: bigint,
    isolation: Isolation,
    timeoutMs: number,
  ): Promise<OffsetAt[]>;
  /** Produce one record to a partition's leader (sent once: a lost answer is an unknown outcome). */
  produceRecord(
    broker: string,
    topic: string,
    partition: number,
    record: ProduceRecord,
    acks: -1 | 0 | 1,
    timeoutMs: number,
  ): Promise<ProduceAnswer>;
  // Consumer-group actions (group-commands.ts), each sent to the broker named ("host:port").
  /** The broker that coordinates `groupId`. */
  groupCoordinator(seeds: string[], groupId: string): Promise<string>;
  /** The group as its coordinator describes it now (DescribeGroups or ConsumerGroupDescribe by type). */
  describeGroup(coordinator: string, groupId: string, type: GroupType): Promise<DescribedGroup | null>;
  /** Every offset the group has committed; a group-level error is thrown. */
  committedOffsets(coordinator: string, groupId: string): Promise<CommittedOffset[]>;
  /** ListOffsets of partitions `leader` leads at one timestamp (EARLIEST, LATEST, or ms since the epoch). */
  listOffsets(leader: string, partitions: Map<string, number[]>, timestamp: bigint): Promise<PartitionOffset[]>;
  commitGroupOffsets(coordinator: string, groupId: string, offsets: OffsetsByTopic): Promise<PartitionResult[]>;
  deleteGroupOffsets(
    coordinator: string,
    groupId: string,
    topic: string,
    partitions: number[],
  ): Promise<PartitionResult[]>;
  deleteGroup(coordinator: string, groupId: string): Promise<void>;
  deleteRecords(
    leader: string,
    topic: string,
    partitions: { partition: number; offset: bigint }[],
  ): Promise<DeleteRecordsResult[]>;
  /** One Fetch to `leader`: the timestamp of the record at each offset, by "topic\0partition". */
  recordTimes(
    leader: string,
    partitions: { topic: string; partition: number; offset: bigint }[],
  ): Promise<Map<string, RecordTime>>;
  // Partition reassignment (server/reassignment).
  /** Starts moves (a replica list each) or cancels them (null); the partitions Kafka refused, with why. */
  alterReassignments(seeds: string[], targets: ReassignmentTarget[]): Promise<ReassignmentRefusal[]>;
  /** Every move under way in the cluster. */
  listReassignments(seeds: string[], timeoutMs: number): Promise<OngoingReassignment[]>;
  /** The bytes `broker` ("host:port") holds of each of its replicas, by "topic:partition". */
  logDirSizes(broker: string, timeoutMs: number): Promise<Map<string, number>>;
  /** Configs of many topics in one request (values set, nulls back to default); throws the first refusal. */
  alterManyTopicConfigs(seeds: string[], topics: ReadonlyMap<string, Record<string, string | null>>): Promise<void>;
  /** Forgets a broker that left the cluster for good (its registration in the KRaft quorum). */
  unregisterBroker(seeds: string[], id: number): Promise<void>;
  /** Dynamic configs of broker `id`, asked of that broker ("host:port"): values set, nulls back to default. */
  alterBrokerConfigs(broker: string, id: number, changes: Record<string, string | null>): Promise<void>;
  /** Open connections per broker address ("host:port" → count). */
  openSockets(): Map<string, number>;
  /** Kafka requests written so far on the gateway's connections, ApiVersions included (read by /metrics). */
  requestsSent(): number;
  /** Closes the gateway's connections. */
  close(): Promise<void>;
}

/** How long a group action's read or mutation may take per request. */
const GROUP_TIMEOUT_MS = 5000;

/** Words in a connection failure that mean the broker refused the SASL login (the library's and Kafka's). */
export const SASL_REFUSED = /SASL|authenticat/i;

/**
 * A connection failure that is a refused SASL login, said so up front with the user and mechanism
 * (the broker's own words follow: Kafka's message names neither): every read and command of a
 * cluster whose credentials are wrong answers 503 naming SASL, not a bare "cannot connect".
 * A WireError is known by its name (errors are not compared by class across modules).
 */
export function explainSaslFailure(err: unknown, sasl: ClusterConnection["sasl"]): unknown {
  if (!sasl || typeof err !== "object" || err === null) return err;
  const e = err as Partial<WireError>;
  if (e.name !== "WireError" || e.kind !== "connection" || !SASL_REFUSED.test(e.message ?? "")) return err;
  return new WireError(
    `SASL authentication failed for user ${sasl.username} with mechanism ${sasl.mechanism}: ${e.message}`,
    "connection",
    { sent: e.sent ?? false, mutation: e.mutation ?? false },
  );
}

/**
 * The gateway that speaks Kafka's protocol (server/kafka) to one cluster: a pool of at most one
 * connection per broker, opened with the cluster's TLS and SASL settings and kept across requests.
 */
export function createKafkaGateway(connection: Pick<ClusterConnection, "tls" | "sasl">): KafkaGateway {
  const pool = new KafkaPool(connection);
  const explained = <T>(promise: Promise<T>): Promise<T> =>
    promise.catch((err: unknown) => {
      throw explainSaslFailure(err, connection.sasl);
    });
  return {
    takeSnapshot: (seeds, timeoutMs, onMetadata) => explained(takeSnapshot(pool, seeds, timeoutMs, onMetadata)),
    clusterMetadata: (seeds, timeoutMs) => explained(fetchMetadata(pool, seeds, timeoutMs)),
    describeTopicConfigs: (seeds, topic, timeoutMs) => explained(describeTopicConfigs(pool, seeds, topic, timeoutMs)),
    createTopic: (seeds, topic) => explained(createTopic(pool, seeds, topic)),
    createPartitions: (seeds, topic, count) => explained(createPartitions(pool, seeds, topic, count)),
    deleteTopic: (seeds, topic) => explained(deleteTopic(pool, seeds, topic)),
    alterTopicConfigs: (seeds, topic, changes) => explained(alterTopicConfigs(pool, seeds, topic, changes)),
    electPreferredLeaders: (seeds, partitions) => explained(electPreferredLeaders(pool, seeds, partitions)),
    topicLayout: (seeds, topic, timeoutMs) => explained(topicLayout(pool, seeds, topic, timeoutMs)),
    fetchPartition: (broker, ask, timeoutMs) => explained(fetchPartition(pool, broker, ask, timeoutMs)),
    offsetsAt: (broker, topic, partitions, timestamp, isolation, timeoutMs) =>
      explained(offsetsAt(pool, broker, topic, partitions, timestamp, isolation, timeoutMs)),
    produceRecord: (broker, topic, partition, record, acks, timeoutMs) =>
      explained(produceRecord(pool, broker, topic, partition, record, acks, timeoutMs)),
    groupCoordinator: (seeds, groupId) => explained(findGroupCoordinator(pool, seeds, groupId)),
    describeGroup: (coordinator, groupId, type) =>
      explained(
        (type === "consumer"
          ? consumerGroupDescribe(pool, coordinator, [groupId], GROUP_TIMEOUT_MS)
          : describeGroups(pool, coordinator, [groupId], GROUP_TIMEOUT_MS)
        ).then((gs) => gs.find((g) => g.groupId === groupId) ?? null),
      ),
    committedOffsets: (coordinator, groupId) =>
      explained(
        offsetFetch(pool, coordinator, [groupId], GROUP_TIMEOUT_MS).then(({ committed, groupErrors }) => {
          const code = groupErrors.get(groupId);
          if (code !== undefined) throw new KafkaError(code, null, `committed offsets of group ${groupId}`);
          return committed;
        }),
      ),
    listOffsets: (leader, partitions, timestamp) =>
      explained(listOffsets(pool, leader, partitions, timestamp, GROUP_TIMEOUT_MS)),
    commitGroupOffsets: (coordinator, groupId, offsets) =>
      explained(commitGroupOffsets(pool, coordinator, groupId, offsets)),
    deleteGroupOffsets: (coordinator, groupId, topic, partitions) =>
      explained(deleteGroupOffsets(pool, coordinator, groupId, topic, partitions)),
    deleteGroup: (coordinator, groupId) => explained(deleteGroup(pool, coordinator, groupId)),
    deleteRecords: (leader, topic, partitions) =>
      explained(deleteRecords(pool, leader, topic, partitions, GROUP_TIMEOUT_MS)),
    recordTimes: (leader, partitions) => explained(fetchRecordTimes(pool, leader, partitions, GROUP_TIMEOUT_MS)),
    alterReassignments: (seeds, targets) => explained(alterPartitionReassignments(pool, seeds, targets)),
    listReassignments: (seeds, timeoutMs) => explained(listPartitionReassignments(pool, seeds, timeoutMs)),
    logDirSizes: (broker, timeoutMs) => explained(describeLogDirs(pool, broker, timeoutMs)),
    alterBrokerConfigs: (broker, id, changes) => explained(alterBrokerConfigs(pool, broker, id, changes)),
    unregisterBroker: (seeds, id) => explained(unregisterBroker(pool, seeds, id)),
    alterManyTopicConfigs: (seeds, topics) => explained(alterManyTopicConfigs(pool, seeds, topics)),
    openSockets: () => pool.openSockets(),
    requestsSent: () => pool.requestsSent,
    close: () => pool.close(),
  };
}

/** What the cluster modules read of one node Quorum runs. */
export type SupervisedNode = Pick<NodeRuntime, "id" | "role" | "host" | "port" | "status" | "pid">;

/** The node processes of a cluster Quorum runs (EmbeddedCluster is one). */
export interface NodeSupervisor {
  readonly bootstrap: string[];
  readonly isStarting: boolean;
  readonly startError: string | null;
  readonly clusterId: string | null;
  readonly kafkaVersion: string;
  nodeStates(): SupervisedNode[];
  /** Resolves once the broker's process is gone. */
  stopBroker(id: number, mode: StopMode): Promise<void>;
  /** Returns once the broker's process is started (status "starting"). */
  startBroker(id: number): void | Promise<void>;
  on(event: "change", listener: () => void): unknown;
  /** The lab's SASL_SSL listener, when it has one (nothing secret). */
  saslListener?(): LabListener | null;
  /** Resolves once the controller's process is gone. */
  stopController(id: number, mode: StopMode): Promise<void>;
  /** Returns once the controller's process is started (status "starting"). */
  startController(id: number): void | Promise<void>;
  /** Adds a broker (the next id, a free port, formatted storage); resolves with its id once it answers. */
  addBroker(): Promise<number>;
  /** Takes a stopped broker out of the lab for good (its storage deleted). */
  removeBroker(id: number): Promise<void>;
  /** Replaces the lab with a fresh one of this size (its topics and messages gone); resolves once it is up. */
  recreate(shape: { brokers: number; controllers: 1 | 3 }): Promise<void>;
  /** The lab's size now. */
  readonly labShape: { brokers: number; controllers: 1 | 3 };
}

/** The brokers a supervisor reports as answering Kafka requests now. */
export function brokersUpNow(supervisor: NodeSupervisor): Set<number> {
  return new Set(
    supervisor
      .nodeStates()
      .filter((n) => n.role === "broker" && n.status === "up")
      .map((n) => n.id),
  );
}
