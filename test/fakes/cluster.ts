import type { NodeStatus } from "@/lib/types";
import { ClusterLock } from "@/server/clusters/cluster-lock";
import type { ClusterContext } from "@/server/clusters/context";
import type { KafkaGateway, NodeSupervisor, SupervisedNode } from "@/server/clusters/gateway";
import { MemoryActionLog } from "@/server/clusters/group-actions-log";
import { ReadModel } from "@/server/clusters/read-model";
import type { StopMode } from "@/server/embedded/node-process";
import type { ElectionResult, NewTopic } from "@/server/kafka/admin-requests";
import { KafkaError } from "@/server/kafka/error-codes";
import type { OffsetsByTopic } from "@/server/kafka/group-requests";
import type { FetchAsk, Isolation, ProduceRecord, TopicLayout } from "@/server/kafka/message-requests";
import type { ClusterMetadata } from "@/server/kafka/metadata";
import type { OngoingReassignment, ReassignmentRefusal, ReassignmentTarget } from "@/server/kafka/reassign-requests";
import { EARLIEST, type GroupMember, type GroupType, LATEST } from "@/server/kafka/requests";
import type { ClusterSnapshot, SnapshotGroup, SnapshotPartition, SnapshotTopic } from "@/server/kafka/snapshot";
import { FakeMessageLog } from "./message-log";

/**
 * Fakes at the two seams of server/clusters (gateway.ts): a Kafka that answers from a cluster state
 * held in memory, and a supervisor of broker processes. Unit tests drive commands and the read
 * model through them, without a cluster.
 */

export function partition(n: number, leader: number, replicas: number[], isr = replicas): SnapshotPartition {
  return {
    partition: n,
    leader,
    leaderEpoch: 0,
    replicas,
    isr,
    offlineReplicas: [],
    elr: null,
    lastKnownElr: null,
    earliestOffset: 0,
    latestOffset: 0,
  };
}

export function topic(name: string, partitions: SnapshotPartition[], internal = false): SnapshotTopic {
  return { name, topicId: null, internal, partitions };
}

/** A consumer group of the fake cluster: committed offsets by "topic:partition". */
export interface FakeGroup {
  groupId: string;
  type: GroupType;
  state: string;
  members: GroupMember[];
  committed: Record<string, number>;
}

export function group(groupId: string, committed: Record<string, number>, members: GroupMember[] = []): FakeGroup {
  return { groupId, type: "classic", state: members.length ? "Stable" : "Empty", members, committed };
}

export function member(clientId: string, clientHost = "/127.0.0.1"): GroupMember {
  return {
    memberId: `${clientId}-1`,
    groupInstanceId: null,
    clientId,
    clientHost,
    assignments: [],
    memberEpoch: null,
    targetAssignments: null,
  };
}

export interface FakeState {
  /** Live brokers, as Kafka's metadata lists them (registered and unfenced). */
  brokers: number[];
  topics: SnapshotTopic[];
  /** The active KRaft controller's node id. */
  controller: number;
  groups?: FakeGroup[];
  /** Record timestamps (ms) by "topic:partition", one per offset from the log start: ListOffsets by time reads them. */
  timestamps?: Record<string, number[]>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The brokers a Metadata answer (and so a snapshot) lists, each on 127.0.0.1 at port 9000 + id. */
const liveBrokers = (ids: number[]) =>
  ids.map((id) => ({ nodeId: id, host: "127.0.0.1", port: 9000 + id, rack: null }));

export class FakeGateway implements KafkaGateway {
  /** When each snapshot began (performance.now()); a snapshot's `requests` is its number, from 1. */
  readonly takesBegan: number[] = [];
  readonly calls: { op: string; args: unknown[] }[] = [];
  takeMs = 5;
  /** The election's answer: by default every partition asked is "elected". */
  electAnswer = (asked: Map<string, number[]>): ElectionResult[] =>
    [...asked].flatMap(([t, ps]) =>
      ps.map((p) => ({ topic: t, partition: p, outcome: "elected" as const, error: null })),
    );
  /** Runs after each snapshot is taken, to change the cluster between snapshots. */
  afterTake: (n: number) => void = () => {};
  /** When set, every snapshot waits for it to resolve (after `takeMs`): a test decides when takes end. */
  gate: Promise<void> | null = null;

