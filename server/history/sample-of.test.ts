import { describe, expect, it } from "vitest";
import type { SnapshotGroup, SnapshotPartition, SnapshotTopic } from "../kafka/snapshot";
import { type SampledSnapshot, sampleOf } from "./sample-of";

const part = (partition: number, earliest: number | null, latest: number | null): SnapshotPartition => ({
  partition,
  leader: latest === null ? -1 : 1,
  leaderEpoch: 0,
  replicas: [1, 2],
  isr: [1, 2],
  offlineReplicas: [],
  elr: null,
  lastKnownElr: null,
  earliestOffset: earliest,
  latestOffset: latest,
});

const topic = (name: string, partitions: SnapshotPartition[], internal = false): SnapshotTopic => ({
  name,
  topicId: null,
  internal,
  partitions,
});

const group = (
  groupId: string,
  offsets: { topic: string; partition: number; committed: number | null; logEnd: number | null }[],
  members = 1,
  complete = true,
): SnapshotGroup => ({
  groupId,
  complete,
  state: members ? "Stable" : "Empty",
  protocolType: "consumer",
  protocol: "range",
  coordinator: 1,
  type: "classic",
  groupEpoch: null,
  assignmentEpoch: null,
  members: Array.from({ length: members }, (_, i) => ({
    memberId: `m${i}`,
    clientId: "c",
    clientHost: "/127.0.0.1",
    groupInstanceId: null,
    assignments: [],
    memberEpoch: null,
    targetAssignments: null,
  })),
  offsets: offsets.map((o) => ({
    topic: o.topic,
    partition: o.partition,
    committedOffset: o.committed,
    logEndOffset: o.logEnd,
    lag: o.committed === null || o.logEnd === null ? null : Math.max(0, o.logEnd - o.committed),
  })),
});

const snapshot = (over: Partial<SampledSnapshot>): SampledSnapshot => ({
  takenAt: 1_000,
  topics: [],
  groups: [],
  partial: { metadata: false, offsets: false, groups: false },
  ...over,
});

