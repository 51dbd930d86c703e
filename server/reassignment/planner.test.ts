import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { type ClusterPicture, type PlanPartition, planReassignment, reassignmentJson, rollbackJson } from "./planner";

const part = (topic: string, partition: number, replicas: number[]): PlanPartition => ({ topic, partition, replicas });

function picture(partitions: PlanPartition[], brokers: number[], bytes = 1000): ClusterPicture {
  const sizes = new Map(
    partitions.map((p) => [
      `${p.topic}:${p.partition}`,
      new Map(p.replicas.map((b) => [b, bytes * (p.partition + 1)])),
    ]),
  );
  return { partitions, brokers, sizes };
}

const afterOf = (plan: ReturnType<typeof planReassignment>, pic: ClusterPicture) => {
  const moved = new Map(plan.moves.map((m) => [`${m.topic}:${m.partition}`, m.after]));
  return pic.partitions.map((p) => moved.get(`${p.topic}:${p.partition}`) ?? p.replicas);
};

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).message;
  }
  throw new Error("no refusal");
};

describe("putting a topic on chosen brokers", () => {
  const pic = picture(
    [part("orders", 0, [1, 2, 3]), part("orders", 1, [2, 3, 1]), part("orders", 2, [3, 1, 2]), part("other", 0, [1])],
    [1, 2, 3, 4],
  );

  it("moves only the replicas outside the set, to the new broker, and spreads the preferred leaders", () => {
    const plan = planReassignment(pic, { kind: "topic", topic: "orders", brokers: [2, 3, 4] });
    const after = afterOf(plan, pic).slice(0, 3);
    for (const list of after) expect([...list].sort()).toEqual([2, 3, 4]);
    // Each partition copies one replica: broker 1's goes to 4.
    expect(plan.moves.map((m) => [m.adding, m.removing])).toEqual([
      [[4], [1]],
      [[4], [1]],
      [[4], [1]],
    ]);
    expect(new Set(after.map((l) => l[0])).size).toBe(3);
    expect(plan.copying).toBe(3);
    expect(plan.bytes).toBe(1000 + 2000 + 3000);
    expect(plan.brokers.find((b) => b.broker === 1)?.replicas).toEqual({ before: 4, after: 1 });
    expect(plan.brokers.find((b) => b.broker === 4)?.replicas).toEqual({ before: 0, after: 3 });
    // Other topics are not touched.
    expect(plan.moves.every((m) => m.topic === "orders")).toBe(true);
  });

  it("refuses fewer brokers than the replication factor, brokers not up, and an unknown topic, in words", () => {
    expect(refusal(() => planReassignment(pic, { kind: "topic", topic: "orders", brokers: [2, 3] }))).toBe(
      "orders has replication factor 3: it needs at least 3 brokers, not 2",
    );
    expect(refusal(() => planReassignment(pic, { kind: "topic", topic: "orders", brokers: [2, 3, 9] }))).toBe(
      "broker 9 is not up in this cluster (up: 1, 2, 3, 4)",
    );
    expect(refusal(() => planReassignment(pic, { kind: "topic", topic: "nope", brokers: [1] }))).toBe(
      'No topic "nope" in this cluster',
    );
  });
});

describe("draining a broker", () => {
  it("moves every replica off it to the emptiest other brokers, keeping each list's order", () => {
    const pic = picture(
      [part("a", 0, [1, 2]), part("a", 1, [2, 3]), part("b", 0, [2]), part("b", 1, [3, 1])],
      [1, 2, 3],
    );
    const plan = planReassignment(pic, { kind: "drain", broker: 2 });
    const after = afterOf(plan, pic);
    expect(after.flat()).not.toContain(2);
    expect(after.every((l, i) => l.length === pic.partitions[i]?.replicas.length)).toBe(true);
    expect(plan.brokers.find((b) => b.broker === 2)?.replicas.after).toBe(0);
    expect(plan.moves.map((m) => `${m.topic}-${m.partition}`)).toEqual(["a-0", "a-1", "b-0"]);
  });

  it("refuses when the other brokers cannot hold some topic's replication factor, naming each", () => {
    const pic = picture([part("wide", 0, [1, 2, 3]), part("wider", 0, [3, 2, 1]), part("narrow", 0, [1])], [1, 2, 3]);
    expect(refusal(() => planReassignment(pic, { kind: "drain", broker: 2 }))).toBe(
      "broker 2 cannot be drained: wide (replication factor 3), wider (replication factor 3) need more than the 2 other brokers up",
    );
  });
});

describe("changing a topic's replication factor", () => {
  const pic = picture([part("t", 0, [1]), part("t", 1, [2]), part("t", 2, [3])], [1, 2, 3]);

  it("adds replicas on the emptiest brokers, keeping the present ones", () => {
    const plan = planReassignment(pic, { kind: "replication-factor", topic: "t", replicationFactor: 3 });
    const after = afterOf(plan, pic);
    for (const [i, list] of after.entries()) {
      expect([...list].sort()).toEqual([1, 2, 3]);
      expect(list).toContain(pic.partitions[i]?.replicas[0]);
    }
    expect(plan.moves.every((m) => m.adding.length === 2 && m.removing.length === 0)).toBe(true);
  });

  it("takes the last replicas away, never the preferred leader, and refuses more than the brokers up", () => {
    const wide = picture([part("t", 0, [3, 1, 2]), part("t", 1, [1, 2, 3])], [1, 2, 3]);
    const plan = planReassignment(wide, { kind: "replication-factor", topic: "t", replicationFactor: 1 });
    expect(afterOf(plan, wide)).toEqual([[3], [1]]);
    expect(plan.bytes).toBe(0);
    expect(refusal(() => planReassignment(pic, { kind: "replication-factor", topic: "t", replicationFactor: 4 }))).toBe(
      "replication factor 4 needs 4 brokers; 3 are up",
    );
  });
});

describe("balancing", () => {
  it("evens out replicas and preferred leaders onto a new, empty broker, copying the smallest partitions", () => {
    const parts = Array.from({ length: 6 }, (_, i) => part("t", i, [1 + (i % 3), 1 + ((i + 1) % 3)]));
    const pic = picture(parts, [1, 2, 3, 4]);
    const plan = planReassignment(pic, { kind: "balance" });
    const counts = plan.brokers.map((b) => b.replicas.after);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    const leaders = plan.brokers.map((b) => b.leaders.after);
    expect(Math.max(...leaders) - Math.min(...leaders)).toBeLessThanOrEqual(1);
    expect(plan.brokers.find((b) => b.broker === 4)?.replicas).toEqual({ before: 0, after: 3 });
    // The partitions copied are the smallest ones.
    const copied = plan.moves.filter((m) => m.adding.length).map((m) => m.partition);
    expect(Math.max(...copied)).toBeLessThan(4);
  });

  it("proposes nothing for a cluster already even", () => {
    const pic = picture([part("t", 0, [1, 2]), part("t", 1, [2, 1])], [1, 2]);
    expect(planReassignment(pic, { kind: "balance" }).moves).toEqual([]);
  });
});

describe("the tool's files", () => {
  it("write the new lists for --execute and the old ones for a rollback, as kafka-reassign-partitions reads them", () => {
    const moves = [{ topic: "t", partition: 0, before: [1, 2], after: [2, 3] }];
    expect(JSON.parse(reassignmentJson(moves))).toEqual({
      version: 1,
      partitions: [{ topic: "t", partition: 0, replicas: [2, 3] }],
    });
    expect(JSON.parse(rollbackJson(moves)).partitions[0].replicas).toEqual([1, 2]);
  });
});
