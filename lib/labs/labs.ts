import type { Broker, ConsumerGroupDetail, QuorumView, TopicDetail } from "../types";

/**
 * Guided labs: the seeds' experiments as short sequences of steps. Each step says what to do (a
 * button, or the CLI command that does the same) and what to look for, and turns green by itself
 * when the cluster reaches the step's state, as the page observes it (the lab topic, the brokers,
 * the group, the controller quorum, refreshed on every event of the cluster's stream) and, for a
 * produce or a read, as the cluster answered it. Steps are checked in order: a step is checked only
 * once the one before it is green, on what was observed after that moment.
 */

export type LabId =
  | "topic-replication"
  | "failover"
  | "min-isr"
  | "key-ordering"
  | "consumer-lag"
  | "controller-quorum";

/** A produce, a read or a lab recreation the lab page made, with the cluster's answer (`at`: when it answered, for a recreation). */
export interface LabAttempt {
  kind: "produce" | "read" | "recreate";
  at: number;
  ok: boolean;
  /** The error code of a refused attempt (Kafka's, e.g. NOT_ENOUGH_REPLICAS, or the API's). */
  code?: string;
  /** The cluster's words for a refused attempt. */
  message?: string;
  /** Produce: where each key went; read: how many messages came back. */
  placements?: { key: string | null; partition: number }[];
  count?: number;
}

/** What the page sees of the cluster now. `null`: not there (the lab topic or group does not exist yet) or not known yet. */
export interface LabObservation {
  brokers: Broker[] | null;
  topic: TopicDetail | null;
  group: ConsumerGroupDetail | null;
  quorum: QuorumView | null;
  attempts: LabAttempt[];
}

/** Numbers a step keeps when it turns green, for later steps to compare with (e.g. the leader before a stop). */
export type LabMemory = Record<string, number>;

export type LabAction =
  | { kind: "create-topic"; partitions: number; replicationFactor: number; configs?: Record<string, string> }
  | { kind: "stop-broker"; which: "leader" | "follower" }
  | { kind: "start-broker"; which: "remembered" }
  | { kind: "start-all-brokers" }
  | { kind: "elect-preferred" }
  | { kind: "produce"; count: number; keys?: string[] }
  | { kind: "read" }
  | { kind: "add-partitions"; count: number }
  | { kind: "start-consumers"; count: number }
  | { kind: "stop-consumer"; member: number }
  | { kind: "recreate-lab"; controllers: 3 }
  | { kind: "stop-controller"; which: "leader" }
  | { kind: "start-controllers" }
  | { kind: "look" };

export interface LabStep {
  id: string;
  action: LabAction;
  /** The CLI command that does the same (`{bootstrap}`, `{topic}`, `{group}`, `{broker}` filled in), when there is one. */
  cli?: string;
  /** Whether the cluster is in this step's state; what to remember when it is. `since`: when the step before turned green. */
  check: (o: LabObservation, memory: LabMemory, since: number) => LabMemory | false;
}

export interface LabDefinition {
  id: LabId;
  /** The topic the lab makes and the reset deletes (`lab-` and the lab's name). */
  topic: string;
  /** The consumer group it uses, if any. */
  group?: string;
  /** The seed notes the experiment comes from. */
  seeds: string[];
  steps: LabStep[];
}

export const LAB_TOPIC_PREFIX = "lab-";

const up = (o: LabObservation, id: number) => o.brokers?.find((b) => b.id === id)?.status === "up";
const down = (o: LabObservation, id: number) => o.brokers?.find((b) => b.id === id)?.status === "down";
const p0 = (o: LabObservation) => o.topic?.partitions.find((p) => p.partition === 0) ?? null;
const fullIsr = (o: LabObservation) =>
  (o.topic?.partitions.length ?? 0) > 0 &&
  (o.topic?.partitions ?? []).every((p) => p.leader >= 0 && p.isr.length === p.replicas.length);
const attemptsSince = (o: LabObservation, since: number, kind: LabAttempt["kind"]) =>
  o.attempts.filter((a) => a.kind === kind && a.at > since);
const yes: LabMemory = {};

/** The created topic: its partitions and replication factor as asked, every partition led with a full ISR. */
const created = (partitions: number, rf: number) => (o: LabObservation) =>
  o.topic !== null &&
  o.topic.partitions.length === partitions &&
  o.topic.partitions.every((p) => p.replicas.length === rf) &&
  fullIsr(o)
    ? { leader: p0(o)?.leader ?? -1 }
    : false;

