import { describe, expect, it } from "vitest";
import { diffViews, type MonitorView } from "./diff";

/** Partitions; a leader epoch of -1 (unknown) unless given. */
type Parts = { leader: number; isr: number[]; leaderEpoch?: number; replicas?: number[] }[];
/** A topic by its partitions (id unknown), or with its id. */
type Topic = Parts | { id: string | null; partitions: Parts };
const view = (topics: Record<string, Topic>, over: Partial<MonitorView> = {}): MonitorView => ({
  reachable: true,
  brokersUp: [1, 2, 3],
  controller: 101,
  topics: new Map(
    Object.entries(topics).map(([name, t]) => {
      const { id, partitions } = Array.isArray(t) ? { id: null, partitions: t } : t;
      return [name, { id, partitions: partitions.map((p) => ({ ...p, leaderEpoch: p.leaderEpoch ?? -1 })) }];
    }),
  ),
  ...over,
});
const healthy: Parts = [
  { leader: 1, isr: [1, 2, 3] },
  { leader: 2, isr: [2, 3, 1] },
  { leader: 3, isr: [3, 1, 2] },
];

describe("diffViews", () => {
  it("finds nothing between equal views", () => {
    expect(diffViews(view({ orders: healthy }), view({ orders: healthy }))).toEqual([]);
  });

  it("reports a partition's replica list changing, by a reassignment, but not an equal list in a new array", () => {
    const before = view({ orders: [{ leader: 1, isr: [1, 2], replicas: [1, 2] }] });
    const moved = view({ orders: [{ leader: 1, isr: [1, 2], replicas: [1, 2, 3] }] });
    expect(diffViews(before, moved)).toEqual([
      { type: "replicas-changed", topic: "orders", partition: 0, from: [1, 2], to: [1, 2, 3] },
    ]);
    expect(diffViews(before, view({ orders: [{ leader: 1, isr: [1, 2], replicas: [1, 2] }] }))).toEqual([]);
  });

  it("reports the controller quorum losing its majority and regaining it, once each", () => {
    const q = (lost: boolean, up: number) => view({ orders: healthy }, { quorum: { lost, up, needed: 2 } });
    expect(diffViews(q(false, 3), q(true, 1))).toEqual([{ type: "quorum-lost", up: 1, needed: 2 }]);
    expect(diffViews(q(true, 1), q(true, 0))).toEqual([]);
    expect(diffViews(q(true, 1), q(false, 2))).toEqual([{ type: "quorum-regained", up: 2, needed: 2 }]);
    expect(diffViews(q(false, 3), q(false, 3))).toEqual([]);
  });

  it("reports a broker stopping: broker-down, leader moves, ISRs shrink — all at once", () => {
    const after: Parts = [
      { leader: 2, isr: [2, 3] },
      { leader: 2, isr: [2, 3] },
      { leader: 3, isr: [3, 2] },
    ];
    expect(diffViews(view({ orders: healthy }), view({ orders: after }, { brokersUp: [2, 3] }))).toEqual([
      { type: "broker-down", broker: 1 },
      { type: "leader-changed", topic: "orders", partition: 0, from: 1, to: 2 },
      { type: "isr-shrunk", topic: "orders", partition: 0, from: [1, 2, 3], to: [2, 3] },
      { type: "isr-shrunk", topic: "orders", partition: 1, from: [2, 3, 1], to: [2, 3] },
      { type: "isr-shrunk", topic: "orders", partition: 2, from: [3, 1, 2], to: [3, 2] },
    ]);
  });

  it("reports a broker returning: broker-up and ISRs growing, while leadership stays", () => {
    const degraded: Parts = [{ leader: 2, isr: [2, 3] }];
    const healed: Parts = [{ leader: 2, isr: [2, 3, 1] }];
    expect(diffViews(view({ t: degraded }, { brokersUp: [2, 3] }), view({ t: healed }))).toEqual([
      { type: "broker-up", broker: 1 },
      { type: "isr-expanded", topic: "t", partition: 0, from: [2, 3], to: [2, 3, 1] },
    ]);
  });

  it("reports a partition going offline and coming back", () => {
    const single: Parts = [{ leader: 3, isr: [3] }];
    const offline: Parts = [{ leader: -1, isr: [3] }];
    expect(diffViews(view({ t: single }), view({ t: offline }, { brokersUp: [1, 2] }))).toEqual([
      { type: "broker-down", broker: 3 },
      { type: "partition-offline", topic: "t", partition: 0, leader: 3 },
    ]);
    expect(diffViews(view({ t: offline }, { brokersUp: [1, 2] }), view({ t: single }))).toEqual([
      { type: "broker-up", broker: 3 },
      { type: "partition-online", topic: "t", partition: 0, leader: 3 },
    ]);
  });

  it("reports an ISR that shrinks and grows in one step as both", () => {
    expect(diffViews(view({ t: [{ leader: 1, isr: [1, 2] }] }), view({ t: [{ leader: 1, isr: [1, 3] }] }))).toEqual([
      { type: "isr-shrunk", topic: "t", partition: 0, from: [1, 2], to: [1, 3] },
      { type: "isr-expanded", topic: "t", partition: 0, from: [1, 2], to: [1, 3] },
    ]);
  });

  it("reports topics created, deleted and grown", () => {
    const one: Parts = [{ leader: 1, isr: [1] }];
    const two: Parts = [...one, { leader: 2, isr: [2] }];
    expect(diffViews(view({ old: one, grow: one }), view({ grow: two, fresh: one }))).toEqual([
      { type: "topic-deleted", topic: "old", partitions: 1 },
      { type: "partitions-added", topic: "grow", from: 1, to: 2 },
      { type: "topic-created", topic: "fresh", partitions: 1 },
    ]);
  });

  it("reports a new active controller", () => {
    expect(diffViews(view({}), view({}, { controller: 102 }))).toEqual([
      { type: "controller-changed", from: 101, to: 102 },
    ]);
  });

  it("reports the cluster going unreachable and back, without inventing partition changes", () => {
    const down = view({}, { reachable: false, brokersUp: [], controller: null });
    expect(diffViews(view({ t: healthy }), down)).toEqual([
      { type: "cluster-unreachable" },
      { type: "broker-down", broker: 1 },
      { type: "broker-down", broker: 2 },
      { type: "broker-down", broker: 3 },
    ]);
    expect(diffViews(down, view({ t: healthy }))).toEqual([
      { type: "broker-up", broker: 1 },
      { type: "broker-up", broker: 2 },
      { type: "broker-up", broker: 3 },
      { type: "cluster-reachable" },
    ]);
  });

  describe("leader epochs", () => {
    const at = (leader: number, leaderEpoch: number, isr = [1, 2, 3]) => [{ leader, isr, leaderEpoch }];

    it("reports the same leader elected again (epoch up, broker the same) as a leader change from it to itself", () => {
      expect(diffViews(view({ t: at(2, 5) }), view({ t: at(2, 7) }))).toEqual([
        { type: "leader-changed", topic: "t", partition: 0, from: 2, to: 2, epoch: { from: 5, to: 7 } },
      ]);
    });

    it("says the epochs of a change to another broker, when known", () => {
      expect(diffViews(view({ t: at(1, 3) }), view({ t: at(2, 4) }))).toEqual([
        { type: "leader-changed", topic: "t", partition: 0, from: 1, to: 2, epoch: { from: 3, to: 4 } },
      ]);
    });

    it("finds nothing when leader and epoch stay, also while the ISR changes", () => {
      expect(diffViews(view({ t: at(2, 5) }), view({ t: at(2, 5) }))).toEqual([]);
      expect(diffViews(view({ t: at(2, 5) }), view({ t: at(2, 5, [2, 3]) }))).toEqual([
        { type: "isr-shrunk", topic: "t", partition: 0, from: [1, 2, 3], to: [2, 3] },
      ]);
    });

    it("reports no re-election when either epoch is unknown", () => {
      expect(diffViews(view({ t: at(2, -1) }), view({ t: at(2, 7) }))).toEqual([]);
      expect(diffViews(view({ t: at(2, 5) }), view({ t: at(2, -1) }))).toEqual([]);
    });

    it("reports no re-election for an epoch that went down (nothing Kafka does; no invented event)", () => {
      expect(diffViews(view({ t: at(2, 7) }), view({ t: at(2, 5) }))).toEqual([]);
    });

    it("keeps offline and online as they are: an election from no leader is partition-online, not a leader change", () => {
      expect(diffViews(view({ t: at(3, 4) }), view({ t: at(-1, 5, [3]) }))).toEqual([
        { type: "partition-offline", topic: "t", partition: 0, leader: 3 },
        { type: "isr-shrunk", topic: "t", partition: 0, from: [1, 2, 3], to: [3] },
      ]);
      expect(diffViews(view({ t: at(-1, 5, [3]) }), view({ t: at(3, 6, [3]) }))).toEqual([
        { type: "partition-online", topic: "t", partition: 0, leader: 3 },
      ]);
    });
  });

  describe("topic ids", () => {
    const one: Parts = [{ leader: 1, isr: [1, 2], leaderEpoch: 0 }];
    const three: Parts = [
      { leader: 1, isr: [1, 2], leaderEpoch: 4 },
      { leader: 2, isr: [2, 3], leaderEpoch: 4 },
      { leader: 3, isr: [3, 1], leaderEpoch: 4 },
    ];

    it("reports a topic deleted and re-created under the same name as deleted, then created, with nothing between", () => {
      // The new incarnation's leaders, ISRs and epochs all differ: none of it is a partition event.
      const fresh: Parts = [
        { leader: 2, isr: [2], leaderEpoch: 0 },
        { leader: 3, isr: [3], leaderEpoch: 0 },
        { leader: -1, isr: [1], leaderEpoch: 0 },
      ];
      expect(
        diffViews(view({ t: { id: "old-id", partitions: three } }), view({ t: { id: "new-id", partitions: fresh } })),
      ).toEqual([
        { type: "topic-deleted", topic: "t", partitions: 3 },
        { type: "topic-created", topic: "t", partitions: 3 },
      ]);
    });

    it("gives each incarnation its own partition count, and no partitions-added", () => {
      expect(diffViews(view({ t: { id: "a", partitions: one } }), view({ t: { id: "b", partitions: three } }))).toEqual(
        [
          { type: "topic-deleted", topic: "t", partitions: 1 },
          { type: "topic-created", topic: "t", partitions: 3 },
        ],
      );
    });

    it("orders every deletion before every creation, re-created topics among them", () => {
      expect(
        diffViews(
          view({ a: { id: "a1", partitions: one }, gone: { id: "g", partitions: one } }),
          view({ a: { id: "a2", partitions: one }, fresh: { id: "f", partitions: three } }),
        ),
      ).toEqual([
        { type: "topic-deleted", topic: "a", partitions: 1 },
        { type: "topic-deleted", topic: "gone", partitions: 1 },
        { type: "topic-created", topic: "a", partitions: 1 },
        { type: "topic-created", topic: "fresh", partitions: 3 },
      ]);
    });

    it("compares partitions as before when the id stays, and when either id is unknown", () => {
      const moved: Parts = [{ leader: 2, isr: [1, 2], leaderEpoch: 1 }];
      const change = { type: "leader-changed", topic: "t", partition: 0, from: 1, to: 2, epoch: { from: 0, to: 1 } };
      expect(diffViews(view({ t: { id: "a", partitions: one } }), view({ t: { id: "a", partitions: moved } }))).toEqual(
        [change],
      );
      expect(
        diffViews(view({ t: { id: null, partitions: one } }), view({ t: { id: "a", partitions: moved } })),
      ).toEqual([change]);
    });
  });
});