  /** The topics' messages, for Fetch, ListOffsets and Produce. */
  readonly messages = new FakeMessageLog();

  constructor(public state: FakeState) {}

  get takes(): number {
    return this.takesBegan.length;
  }

  async takeSnapshot(): Promise<ClusterSnapshot> {
    this.takesBegan.push(performance.now());
    const n = this.takesBegan.length;
    const state = structuredClone(this.state);
    await sleep(this.takeMs);
    await this.gate;
    this.afterTake(n);
    return {
      takenAt: Date.now(),
      durationMs: this.takeMs,
      requests: n,
      clusterId: "fake",
      brokers: liveBrokers(state.brokers),
      quorum: { leaderId: state.controller, leaderEpoch: 1, highWatermark: 1, voters: [], observers: [] },
      topics: state.topics,
      groups: (state.groups ?? []).map((g) => snapshotGroup(g, state.topics)),
      errors: [],
      complete: true,
      partial: { metadata: false, offsets: false, groups: false, quorum: false, elr: false },
    };
  }

  /** The state's Metadata: leaders, ISRs and live brokers, as a Metadata answer would carry them. */
  async clusterMetadata(): Promise<ClusterMetadata> {
    const askedAt = performance.now();
    this.calls.push({ op: "clusterMetadata", args: [] });
    const state = structuredClone(this.state);
    return {
      from: "127.0.0.1:9001",
      askedAt,
      clusterId: "fake",
      brokers: liveBrokers(state.brokers),
      topics: state.topics.map((t) => ({
        name: t.name,
        topicId: t.topicId,
        errorCode: 0,
        internal: t.internal,
        partitions: t.partitions.map((p) => ({
          partition: p.partition,
          errorCode: 0,
          leader: p.leader,
          leaderEpoch: p.leaderEpoch,
          replicas: p.replicas,
          isr: p.isr,
          offlineReplicas: p.offlineReplicas,
        })),
      })),
    };
  }

  async describeTopicConfigs() {
    return [];
  }

  async createTopic(_seeds: string[], t: NewTopic) {
    this.calls.push({ op: "createTopic", args: [t] });
    const ps = Array.from({ length: t.partitions }, (_, i) => partition(i, 1, [1]));
    this.state.topics.push(topic(t.name, ps));
  }

  async createPartitions(_seeds: string[], name: string, count: number) {
    this.calls.push({ op: "createPartitions", args: [name, count] });
    const t = this.state.topics.find((x) => x.name === name);
    if (t) for (let i = t.partitions.length; i < count; i++) t.partitions.push(partition(i, 1, [1]));
  }

  async deleteTopic(_seeds: string[], name: string) {
    this.calls.push({ op: "deleteTopic", args: [name] });
    this.state.topics = this.state.topics.filter((t) => t.name !== name);
  }

  async alterTopicConfigs(_seeds: string[], name: string, changes: Record<string, string | null>) {
    this.calls.push({ op: "alterTopicConfigs", args: [name, changes] });
    FakeGateway.apply(this.topicConfigs, name, changes);
  }

  async electPreferredLeaders(_seeds: string[], partitions: Map<string, number[]>) {
    this.calls.push({ op: "electPreferredLeaders", args: [partitions] });
    return this.electAnswer(partitions);
  }

  async topicLayout(_seeds: string[], name: string): Promise<TopicLayout | null> {
    const t = this.state.topics.find((x) => x.name === name);
    if (!t) return null;
    return {
      name: t.name,
      internal: t.internal,
      partitions: t.partitions.map((p) => ({
        partition: p.partition,
        leader: p.leader,
        leaderAddress: p.leader >= 0 ? `127.0.0.1:${9000 + p.leader}` : null,
      })),
    };
  }

  async fetchPartition(_broker: string, ask: FetchAsk) {
    return this.messages.fetch(ask);
  }

  async offsetsAt(_broker: string, name: string, partitions: number[], timestamp: bigint, isolation: Isolation) {
    return this.messages.offsetsAt(name, partitions, timestamp, isolation);
  }

