import { describe, expect, it } from "vitest";
import { diffViews, type MonitorView } from "./diff";

type Parts = { leader: number; isr: number[] }[];
const view = (topics: Record<string, Parts>, over: Partial<MonitorView> = {}): MonitorView => ({
  reachable: true,
  brokersUp: [1, 2, 3],
  controller: 101,
  topics: new Map(Object.entries(topics)),
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
});
