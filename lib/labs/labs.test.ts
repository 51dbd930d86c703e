import { describe, expect, it } from "vitest";
import { partition as snapshotPartition } from "@/test/fakes/cluster";
import type { Broker, ConsumerGroupDetail, PartitionInfo, TopicDetail } from "../types";
import { advance, cliOf, keyPlacements, type LabObservation, type LabProgress, labById, NEW_PROGRESS } from "./labs";

const broker = (id: number, status: Broker["status"] = "up") =>
  ({
    id,
    host: "127.0.0.1",
    port: 9000 + id,
    rack: null,
    status,
    isController: false,
    leaderCount: 0,
    replicaCount: 0,
  }) as Broker;
/** A partition as the topic API answers it: the fakes' snapshot partition and its preferred leader. */
const partition = (n: number, leader: number, replicas: number[], isr: number[]): PartitionInfo => ({
  ...snapshotPartition(n, leader, replicas, isr),
  preferredLeader: replicas[0] ?? -1,
});
const topic = (name: string, partitions: PartitionInfo[], configs: Record<string, string> = {}): TopicDetail => ({
  name,
  topicId: null,
  internal: false,
  partitions,
  configs: Object.entries(configs).map(([name, value]) => ({ name, value }) as TopicDetail["configs"][number]),
});
const obs = (o: Partial<LabObservation>): LabObservation => ({
  brokers: [broker(1), broker(2), broker(3)],
  topic: null,
  group: null,
  quorum: null,
  attempts: [],
  ...o,
});

/** Runs observations through a lab in order; returns the steps done after each. */
function run(id: string, observations: LabObservation[]): string[][] {
  const lab = labById(id);
  if (!lab) throw new Error(id);
  let progress: LabProgress = { ...NEW_PROGRESS, startedAt: 0 };
  return observations.map((o, i) => {
    progress = advance(lab, progress, o, (i + 1) * 1000);
    return progress.done.map((d) => d.step);
  });
}

describe("the failover lab", () => {
  it("goes green step by step only as the cluster changes, and never skips a step", () => {
    const t = (leader: number, isr: number[]) => topic("lab-failover", [partition(0, leader, [2, 3, 1], isr)]);
    const steps = run("failover", [
      obs({}), // no topic yet
      obs({ topic: t(2, [2, 3, 1]) }), // created: leader 2 remembered
      obs({ topic: t(2, [2, 3, 1]) }), // nothing changed: the stop step waits
      obs({ brokers: [broker(1), broker(2, "down"), broker(3)], topic: t(3, [3, 1]) }), // stopped, leader moved…
      obs({ brokers: [broker(1), broker(2, "down"), broker(3)], topic: t(3, [3, 1]) }), // …ISR shrank (next step, next look)
      obs({ brokers: [broker(1), broker(2), broker(3)], topic: t(3, [3, 1]) }), // up, not yet in the ISR
      obs({ brokers: [broker(1), broker(2), broker(3)], topic: t(3, [3, 1, 2]) }), // back in the ISR
      obs({ topic: t(3, [3, 1, 2]) }), // still not leader: leadership did not move back
      obs({ topic: t(2, [3, 1, 2]) }), // preferred election
    ]);
    expect(steps.map((s) => s.at(-1) ?? "-")).toEqual([
      "-",
      "create",
      "create",
      "stop-leader",
      "isr-shrinks",
      "isr-shrinks",
      "start",
      "not-back",
      "elect",
    ]);
  });

  it("does not count the preferred leader as elected while it never left (the stop step waits for a stop)", () => {
    const t = topic("lab-failover", [partition(0, 2, [2, 3, 1], [2, 3, 1])]);
    expect(run("failover", [obs({ topic: t }), obs({ topic: t }), obs({ topic: t })]).at(-1)).toEqual(["create"]);
  });
});