  async produceRecord(_broker: string, name: string, partition: number, record: ProduceRecord, acks: -1 | 0 | 1) {
    this.calls.push({ op: "produceRecord", args: [name, partition, acks] });
    return this.messages.produce(name, partition, record, acks, Date.now());
  }

  private findGroup(groupId: string): FakeGroup | undefined {
    return this.state.groups?.find((g) => g.groupId === groupId);
  }

  private findPartition(name: string, p: number): SnapshotPartition | undefined {
    return this.state.topics.find((t) => t.name === name)?.partitions.find((x) => x.partition === p);
  }

  async groupCoordinator(_seeds: string[], groupId: string) {
    return `coordinator-of-${groupId}`;
  }

  async describeGroup(_coordinator: string, groupId: string) {
    const g = this.findGroup(groupId);
    if (!g) return null;
    return {
      groupId,
      errorCode: 0,
      state: g.state,
      protocolType: "consumer",
      protocol: "range",
      members: structuredClone(g.members),
      groupEpoch: null,
      assignmentEpoch: null,
    };
  }

  async committedOffsets(_coordinator: string, groupId: string) {
    const g = this.findGroup(groupId);
    return Object.entries(g?.committed ?? {}).map(([k, offset]) => {
      const [topic, p] = k.split(":") as [string, string];
      return { groupId, topic, partition: Number(p), offset: BigInt(offset), errorCode: 0 };
    });
  }

  async listOffsets(_leader: string, partitions: Map<string, number[]>, timestamp: bigint) {
    this.calls.push({ op: "listOffsets", args: [partitions, timestamp] });
    return [...partitions].flatMap(([name, ps]) =>
      ps.map((p) => {
        const part = this.findPartition(name, p);
        if (!part) return { topic: name, partition: p, errorCode: 3, offset: -1n };
        const start = part.earliestOffset ?? 0;
        const end = part.latestOffset ?? 0;
        let offset: number;
        if (timestamp === EARLIEST) offset = start;
        else if (timestamp === LATEST) offset = end;
        else {
          const times = this.state.timestamps?.[`${name}:${p}`] ?? [];
          const i = times.findIndex((t) => t >= Number(timestamp));
          offset = i < 0 ? -1 : start + i;
        }
        return { topic: name, partition: p, errorCode: 0, offset: BigInt(offset) };
      }),
    );
  }

  async commitGroupOffsets(_coordinator: string, groupId: string, offsets: OffsetsByTopic) {
    this.calls.push({ op: "commitGroupOffsets", args: [groupId, offsets] });
    const g = this.findGroup(groupId);
    return [...offsets].flatMap(([topicName, ps]) =>
      ps.map((p) => {
        if (g) g.committed[`${topicName}:${p.partition}`] = Number(p.offset);
        return { topic: topicName, partition: p.partition, errorCode: 0 };
      }),
    );
  }

  async deleteGroupOffsets(_coordinator: string, groupId: string, topicName: string, partitions: number[]) {
    this.calls.push({ op: "deleteGroupOffsets", args: [groupId, topicName, partitions] });
    const g = this.findGroup(groupId);
    for (const p of partitions) if (g) delete g.committed[`${topicName}:${p}`];
    return partitions.map((partition) => ({ topic: topicName, partition, errorCode: 0 }));
  }

  async deleteGroup(_coordinator: string, groupId: string) {
    this.calls.push({ op: "deleteGroup", args: [groupId] });
    this.state.groups = this.state.groups?.filter((g) => g.groupId !== groupId);
  }

  async deleteRecords(_leader: string, topicName: string, partitions: { partition: number; offset: bigint }[]) {
    this.calls.push({ op: "deleteRecords", args: [topicName, partitions] });
    return partitions.map(({ partition: p, offset }) => {
      const part = this.findPartition(topicName, p);
      if (part) part.earliestOffset = Number(offset);
      return { topic: topicName, partition: p, errorCode: 0, lowWatermark: Number(offset) };
    });
  }