describe("sampleOf", () => {
  it("samples everything, and the cluster's total, from a complete snapshot", () => {
    const s = sampleOf(
      snapshot({
        topics: [
          topic("orders", [part(0, 10, 110), part(1, 0, 50)]),
          topic("clicks", [part(0, 0, 7)]),
          topic("__consumer_offsets", [part(0, 0, 999)], true),
        ],
        groups: [
          group("billing", [
            { topic: "orders", partition: 0, committed: 100, logEnd: 110 },
            { topic: "orders", partition: 1, committed: 45, logEnd: 50 },
          ]),
          group("fresh", [{ topic: "clicks", partition: 0, committed: null, logEnd: 7 }], 1),
        ],
      }),
    );
    expect(s.ts).toBe(1_000);
    expect(s.topics).toEqual([
      { topic: "orders", logEnd: 160, logStart: 10 },
      { topic: "clicks", logEnd: 7, logStart: 0 },
    ]);
    expect(s.groups).toEqual([
      { groupId: "billing", lag: 15, committed: 145, logEnd: 160, members: 1 },
      { groupId: "fresh", lag: null, committed: null, logEnd: null, members: 1 },
    ]);
    expect(s.cluster).toEqual({ totalLag: 15, logEnd: 167 });
    expect(s.skipped).toEqual({ topics: [], groups: [] });
  });

  it("skips a topic with one partition's log-end offset missing instead of counting it as 0", () => {
    const s = sampleOf(
      snapshot({
        topics: [topic("orders", [part(0, 10, 110), part(1, 0, null)]), topic("clicks", [part(0, 0, 7)])],
        partial: { metadata: false, offsets: true, groups: false },
      }),
    );
    expect(s.topics).toEqual([{ topic: "clicks", logEnd: 7, logStart: 0 }]);
    expect(s.skipped.topics).toEqual(["orders"]);
    expect(s.cluster).toBeNull();
  });

  it("skips a topic whose log-start offset is missing, even when the snapshot says it has no error", () => {
    const s = sampleOf(snapshot({ topics: [topic("orders", [part(0, null, 110)])] }));
    expect(s.topics).toEqual([]);
    expect(s.skipped.topics).toEqual(["orders"]);
    expect(s.cluster).toBeNull();
  });

  it("skips a topic with an offline partition (no leader, no offsets)", () => {
    const s = sampleOf(snapshot({ topics: [topic("orders", [part(0, 0, 5), part(1, null, null)])] }));
    expect(s.skipped.topics).toEqual(["orders"]);
    expect(s.cluster).toBeNull();
  });

  it("skips a topic that shows no partition at all", () => {
    const s = sampleOf(snapshot({ topics: [topic("ghost", [])] }));
    expect(s.topics).toEqual([]);
    expect(s.skipped.topics).toEqual(["ghost"]);
  });

  it("does not judge internal topics", () => {
    const s = sampleOf(snapshot({ topics: [topic("__consumer_offsets", [part(0, null, null)], true)] }));
    expect(s.skipped.topics).toEqual([]);
    expect(s.cluster).toEqual({ totalLag: 0, logEnd: 0 });
  });

  it("skips a group when a partition it committed has no log-end offset", () => {
    const s = sampleOf(
      snapshot({
        groups: [
          group("billing", [
            { topic: "orders", partition: 0, committed: 100, logEnd: 110 },
            { topic: "orders", partition: 1, committed: 45, logEnd: null },
          ]),
          group("audit", [{ topic: "payments", partition: 0, committed: 3, logEnd: 3 }]),
        ],
      }),
    );
    expect(s.groups.map((g) => g.groupId)).toEqual(["audit"]);
    expect(s.skipped.groups).toEqual(["billing"]);
    expect(s.cluster).toBeNull();
  });

  it("samples a group whose uncommitted partition lacks a log-end offset: it has no lag there anyway", () => {
    const s = sampleOf(
      snapshot({
        groups: [
          group("billing", [
            { topic: "orders", partition: 0, committed: 100, logEnd: 110 },
            { topic: "orders", partition: 1, committed: null, logEnd: null },
          ]),
        ],
      }),
    );
    expect(s.groups).toEqual([{ groupId: "billing", lag: 10, committed: 100, logEnd: 110, members: 1 }]);
  });

  it("skips a group the snapshot could not read whole: no commit shown may be commits not read", () => {
    const s = sampleOf(
      snapshot({
        groups: [
          group("billing", [{ topic: "orders", partition: 0, committed: null, logEnd: 110 }], 1, false),
          group("audit", [{ topic: "payments", partition: 0, committed: 3, logEnd: 5 }]),
        ],
        partial: { metadata: false, offsets: false, groups: true },
      }),
    );
    expect(s.groups).toEqual([{ groupId: "audit", lag: 2, committed: 3, logEnd: 5, members: 1 }]);
    expect(s.skipped.groups).toEqual(["billing"]);
    expect(s.cluster).toBeNull();
  });

  it("writes no cluster total while a list of topics or groups may miss some, even if every one listed was read", () => {
    for (const missing of ["metadata", "offsets", "groups"] as const) {
      const partial = { metadata: false, offsets: false, groups: false, [missing]: true };
      const s = sampleOf(snapshot({ topics: [topic("clicks", [part(0, 0, 7)])], partial }));
      expect(s.topics).toHaveLength(1);
      expect(s.cluster, missing).toBeNull();
    }
  });

  it("writes the cluster total when only what it does not read is missing (the controller quorum, ELR)", () => {
    // A ClusterSnapshot whose quorum and ELR reads failed: `complete` is false, the totals stand.
    const s = sampleOf({
      ...snapshot({ topics: [topic("clicks", [part(0, 0, 7)])] }),
      partial: { metadata: false, offsets: false, groups: false, quorum: true, elr: true },
    } as SampledSnapshot);
    expect(s.cluster).toEqual({ totalLag: 0, logEnd: 7 });
  });
});