describe("the min.insync.replicas lab", () => {
  const t = (isr: number[]) =>
    topic("lab-min-isr", [partition(0, isr[0] ?? -1, [1, 2, 3], isr)], { "min.insync.replicas": "2" });
  it("needs the cluster's refusal (NOT_ENOUGH_REPLICAS) after the second stop, and a read after it", () => {
    const down2 = [broker(1), broker(2, "down"), broker(3)];
    const down23 = [broker(1), broker(2, "down"), broker(3, "down")];
    const steps = run("min-isr", [
      obs({ topic: t([1, 2, 3]) }),
      obs({ brokers: down2, topic: t([1, 3]) }),
      obs({ brokers: down2, topic: t([1, 3]), attempts: [{ kind: "produce", at: 2500, ok: true }] }),
      obs({ brokers: down23, topic: t([1]) }),
      // A refusal from before the second stop does not count…
      obs({
        brokers: down23,
        topic: t([1]),
        attempts: [{ kind: "produce", at: 3500, ok: false, code: "NOT_ENOUGH_REPLICAS" }],
      }),
      // …one after it does.
      obs({
        brokers: down23,
        topic: t([1]),
        attempts: [{ kind: "produce", at: 5500, ok: false, code: "NOT_ENOUGH_REPLICAS" }],
      }),
      obs({ brokers: down23, topic: t([1]), attempts: [{ kind: "read", at: 6500, ok: true, count: 1 }] }),
      obs({ topic: t([1, 2, 3]) }),
    ]);
    expect(steps.map((s) => s.at(-1))).toEqual([
      "create",
      "stop-one",
      "produce-ok",
      "stop-two",
      "stop-two",
      "produce-refused",
      "read",
      "start-all",
    ]);
  });

  it("is not created while min.insync.replicas is not 2", () => {
    const lab = topic("lab-min-isr", [partition(0, 1, [1, 2, 3], [1, 2, 3])], { "min.insync.replicas": "1" });
    expect(run("min-isr", [obs({ topic: lab })])).toEqual([[]]);
  });
});

describe("the consumer lag lab", () => {
  const lagTopic = topic(
    "lab-lag",
    [0, 1, 2, 3].map((p) => partition(p, 1, [1, 2, 3], [1, 2, 3])),
  );
  const member = (id: string, partitions: number[]) => ({
    memberId: id,
    clientId: id,
    host: "/127.0.0.1",
    groupInstanceId: null,
    assignments: [{ topic: "lab-lag", partitions }],
    memberEpoch: null,
    targetAssignments: null,
  });
  const group = (members: ReturnType<typeof member>[], lag: number[]): ConsumerGroupDetail => ({
    groupId: "lab-lag-group",
    type: "classic",
    state: members.length ? "Stable" : "Empty",
    protocolType: "consumer",
    protocol: "range",
    coordinator: 1,
    groupEpoch: null,
    assignmentEpoch: null,
    members,
    offsets: lag.map((l, p) => ({ topic: "lab-lag", partition: p, committedOffset: 50 - l, logEndOffset: 50, lag: l })),
    totalLag: lag.reduce((a, b) => a + b, 0),
  });
  it("sees two members share the partitions, a rebalance to one, then lag growing with none", () => {
    const two = group([member("a", [0, 1]), member("b", [2, 3])], [0, 0, 0, 0]);
    const produced = (at: number) => [{ kind: "produce" as const, at, ok: true }];
    const steps = run("consumer-lag", [
      obs({ topic: lagTopic }),
      obs({ topic: lagTopic, group: group([member("a", [0, 1, 2, 3])], [0, 0, 0, 0]) }), // one member: not yet
      obs({ topic: lagTopic, group: two }),
      obs({ topic: lagTopic, group: two, attempts: produced(3500) }),
      obs({ topic: lagTopic, group: group([member("a", [0, 1, 2, 3])], [0, 0, 0, 0]) }),
      obs({ topic: lagTopic, group: group([], [0, 0, 0, 0]) }),
      obs({ topic: lagTopic, group: group([], [25, 25, 25, 25]), attempts: produced(6500) }),
    ]);
    expect(steps.map((s) => s.at(-1))).toEqual([
      "create",
      "create",
      "two-consumers",
      "produce",
      "stop-one",
      "stop-other",
      "lag-grows",
    ]);
  });
});

describe("the key ordering lab", () => {
  it("sees a key land on another partition after partitions were added", () => {
    const placements = keyPlacements([
      {
        kind: "produce",
        at: 1,
        ok: true,
        placements: [
          { key: "user-1", partition: 0 },
          { key: "user-2", partition: 1 },
        ],
      },
      {
        kind: "produce",
        at: 2,
        ok: true,
        placements: [
          { key: "user-1", partition: 3 },
          { key: "user-2", partition: 1 },
        ],
      },
    ]);
    expect([...placements.entries()].map(([k, v]) => [k, [...v]])).toEqual([
      ["user-1", [0, 3]],
      ["user-2", [1]],
    ]);
  });
});

describe("cliOf", () => {
  it("fills in the lab's names", () => {
    const lab = labById("consumer-lag");
    const step = lab?.steps.find((s) => s.id === "lag-grows");
    expect(step && cliOf(step, { bootstrap: "127.0.0.1:19092", topic: "lab-lag", group: "lab-lag-group" })).toBe(
      "kafka-consumer-groups --bootstrap-server 127.0.0.1:19092 --describe --group lab-lag-group",
    );
  });
});