  async recordTimes(_leader: string, partitions: { topic: string; partition: number; offset: bigint }[]) {
    this.calls.push({ op: "recordTimes", args: [partitions] });
    const out = new Map<string, { timestamp: number; exact: boolean }>();
    for (const p of partitions) {
      const start = this.findPartition(p.topic, p.partition)?.earliestOffset ?? 0;
      const t = this.state.timestamps?.[`${p.topic}:${p.partition}`]?.[Number(p.offset) - start];
      if (t !== undefined) out.set(`${p.topic}\u0000${p.partition}`, { timestamp: t, exact: true });
    }
    return out;
  }

  /** Moves asked and not finished yet (finishReassignments ends them), by "topic:partition". */
  readonly moving = new Map<string, OngoingReassignment>();
  /** Bytes each broker holds per "topic:partition", for DescribeLogDirs; absent keys: 0. */
  sizes = new Map<number, Map<string, number>>();
  /** Dynamic configs set through alterBrokerConfigs and alterTopicConfigs, by broker id and by topic. */
  readonly brokerConfigs = new Map<number, Record<string, string>>();
  readonly topicConfigs = new Map<string, Record<string, string>>();

  private partitionOf(topic: string, partition: number) {
    return this.state.topics.find((t) => t.name === topic)?.partitions.find((p) => p.partition === partition);
  }

  async alterReassignments(_seeds: string[], targets: ReassignmentTarget[]) {
    this.calls.push({ op: "alterReassignments", args: [targets] });
    const refused: ReassignmentRefusal[] = [];
    for (const t of targets) {
      const key = `${t.topic}:${t.partition}`;
      const p = this.partitionOf(t.topic, t.partition);
      if (!p) {
        refused.push({ topic: t.topic, partition: t.partition, error: new KafkaError(3, null, key) });
        continue;
      }
      if (t.replicas === null) {
        if (!this.moving.delete(key))
          refused.push({ topic: t.topic, partition: t.partition, error: new KafkaError(85, null, key) });
        continue;
      }
      const adding = t.replicas.filter((b) => !p.replicas.includes(b));
      const removing = p.replicas.filter((b) => !(t.replicas as number[]).includes(b));
      this.moving.set(key, {
        topic: t.topic,
        partition: t.partition,
        replicas: [...t.replicas, ...removing],
        adding,
        removing,
      });
    }
    return refused;
  }

  /** Ends the moves under way: each partition takes its new replicas (all in sync), as Kafka would. */
  finishReassignments(): void {
    for (const m of this.moving.values()) {
      const p = this.partitionOf(m.topic, m.partition);
      if (!p) continue;
      p.replicas = m.replicas.filter((b) => !m.removing.includes(b));
      p.isr = [...p.replicas];
      if (!p.replicas.includes(p.leader)) p.leader = p.replicas[0] ?? -1;
    }
    this.moving.clear();
  }

  async listReassignments() {
    return [...this.moving.values()].map((m) => structuredClone(m));
  }

  async logDirSizes(broker: string) {
    const id = Number(broker.slice(broker.lastIndexOf(":") + 1)) - 9000;
    return new Map(this.sizes.get(id) ?? []);
  }

  async alterManyTopicConfigs(_seeds: string[], topics: ReadonlyMap<string, Record<string, string | null>>) {
    this.calls.push({ op: "alterManyTopicConfigs", args: [topics] });
    for (const [name, changes] of topics) FakeGateway.apply(this.topicConfigs, name, changes);
  }

  async unregisterBroker(_seeds: string[], id: number) {
    this.calls.push({ op: "unregisterBroker", args: [id] });
  }

  async alterBrokerConfigs(_broker: string, id: number, changes: Record<string, string | null>) {
    this.calls.push({ op: "alterBrokerConfigs", args: [id, changes] });
    FakeGateway.apply(this.brokerConfigs, id, changes);
  }

  private static apply<K>(into: Map<K, Record<string, string>>, key: K, changes: Record<string, string | null>) {
    const now = { ...(into.get(key) ?? {}) };
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) delete now[name];
      else now[name] = value;
    }
    if (Object.keys(now).length) into.set(key, now);
    else into.delete(key);
  }

  openSockets() {
    return new Map<string, number>();
  }

  /** Each snapshot and each call recorded counts as one request. */
  requestsSent() {
    return this.takes + this.calls.length;
  }

  async close() {}
}

