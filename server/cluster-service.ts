import "server-only";
import type { GroupListQuery, TopicListQuery } from "@/lib/schemas/lists";
import type {
  Broker,
  ClusterOverview,
  ClusterSummary,
  ConsumerGroupDetail,
  ConsumerGroupSummary,
  Controller,
  ElectionReport,
  ListPage,
  PartitionInfo,
  StopImpact,
  TopicConfigEntry,
  TopicDetail,
  TopicSummary,
} from "@/lib/types";
import * as brokerCommands from "./clusters/broker-commands";
import { ClusterLock } from "./clusters/cluster-lock";
import { plaintext } from "./clusters/connection";
import type { ClusterContext } from "./clusters/context";
import { createKafkaGateway, type KafkaGateway } from "./clusters/gateway";
import { type ActionLog, MemoryActionLog } from "./clusters/group-actions-log";
import * as leaderCommands from "./clusters/leader-commands";
import type { NameScope } from "./clusters/list-pages";
import { ReadModel } from "./clusters/read-model";
import * as topicCommands from "./clusters/topic-commands";
import type { EmbeddedCluster } from "./embedded/embedded-cluster";
import type { StopMode } from "./embedded/node-process";
import type { NewTopic } from "./kafka/admin-requests";
import type { ClusterSnapshot } from "./kafka/snapshot";
import { ClusterMonitor, DEFAULT_MONITOR_OPTIONS, type MonitorOptions } from "./monitor/monitor";

/**
 * One cluster as the API sees it: a thin facade over its read model (server/clusters/read-model),
 * its commands (one module per domain under server/clusters) and its monitor. The embedded
 * cluster, when Quorum runs it, is the node supervisor.
 */
export class ClusterService implements ClusterContext {
  readonly read: ReadModel;
  readonly monitor: ClusterMonitor;
  readonly lock: ClusterLock;
  /** The group actions' history: in memory until Quorum opens its history store (server/lifecycle.ts). */
  actions: ActionLog = new MemoryActionLog();

  constructor(
    readonly id: string,
    readonly name: string,
    staticBootstrap: string[],
    readonly embedded: EmbeddedCluster | null,
    monitorOptions: MonitorOptions = DEFAULT_MONITOR_OPTIONS,
    /** The cluster's own gateway (its pool of connections): plaintext to `staticBootstrap` unless given. */
    readonly gateway: KafkaGateway = createKafkaGateway(plaintext(staticBootstrap)),
  ) {
    this.lock = new ClusterLock(id);
    this.read = new ReadModel(id, name, staticBootstrap, embedded, gateway);
    this.monitor = new ClusterMonitor(this.read, monitorOptions);
    // A node starting or stopping is a change worth looking at at once.
    embedded?.on("change", () => this.monitor.kick());
  }

  get supervisor(): EmbeddedCluster | null {
    return this.embedded;
  }

  get kind(): "embedded" | "external" {
    return this.read.kind;
  }

  get bootstrap(): string[] {
    return this.read.bootstrap;
  }

  /** Every mutation of this cluster answers 403 `read_only` (enforced by the route wrapper). */
  get readOnly(): boolean {
    return this.read.access.readOnly;
  }

  /** Forgets the cached snapshot, so the next read sees the effect of an action, and has the monitor look. */
  invalidate(): void {
    this.read.cache.invalidate();
    this.monitor.kick();
  }

  // Reads: projections of the shared snapshot.
  snapshot = (maxAgeMs?: number): Promise<ClusterSnapshot | null> => this.read.snapshot(maxAgeMs);
  brokers = (): Promise<Broker[]> => this.read.brokers();
  brokerStatuses = (snap: ClusterSnapshot | null): Broker[] => this.read.brokerStatuses(snap);
  controllers = (): Controller[] => this.read.controllers();
  summary = (): Promise<ClusterSummary> => this.read.summary();
  overview = (): Promise<ClusterOverview> => this.read.overview();
  topics = (): Promise<TopicSummary[]> => this.read.topics();
  topicPage = (query: TopicListQuery, scope?: NameScope): Promise<ListPage<TopicSummary>> =>
    this.read.topicPage(query, scope);
  topicPageIfFresh = (query: TopicListQuery, scope?: NameScope): ListPage<TopicSummary> | null =>
    this.read.topicPageIfFresh(query, scope);
  partitions = (includeInternal = false): Promise<(PartitionInfo & { topic: string })[]> =>
    this.read.partitions(includeInternal);
  topic = (name: string): Promise<TopicDetail> => this.read.topic(name);
  topicConfigs = (name: string): Promise<TopicConfigEntry[]> => this.read.topicConfigs(name);
  consumerGroups = (): Promise<ConsumerGroupSummary[]> => this.read.consumerGroups();
  consumerGroupPage = (query: GroupListQuery, scope?: NameScope): Promise<ListPage<ConsumerGroupSummary>> =>
    this.read.consumerGroupPage(query, scope);
  consumerGroupPageIfFresh = (query: GroupListQuery, scope?: NameScope): ListPage<ConsumerGroupSummary> | null =>
    this.read.consumerGroupPageIfFresh(query, scope);
  consumerGroup = (groupId: string): Promise<ConsumerGroupDetail> => this.read.consumerGroup(groupId);
  awaitMetadata = (what: string, done: (s: ClusterSnapshot) => boolean, timeoutMs?: number): Promise<boolean> =>
    this.read.awaitMetadata(what, done, timeoutMs);
  stopImpact = (id: number): Promise<StopImpact> => brokerCommands.stopImpact(this, id);

  // Commands: one module per domain.
  createTopic = (input: NewTopic): Promise<TopicDetail> => topicCommands.createTopic(this, input);
  addPartitions = (name: string, count: number): Promise<TopicSummary> =>
    topicCommands.addPartitions(this, name, count);
  deleteTopic = (name: string): Promise<void> => topicCommands.deleteTopic(this, name);
  alterTopicConfigs = (name: string, changes: Record<string, string | null>): Promise<TopicConfigEntry[]> =>
    topicCommands.alterTopicConfigs(this, name, changes);
  stopBroker = (id: number, mode: StopMode, opts?: brokerCommands.StopOptions): Promise<void> =>
    brokerCommands.stopBroker(this, id, mode, opts);
  startBroker = (id: number, opts?: brokerCommands.BrokerCommandOptions): Promise<void> =>
    brokerCommands.startBroker(this, id, opts);
  electPreferredLeaders = (topic?: string): Promise<ElectionReport> =>
    leaderCommands.electPreferredLeaders(this, topic);
}
