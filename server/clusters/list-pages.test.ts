import { describe, expect, it } from "vitest";
import { groupListQuerySchema, topicListQuerySchema } from "@/lib/schemas/lists";
import { FakeGateway, fakeContext, group, member, partition, topic } from "@/test/fakes/cluster";
import { groupPage, pageOf, topicPage } from "./list-pages";

const withOffsets = (p: ReturnType<typeof partition>, earliest: number, latest: number) => ({
  ...p,
  earliestOffset: earliest,
  latestOffset: latest,
});

async function snapshot() {
  const gateway = new FakeGateway({
    brokers: [1, 2, 3],
    controller: 101,
    topics: [
      topic("orders", [withOffsets(partition(0, 1, [1, 2]), 0, 50), withOffsets(partition(1, 2, [2, 3]), 10, 20)]),
      topic("Payments", [partition(0, 1, [1, 2, 3], [1])]),
      topic("topic-10", [partition(0, -1, [3])]),
      topic("topic-2", [partition(0, 2, [2]), partition(1, 2, [2]), partition(2, 3, [3])]),
      topic("__consumer_offsets", [partition(0, 1, [1, 2, 3])], true),
    ],
    groups: [
      group("billing", { "orders:0": 40 }, [member("a"), member("b")]),
      group("audit", { "orders:0": 0, "orders:1": 10 }),
      group("idle", {}),
      group("Analytics", { "orders:0": 50 }, [member("c")]),
    ],
  });
  const snap = await fakeContext(gateway).read.requireSnapshot();
  if (!snap) throw new Error("no snapshot");
  return snap;
}

const topics = (input: Record<string, string>) => topicListQuerySchema.parse(input);
const groups = (input: Record<string, string>) => groupListQuerySchema.parse(input);

describe("topic pages", () => {
  it("sorts names as people read them and leaves internal topics out unless asked", async () => {
    const snap = await snapshot();
    const page = topicPage(snap, topics({}), snap.takenAt + 1234);
    expect(page.items.map((t) => t.name)).toEqual(["orders", "Payments", "topic-2", "topic-10"]);
    expect(page).toMatchObject({ total: 5, matched: 4, offset: 0, limit: 100 });
    expect(page.snapshot).toMatchObject({ takenAt: snap.takenAt, ageMs: 1234, complete: true });
    const all = topicPage(snap, topics({ internal: "true" }));
    expect(all.matched).toBe(5);
    expect(all.items[0]?.name).toBe("__consumer_offsets");
  });

  it("projects each row as the summary it was", async () => {
    const snap = await snapshot();
    const [orders, payments, two, ten] = topicPage(snap, topics({})).items;
    expect(orders).toEqual({
      name: "orders",
      internal: false,
      partitions: 2,
      replicationFactor: 2,
      underReplicated: 0,
      offline: 0,
      messages: 60,
    });
    expect(payments).toMatchObject({ replicationFactor: 3, underReplicated: 1 });
    expect(two).toMatchObject({ partitions: 3, replicationFactor: 1 });
    expect(ten).toMatchObject({ offline: 1 });
  });

  it("searches case-insensitively and counts what matched", async () => {
    const snap = await snapshot();
    const page = topicPage(snap, topics({ q: "TOPIC" }));
    expect(page.items.map((t) => t.name)).toEqual(["topic-2", "topic-10"]);
    expect(page).toMatchObject({ total: 5, matched: 2 });
    expect(topicPage(snap, topics({ q: "nothing" }))).toMatchObject({ items: [], matched: 0, total: 5 });
  });

  it("sorts by a count, ties by name, in either direction", async () => {
    const snap = await snapshot();
    const byPartitions = topicPage(snap, topics({ sort: "partitions", dir: "desc" }));
    expect(byPartitions.items.map((t) => `${t.name}:${t.partitions}`)).toEqual([
      "topic-2:3",
      "orders:2",
      "Payments:1",
      "topic-10:1",
    ]);
    const asc = topicPage(snap, topics({ sort: "partitions" }));
    expect(asc.items.map((t) => t.name)).toEqual(["Payments", "topic-10", "orders", "topic-2"]);
    expect(topicPage(snap, topics({ sort: "messages", dir: "desc" })).items[0]?.name).toBe("orders");
    expect(topicPage(snap, topics({ sort: "offline", dir: "desc" })).items[0]?.name).toBe("topic-10");
    expect(topicPage(snap, topics({ sort: "underReplicated", dir: "desc" })).items[0]?.name).toBe("Payments");
  });

  it("cuts pages that neither overlap nor skip", async () => {
    const snap = await snapshot();
    const seen: string[] = [];
    for (let offset = 0; offset < 6; offset += 2) {
      const page = topicPage(snap, topics({ offset: String(offset), limit: "2", sort: "partitions" }));
      expect(page).toMatchObject({ offset, limit: 2, matched: 4 });
      seen.push(...page.items.map((t) => t.name));
    }
    expect(seen).toEqual(["Payments", "topic-10", "orders", "topic-2"]);
  });

  it("projects only the rows of the page", () => {
    let projected = 0;
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ name: `t-${i}`, n: i % 7 }));
    const { rows: page, matched } = pageOf(
      rows,
      (r) => r.n !== 0,
      (r) => r.n,
      (r) => r.name,
      "desc",
      100,
      50,
    );
    const items = page.map((r) => {
      projected++;
      return r.name;
    });
    expect(matched).toBe(rows.filter((r) => r.n !== 0).length);
    expect(projected).toBe(50);
    expect(new Set(page.map((r) => r.n))).toEqual(new Set([6]));
    // n = 6 for i = 6 + 7k, in numeric name order t-6, t-13…: the 101st (k = 100) is t-706.
    expect(items[0]).toBe("t-706");
  });
});