function snapshotGroup(g: FakeGroup, topics: SnapshotTopic[]): SnapshotGroup {
  return {
    groupId: g.groupId,
    type: g.type,
    state: g.state,
    protocolType: "consumer",
    protocol: "range",
    coordinator: 1,
    groupEpoch: null,
    assignmentEpoch: null,
    members: g.members,
    offsets: Object.entries(g.committed).map(([k, committedOffset]) => {
      const [name, p] = k.split(":") as [string, string];
      const end =
        topics.find((t) => t.name === name)?.partitions.find((x) => x.partition === Number(p))?.latestOffset ?? null;
      return {
        topic: name,
        partition: Number(p),
        committedOffset,
        logEndOffset: end,
        lag: end === null ? null : end - committedOffset,
      };
    }),
    complete: true,
  };
}

export class FakeSupervisor implements NodeSupervisor {
  readonly isStarting = false;
  startError: string | null = null;
  readonly clusterId = "fake";
  readonly kafkaVersion = "4.4.0";
  readonly calls: string[] = [];
  /** While set, a stop waits for it: a test can look at the cluster mid-stop. */
  stopGate: Promise<void> | null = null;
  private readonly nodes: SupervisedNode[];

  constructor(brokers: { id: number; status?: NodeStatus }[], controllers = [101]) {
    this.nodes = [
      ...controllers.map((id) => ({ id, role: "controller" as const, host: "127.0.0.1", port: 9000 + id, pid: id })),
      ...brokers.map(({ id }) => ({ id, role: "broker" as const, host: "127.0.0.1", port: 9000 + id, pid: id })),
    ].map((n) => ({ ...n, status: brokers.find((b) => b.id === n.id)?.status ?? ("up" as NodeStatus) }));
  }

  get bootstrap(): string[] {
    return this.nodes.filter((n) => n.role === "broker").map((n) => `${n.host}:${n.port}`);
  }

  nodeStates(): SupervisedNode[] {
    return this.nodes.map((n) => ({ ...n }));
  }

  setStatus(id: number, status: NodeStatus): void {
    const node = this.nodes.find((n) => n.id === id);
    if (node) node.status = status;
  }

  async stopBroker(id: number, mode: StopMode): Promise<void> {
    this.calls.push(`stop ${id} ${mode}`);
    this.setStatus(id, "stopping");
    if (this.stopGate) await this.stopGate;
    this.setStatus(id, "down");
  }

  startBroker(id: number): void {
    this.calls.push(`start ${id}`);
    this.setStatus(id, "starting");
  }

  async stopController(id: number, mode: StopMode): Promise<void> {
    this.calls.push(`stop controller ${id} ${mode}`);
    this.setStatus(id, "down");
  }

  startController(id: number): void {
    this.calls.push(`start controller ${id}`);
    this.setStatus(id, "starting");
  }

  async addBroker(): Promise<number> {
    const id = Math.max(0, ...this.nodes.filter((n) => n.role === "broker").map((n) => n.id)) + 1;
    this.calls.push(`add ${id}`);
    this.nodes.push({ id, role: "broker", host: "127.0.0.1", port: 9000 + id, pid: id, status: "up" });
    return id;
  }

  labShape: { brokers: number; controllers: 1 | 3 } = { brokers: 3, controllers: 1 };

  async recreate(shape: { brokers: number; controllers: 1 | 3 }): Promise<void> {
    this.calls.push(`recreate ${shape.brokers}b ${shape.controllers}c`);
    this.labShape = shape;
  }

  async removeBroker(id: number): Promise<void> {
    this.calls.push(`remove ${id}`);
    const at = this.nodes.findIndex((n) => n.id === id && n.role === "broker");
    if (at >= 0) this.nodes.splice(at, 1);
  }

  on(): this {
    return this;
  }
}

/** A cluster's command context over the fakes (supervisor null: a cluster reached by bootstrap servers). */
export function fakeContext(gateway: FakeGateway, supervisor: FakeSupervisor | null = null): ClusterContext {
  const read = new ReadModel("fake", "fake", ["127.0.0.1:9001"], supervisor, gateway);
  return {
    id: "fake",
    read,
    gateway,
    supervisor,
    lock: new ClusterLock("fake"),
    actions: new MemoryActionLog(),
    invalidate: () => read.cache.invalidate(),
  };
}