/** Where each key went, by the produce attempts since a time: key → partitions it landed on. */
export function keyPlacements(attempts: LabAttempt[]): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const a of attempts) {
    for (const p of a.placements ?? []) {
      if (p.key === null) continue;
      const set = out.get(p.key) ?? new Set<number>();
      set.add(p.partition);
      out.set(p.key, set);
    }
  }
  return out;
}

/** The keys the ordering lab produces: on 2 partitions and on 4, at least half of them change partition (murmur2). */
export const ORDERING_KEYS = ["user-1", "user-2", "user-3", "user-4", "user-5", "user-6"];

const CREATE = "kafka-topics --bootstrap-server {bootstrap} --create --topic {topic}";
const PRODUCE_ALL =
  "kafka-console-producer --bootstrap-server {bootstrap} --topic {topic} --producer-property acks=all";

/** Partition 0 led, with an ISR of `n` replicas. */
const isrOf = (n: number) => (o: LabObservation) => {
  const p = p0(o);
  return p !== null && p.leader >= 0 && p.isr.length === n ? yes : false;
};

export const LABS: LabDefinition[] = [
  {
    id: "topic-replication",
    topic: "lab-replication",
    seeds: ["000", "002", "004"],
    steps: [
      {
        id: "create",
        action: { kind: "create-topic", partitions: 3, replicationFactor: 3 },
        cli: `${CREATE} --partitions 3 --replication-factor 3`,
        check: created(3, 3),
      },
      {
        id: "leaders",
        action: { kind: "look" },
        cli: "kafka-topics --bootstrap-server {bootstrap} --describe --topic {topic}",
        // Each of the 3 brokers leads one partition and every ISR holds all three.
        check: (o) => (fullIsr(o) && new Set(o.topic?.partitions.map((p) => p.leader)).size === 3 ? yes : false),
      },
      {
        id: "produce",
        action: { kind: "produce", count: 1 },
        cli: PRODUCE_ALL,
        check: (o, _m, since) => {
          const ok = attemptsSince(o, since, "produce").find((a) => a.ok);
          return ok ? { partition: ok.placements?.[0]?.partition ?? -1 } : false;
        },
      },
    ],
  },
  {
    id: "failover",
    topic: "lab-failover",
    seeds: ["002", "004"],
    steps: [
      {
        id: "create",
        action: { kind: "create-topic", partitions: 1, replicationFactor: 3 },
        cli: `${CREATE} --partitions 1 --replication-factor 3`,
        // Remembers the leader, which is also the preferred leader (the first replica) of a new topic.
        check: created(1, 3),
      },
      {
        id: "stop-leader",
        action: { kind: "stop-broker", which: "leader" },
        // The broker the button stopped (the leader when it was clicked) is down, and another leads.
        check: (o, m) => {
          const stopped = m["broker:stop-leader"] ?? m.leader;
          const p = p0(o);
          return stopped !== undefined && down(o, stopped) && p !== null && p.leader >= 0 && p.leader !== stopped
            ? { newLeader: p.leader }
            : false;
        },
      },
      {
        id: "isr-shrinks",
        action: { kind: "look" },
        cli: "kafka-topics --bootstrap-server {bootstrap} --describe --topic {topic}",
        check: (o, m) => {
          const p = p0(o);
          return m.leader !== undefined && p !== null && !p.isr.includes(m.leader) && p.isr.length === 2 ? yes : false;
        },
      },
      {
        id: "start",
        action: { kind: "start-broker", which: "remembered" },
        check: (o, m) => {
          const p = p0(o);
          return m.leader !== undefined &&
            up(o, m.leader) &&
            p !== null &&
            p.isr.includes(m.leader) &&
            p.isr.length === 3
            ? yes
            : false;
        },
      },
      {
        id: "not-back",
        action: { kind: "look" },
        // The returned broker is in the ISR but does not lead: leadership does not move back by itself.
        check: (o, m) => {
          const p = p0(o);
          return m.leader !== undefined && p !== null && p.isr.includes(m.leader) && p.leader !== m.leader
            ? yes
            : false;
        },
      },
      {
        id: "elect",
        action: { kind: "elect-preferred" },
        cli: "kafka-leader-election --bootstrap-server {bootstrap} --election-type PREFERRED --topic {topic} --partition 0",
        check: (o, m) => {
          const p = p0(o);
          return m.leader !== undefined && p !== null && p.leader === m.leader && p.leader === p.preferredLeader
            ? yes
            : false;
        },
      },
    ],
  },
  {
    id: "min-isr",
    topic: "lab-min-isr",
    seeds: ["002", "004"],
    steps: [
      {
        id: "create",
        action: { kind: "create-topic", partitions: 1, replicationFactor: 3, configs: { "min.insync.replicas": "2" } },
        cli: `${CREATE} --partitions 1 --replication-factor 3 --config min.insync.replicas=2`,
        check: (o) =>
          created(1, 3)(o) && o.topic?.configs.find((c) => c.name === "min.insync.replicas")?.value === "2"
            ? yes
            : false,
      },
      { id: "stop-one", action: { kind: "stop-broker", which: "follower" }, check: isrOf(2) },
      {
        id: "produce-ok",
        action: { kind: "produce", count: 1 },
        cli: PRODUCE_ALL,
        check: (o, _m, since) => (attemptsSince(o, since, "produce").some((a) => a.ok) ? yes : false),
      },
      { id: "stop-two", action: { kind: "stop-broker", which: "follower" }, check: isrOf(1) },
      {
        id: "produce-refused",
        action: { kind: "produce", count: 1 },
        cli: PRODUCE_ALL,
        check: (o, _m, since) =>
          attemptsSince(o, since, "produce").some((a) => !a.ok && a.code === "NOT_ENOUGH_REPLICAS") ? yes : false,
      },
      {
        id: "read",
        action: { kind: "read" },
        cli: "kafka-console-consumer --bootstrap-server {bootstrap} --topic {topic} --from-beginning",
        check: (o, _m, since) =>
          attemptsSince(o, since, "read").some((a) => a.ok && (a.count ?? 0) > 0) ? yes : false,
      },
      {
        id: "start-all",
        action: { kind: "start-all-brokers" },
        check: (o) =>
          o.brokers !== null &&
          o.brokers.length > 0 &&
          o.brokers.every((b) => b.status === "up") &&
          p0(o)?.isr.length === 3
            ? yes
            : false,
      },
    ],
  },
  {
    id: "key-ordering",
    topic: "lab-ordering",
    seeds: ["002"],
    steps: [
      {
        id: "create",
        action: { kind: "create-topic", partitions: 2, replicationFactor: 3 },
        cli: `${CREATE} --partitions 2 --replication-factor 3`,
        check: created(2, 3),
      },
      {
        id: "produce-keys",
        action: { kind: "produce", count: ORDERING_KEYS.length, keys: ORDERING_KEYS },
        cli: 'kafka-console-producer --bootstrap-server {bootstrap} --topic {topic} --property parse.key=true --property key.separator=":"',
        check: (o, _m, since) =>
          keyPlacements(attemptsSince(o, since, "produce")).size === ORDERING_KEYS.length ? yes : false,
      },
      {
        id: "add-partitions",
        action: { kind: "add-partitions", count: 4 },
        cli: "kafka-topics --bootstrap-server {bootstrap} --alter --topic {topic} --partitions 4",
        check: (o) => (o.topic?.partitions.length === 4 && fullIsr(o) ? yes : false),
      },
      {
        id: "produce-again",
        action: { kind: "produce", count: ORDERING_KEYS.length, keys: ORDERING_KEYS },
        // The same keys, produced again after the change: some land on another partition than before.
        check: (o) => {
          const moved = [...keyPlacements(o.attempts.filter((a) => a.kind === "produce")).values()].filter(
            (ps) => ps.size > 1,
          ).length;
          return moved > 0 ? { moved } : false;
        },
      },
    ],
  },
  {
    id: "consumer-lag",
    topic: "lab-lag",
    group: "lab-lag-group",
    seeds: ["004"],
    steps: [
      {
        id: "create",
        action: { kind: "create-topic", partitions: 4, replicationFactor: 3 },
        cli: `${CREATE} --partitions 4 --replication-factor 3`,
        check: created(4, 3),
      },
      {
        id: "two-consumers",
        action: { kind: "start-consumers", count: 2 },
        cli: "kafka-console-consumer --bootstrap-server {bootstrap} --topic {topic} --group {group}",
        // Two members, the 4 partitions split between them.
        check: (o) => {
          const members = o.group?.members ?? [];
          const owned = members.map((m) => m.assignments.flatMap((a) => a.partitions).length);
          return members.length === 2 && owned.every((n) => n > 0) && owned.reduce((a, b) => a + b, 0) === 4
            ? yes
            : false;
        },
      },
      {
        id: "produce",
        action: { kind: "produce", count: 100 },
        // Read up to the end: every partition's committed offset reached its log end.
        check: (o, _m, since) =>
          attemptsSince(o, since, "produce").some((a) => a.ok) &&
          (o.group?.offsets.length ?? 0) === 4 &&
          o.group?.offsets.every((x) => x.lag === 0) &&
          // Read after the 100 messages were written: the log ends hold them.
          (o.group?.offsets.reduce((sum, x) => sum + (x.logEndOffset ?? 0), 0) ?? 0) >= 100 &&
          (o.group?.members.length ?? 0) === 2
            ? yes
            : false,
      },
      {
        id: "stop-one",
        action: { kind: "stop-consumer", member: 2 },
        // The group rebalances: one member now owns all four partitions.
        check: (o) => {
          const members = o.group?.members ?? [];
          return members.length === 1 && members[0]?.assignments.flatMap((a) => a.partitions).length === 4
            ? yes
            : false;
        },
      },
      {
        id: "stop-other",
        action: { kind: "stop-consumer", member: 1 },
        check: (o) => (o.group !== null && o.group.members.length === 0 ? yes : false),
      },
      {
        id: "lag-grows",
        action: { kind: "produce", count: 100 },
        cli: "kafka-consumer-groups --bootstrap-server {bootstrap} --describe --group {group}",
        // Nobody reads: LAG = LOG-END-OFFSET − CURRENT-OFFSET grows by what was produced.
        check: (o, _m, since) =>
          attemptsSince(o, since, "produce").some((a) => a.ok) &&
          o.group !== null &&
          o.group.members.length === 0 &&
          (o.group.totalLag ?? 0) >= 100
            ? { lag: o.group.totalLag ?? 0 }
            : false,
      },
    ],
  },
  {
    id: "controller-quorum",
    topic: "lab-quorum",
    seeds: ["000", "001"],
    steps: [
      {
        id: "three-controllers",
        action: { kind: "recreate-lab", controllers: 3 },
        // The new lab, read after the recreation answered: three voters up and a leader.
        check: (o, _m, since) => {
          const made = o.attempts.find((a) => a.kind === "recreate" && a.ok && a.at > since);
          const q = o.quorum;
          return made &&
            q !== null &&
            (q.readAt ?? 0) > made.at &&
            q.voters.length === 3 &&
            q.state === "ok" &&
            q.up === 3
            ? { leader: q.leader ?? -1 }
            : false;
        },
      },
      {
        id: "stop-leader",
        action: { kind: "stop-controller", which: "leader" },
        cli: "kafka-metadata-quorum --bootstrap-server {bootstrap} describe --status",
        // The controller the button stopped is down, and another one leads.
        check: (o, m) => {
          const stopped = m["controller:stop-leader"];
          const q = o.quorum;
          return stopped !== undefined &&
            q !== null &&
            q.voters.find((v) => v.id === stopped)?.status === "down" &&
            q.state === "ok" &&
            q.leader !== null &&
            q.leader !== stopped
            ? yes
            : false;
        },
      },
      {
        id: "stop-second",
        action: { kind: "stop-controller", which: "leader" },
        check: (o) => (o.quorum !== null && o.quorum.state === "lost" ? yes : false),
      },
      {
        id: "start",
        action: { kind: "start-controllers" },
        check: (o) => (o.quorum !== null && o.quorum.state === "ok" && o.quorum.up === 3 ? yes : false),
      },
    ],
  },
];