describe("group pages", () => {
  it("sorts by id by default and searches case-insensitively", async () => {
    const snap = await snapshot();
    const page = groupPage(snap, groups({}));
    expect(page.items.map((g) => g.groupId)).toEqual(["Analytics", "audit", "billing", "idle"]);
    expect(page).toMatchObject({ total: 4, matched: 4 });
    const found = groupPage(snap, groups({ q: "T" }));
    expect(found.items.map((g) => g.groupId)).toEqual(["Analytics", "audit"]);
    expect(found).toMatchObject({ total: 4, matched: 2 });
  });

  it("sorts by lag with groups that committed nothing lowest, and by members", async () => {
    const snap = await snapshot();
    const byLag = groupPage(snap, groups({ sort: "lag", dir: "desc" })).items;
    expect(byLag.map((g) => `${g.groupId}:${g.totalLag}`)).toEqual([
      "audit:60",
      "billing:10",
      "Analytics:0",
      "idle:null",
    ]);
    const byMembers = groupPage(snap, groups({ sort: "members", dir: "desc", limit: "1" }));
    expect(byMembers.items.map((g) => [g.groupId, g.members])).toEqual([["billing", 2]]);
    expect(byMembers.matched).toBe(4);
  });
});

describe("pages within a grant's name patterns", () => {
  const scope = (...patterns: string[]) => ({
    patterns,
    covers: (name: string) => patterns.some((p) => new RegExp(`^${p.replaceAll("*", ".*")}$`).test(name)),
  });

  it("list only the names the patterns cover, and count those alone, with the patterns in the answer", async () => {
    const snap = await snapshot();
    const page = topicPage(snap, topics({}), Date.now(), scope("topic-*"));
    expect(page.items.map((t) => t.name)).toEqual(["topic-2", "topic-10"]);
    expect(page).toMatchObject({ total: 2, matched: 2, scope: ["topic-*"] });
    const searched = topicPage(snap, topics({ q: "10" }), Date.now(), scope("topic-*", "orders"));
    expect(searched.items.map((t) => t.name)).toEqual(["topic-10"]);
    expect(searched).toMatchObject({ total: 3, matched: 1 });
    const g = groupPage(snap, groups({}), Date.now(), scope("a*"));
    expect(g.items.map((x) => x.groupId)).toEqual(["audit"]);
    expect(g).toMatchObject({ total: 1, matched: 1, scope: ["a*"] });
  });

  it("list nothing under a grant of no pattern for the kind, and say so; without a scope, everything as before", async () => {
    const snap = await snapshot();
    expect(topicPage(snap, topics({}), Date.now(), scope())).toMatchObject({ items: [], total: 0, scope: [] });
    const all = topicPage(snap, topics({}), Date.now());
    expect(all.total).toBe(5);
    expect(all).not.toHaveProperty("scope");
  });
});

describe("sorted orders kept with the snapshot", () => {
  it("sorts a snapshot's rows once per order: later pages and searches only filter and slice", () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ name: `t-${49 - i}`, size: i % 7 }));
    let keyCalls = 0;
    const bySize = (r: { size: number }) => {
      keyCalls++;
      return r.size;
    };
    const all = () => true;
    const first = pageOf(rows, all, bySize, (r) => r.name, "desc", 0, 10, "size");
    expect(keyCalls).toBe(50);
    const second = pageOf(rows, all, bySize, (r) => r.name, "desc", 10, 10, "size");
    const searched = pageOf(
      rows,
      (r) => r.name.includes("1"),
      bySize,
      (r) => r.name,
      "desc",
      0,
      100,
      "size",
    );
    expect(keyCalls).toBe(50); // the cached order served both
    expect(first.rows.map((r) => r.size)).toEqual([6, 6, 6, 6, 6, 6, 6, 5, 5, 5]);
    expect([...first.rows, ...second.rows].map((r) => r.name)).toHaveLength(20);
    expect(new Set([...first.rows, ...second.rows]).size).toBe(20);
    expect(searched.matched).toBe(rows.filter((r) => r.name.includes("1")).length);
    expect(searched.rows.every((r) => r.name.includes("1"))).toBe(true);
    // Another direction is another order, sorted once too.
    const asc = pageOf(rows, all, bySize, (r) => r.name, "asc", 0, 3, "size");
    expect(keyCalls).toBe(100);
    expect(asc.rows.map((r) => r.size)).toEqual([0, 0, 0]);
  });
});