export function labById(id: string): LabDefinition | undefined {
  return LABS.find((l) => l.id === id);
}

/** Where a lab stands: the steps done (and when), the step to do, what was remembered. */
export interface LabProgress {
  done: { step: string; at: number }[];
  memory: LabMemory;
  /** When the first step's action was taken (the lab's clock starts), or null. */
  startedAt: number | null;
}

export const NEW_PROGRESS: LabProgress = { done: [], memory: {}, startedAt: null };

/**
 * Checks the current step (only that one) against what is observed now; returns the progress with
 * it done if its state is reached, else the same progress.
 */
export function advance(lab: LabDefinition, progress: LabProgress, o: LabObservation, now: number): LabProgress {
  const step = lab.steps[progress.done.length];
  if (!step) return progress;
  const since = progress.done[progress.done.length - 1]?.at ?? progress.startedAt ?? 0;
  const kept = step.check(o, progress.memory, since);
  if (kept === false) return progress;
  return { ...progress, done: [...progress.done, { step: step.id, at: now }], memory: { ...progress.memory, ...kept } };
}

/** A CLI command with the lab's names filled in. */
export function cliOf(
  step: LabStep,
  fill: { bootstrap: string; topic: string; group?: string; broker?: number },
): string | null {
  if (!step.cli) return null;
  return step.cli
    .replaceAll("{bootstrap}", fill.bootstrap)
    .replaceAll("{topic}", fill.topic)
    .replaceAll("{group}", fill.group ?? "")
    .replaceAll("{broker}", fill.broker === undefined ? "N" : String(fill.broker));
}
