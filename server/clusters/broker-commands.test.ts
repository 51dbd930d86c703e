import { describe, expect, it } from "vitest";
import { FakeGateway, FakeSupervisor, fakeContext, partition, topic } from "@/test/fakes/cluster";
import { addBroker, removeBroker, startBroker, stopBroker, stopImpact } from "./broker-commands";
import { explainQuorumLoss, stopController } from "./controller-commands";
import { recreateLab } from "./lab-commands";

// orders-0: leader 1, replicas 1 and 3 in sync; payments-0: leader 2, replicas 2 and 1 in sync.
const cluster = () =>
  new FakeGateway({
    brokers: [1, 2, 3],
    controller: 101,
    topics: [topic("orders", [partition(0, 1, [1, 3])]), topic("payments", [partition(0, 2, [2, 1])])],
  });

describe("stop guard", () => {
  it("lets a stop go ahead when another in-sync replica is on a broker up now", async () => {
    const ctx = fakeContext(cluster(), new FakeSupervisor([{ id: 1 }, { id: 2 }, { id: 3 }]));
    expect(await stopImpact(ctx, 1)).toEqual({ broker: 1, leaderships: 1, goesOffline: [], lastBrokerUp: false });
    await stopBroker(ctx, 1, "graceful");
    expect((ctx.supervisor as FakeSupervisor).calls).toEqual(["stop 1 graceful"]);
  });

  it("does not count an in-sync replica on a killed broker Kafka has not fenced yet", async () => {
    // Broker 3 was killed a moment ago: Kafka still lists it, live and in the ISR of orders-0.
    const supervisor = new FakeSupervisor([{ id: 1 }, { id: 2 }, { id: 3, status: "down" }]);
    const ctx = fakeContext(cluster(), supervisor);
    const impact = await stopImpact(ctx, 1);
    expect(impact.goesOffline).toEqual([{ topic: "orders", partition: 0 }]);
    await expect(stopBroker(ctx, 1, "graceful")).rejects.toMatchObject({ code: "confirmation_required" });
    expect(supervisor.calls).toEqual([]);
    await stopBroker(ctx, 1, "kill", { confirm: true });
    expect(supervisor.calls).toEqual(["stop 1 kill"]);
  });

  it("uses the live brokers of a fresh snapshot for a cluster Quorum does not run", async () => {
    const gateway = cluster();
    gateway.state.brokers = [1, 2]; // 3 is fenced: gone from the metadata, still in orders-0's ISR here
    const ctx = fakeContext(gateway);
    // Broker 3 is in no snapshot this client took: not up now.
    expect((await stopImpact(ctx, 1)).goesOffline).toEqual([{ topic: "orders", partition: 0 }]);
    expect((await stopImpact(ctx, 2)).goesOffline).toEqual([]);
  });

  it("calls the last broker up the last", async () => {
    const supervisor = new FakeSupervisor([{ id: 1 }, { id: 2, status: "down" }, { id: 3, status: "down" }]);
    const ctx = fakeContext(cluster(), supervisor);
    expect((await stopImpact(ctx, 1)).lastBrokerUp).toBe(true);
    await expect(stopBroker(ctx, 1, "graceful")).rejects.toThrow(/last broker up/);
  });

  it("answers 404 for an unknown broker and 409 for a cluster Quorum does not run", async () => {
    const ctx = fakeContext(cluster(), new FakeSupervisor([{ id: 1 }, { id: 2 }, { id: 3 }]));
    await expect(stopImpact(ctx, 9)).rejects.toMatchObject({ code: "broker_not_found" });
    await expect(stopBroker(fakeContext(cluster()), 1, "graceful")).rejects.toMatchObject({
      code: "not_controllable",
    });
  });
});

describe("broker stop and start under the cluster lock", () => {
  it("holds the lock for the whole stop: a start meanwhile answers busy", async () => {
    const supervisor = new FakeSupervisor([{ id: 1 }, { id: 2 }, { id: 3, status: "down" }]);
    const ctx = fakeContext(cluster(), supervisor);
    let finish = () => {};
    supervisor.stopGate = new Promise((r) => {
      finish = r;
    });
    const stopping = stopBroker(ctx, 2, "graceful", { confirm: true });
    await new Promise((r) => setTimeout(r, 20));
    expect(ctx.lock.holder).toMatch(/^a graceful stop of broker 2 since/);
    await expect(startBroker(ctx, 3)).rejects.toMatchObject({
      code: "busy",
      message: expect.stringContaining("a graceful stop of broker 2"),
    });
    finish();
    await stopping;
    expect(ctx.lock.holder).toBeNull();
    await startBroker(ctx, 3);
    expect(supervisor.calls).toEqual(["stop 2 graceful", "start 3"]);
  });

  it("refuses a stop while something else holds the lock, unless the caller is that holder", async () => {
    const supervisor = new FakeSupervisor([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const ctx = fakeContext(cluster(), supervisor);
    const release = ctx.lock.tryAcquire("drill d1 on topic orders");
    await expect(stopBroker(ctx, 1, "kill", { confirm: true })).rejects.toMatchObject({ code: "busy" });
    expect(supervisor.calls).toEqual([]);
    await stopBroker(ctx, 1, "kill", { confirm: true, lockHeld: true });
    await startBroker(ctx, 1, { lockHeld: true });
    expect(supervisor.calls).toEqual(["stop 1 kill", "start 1"]);
    expect(ctx.lock.holder).toMatch(/^drill d1/);
    release();
  });
});

describe("stop progress on the broker's row", () => {
  it("shows, while a graceful stop runs, the leaderships held at its start moving away, from each snapshot", async () => {
    // Broker 1 leads orders-0..2 (replicas on 2 and 3 in sync); broker 2 leads payments-0.
    const gateway = new FakeGateway({
      brokers: [1, 2, 3],
      controller: 101,
      topics: [
        topic("orders", [partition(0, 1, [1, 2]), partition(1, 1, [1, 3]), partition(2, 1, [1, 2])]),
        topic("payments", [partition(0, 2, [2, 1])]),
      ],
    });
    const supervisor = new FakeSupervisor([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const ctx = fakeContext(gateway, supervisor);
    let finish = () => {};
    supervisor.stopGate = new Promise((r) => {
      finish = r;
    });
    const stopping = stopBroker(ctx, 1, "graceful");
    await new Promise((r) => setTimeout(r, 20));
    const row = async () => (await ctx.read.brokerStatuses(await ctx.read.snapshot(0))).find((b) => b.id === 1);
    expect((await row())?.stopping).toMatchObject({ leadersAtStart: 3, leadersLeft: 3, leadersMoved: 0 });
    // Kafka moves two of them.
    const orders = gateway.state.topics[0];
    if (!orders) throw new Error("orders expected");
    orders.partitions = [partition(0, 2, [1, 2], [2]), partition(1, 3, [1, 3], [3]), partition(2, 1, [1, 2])];
    const midway = await row();
    expect(midway?.status).toBe("stopping");
    expect(midway?.stopping).toMatchObject({ leadersAtStart: 3, leadersLeft: 1, leadersMoved: 2, leaderless: 0 });
    expect(midway?.leaderCount).toBe(1);
    // No other broker's row carries a stop.
    expect((await ctx.read.brokerStatuses(await ctx.read.snapshot(0))).filter((b) => b.stopping)).toHaveLength(1);
    finish();
    await stopping;
    const after = await row();
    expect(after?.status).toBe("down");
    expect(after?.stopping).toBeUndefined();
  });

  it("counts against the latest snapshot when a fresh one cannot be taken as the stop begins", async () => {
    const gateway = new FakeGateway({
      brokers: [1, 2, 3],
      controller: 101,
      topics: [topic("orders", [partition(0, 1, [1, 2]), partition(1, 1, [1, 3]), partition(2, 2, [2, 1])])],
    });
    const supervisor = new FakeSupervisor([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const ctx = fakeContext(gateway, supervisor);
    expect(await ctx.read.snapshot(0)).not.toBeNull();
    gateway.takeSnapshot = async () => {
      throw new Error("request timed out");
    };
    let finish = () => {};
    supervisor.stopGate = new Promise((r) => {
      finish = r;
    });
    const stopping = stopBroker(ctx, 1, "graceful", { confirm: true });
    await new Promise((r) => setTimeout(r, 20));
    const row = ctx.read.brokerStatuses(null).find((b) => b.id === 1);
    // Nothing newer is known: both leaderships count as left, none as moved.
    expect(row?.stopping).toMatchObject({ leadersAtStart: 2, leadersLeft: 2, leadersMoved: 0, asOf: null });
    finish();
    await stopping;
  });

  it("does not track a kill", async () => {
    const supervisor = new FakeSupervisor([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const ctx = fakeContext(cluster(), supervisor);
    let finish = () => {};
    supervisor.stopGate = new Promise((r) => {
      finish = r;
    });
    const stopping = stopBroker(ctx, 1, "kill");
    await new Promise((r) => setTimeout(r, 20));
    const rows = ctx.read.brokerStatuses(await ctx.read.snapshot(0));
    expect(rows.find((b) => b.id === 1)?.status).toBe("stopping");
    expect(rows.some((b) => b.stopping)).toBe(false);
    finish();
    await stopping;
  });
});

describe("growing and shrinking the lab", () => {
  it("adds a broker with the next id, and removes one only once it holds no replica: stopped, unregistered, gone", async () => {
    const gateway = cluster();
    const supervisor = new FakeSupervisor([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const ctx = fakeContext(gateway, supervisor);
    expect(await addBroker(ctx)).toBe(4);
    await expect(removeBroker(ctx, 1)).rejects.toThrow(
      'Broker 1 still holds 2 replicas (orders-0, payments-0): drain it first (a reassignment with the goal "drain")',
    );
    await expect(removeBroker(ctx, 9)).rejects.toMatchObject({ code: "broker_not_found" });
    expect(supervisor.calls).toEqual(["add 4"]);
    await removeBroker(ctx, 4);
    expect(supervisor.calls).toEqual(["add 4", "stop 4 graceful", "remove 4"]);
    expect(gateway.calls.filter((c) => c.op === "unregisterBroker").map((c) => c.args)).toEqual([[4]]);
    expect(supervisor.nodeStates().map((n) => n.id)).toEqual([101, 1, 2, 3]);
  });

  it("is a lab's alone: a cluster reached by bootstrap servers answers 409", async () => {
    const ctx = fakeContext(cluster());
    await expect(addBroker(ctx)).rejects.toMatchObject({ code: "not_controllable" });
    await expect(removeBroker(ctx, 1)).rejects.toMatchObject({ code: "not_controllable" });
  });
});

describe("the controller quorum of a lab", () => {
  it("counts a majority of voters, asks before a stop loses it, and then explains a failed command by it", async () => {
    const supervisor = new FakeSupervisor([{ id: 1 }], [101, 102, 103]);
    const ctx = fakeContext(cluster(), supervisor);
    expect(ctx.read.quorumView(null)).toMatchObject({ up: 3, needed: 2, state: "unknown" });
    await stopController(ctx, 101, "kill");
    await expect(stopController(ctx, 102, "graceful")).rejects.toThrow(
      "Stopping controller 102 leaves 1 of 3 voters up, fewer than the 2 the quorum needs",
    );
    expect(explainQuorumLoss(ctx, new Error("x"), "create topic t")).toMatchObject({ message: "x" });
    await stopController(ctx, 102, "graceful", { confirm: true });
    expect(supervisor.calls).toEqual(["stop controller 101 kill", "stop controller 102 graceful"]);
    expect(ctx.read.quorumView(null)).toMatchObject({ up: 1, needed: 2, state: "lost" });
    const explained = explainQuorumLoss(ctx, new Error("REQUEST_TIMED_OUT"), "create topic t") as Error;
    expect(explained.message).toContain(
      "Cannot create topic t: the KRaft controller quorum has no majority (1 of 3 controllers up, 2 needed)",
    );
    expect(explained.message).toContain("Kafka answered: REQUEST_TIMED_OUT");
  });
});

describe("starting the lab over", () => {
  it("asks first, says what goes, and recreates at the size asked while holding the cluster", async () => {
    const supervisor = new FakeSupervisor([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const ctx = fakeContext(cluster(), supervisor);
    await expect(recreateLab(ctx, { brokers: 1, controllers: 3 })).rejects.toThrow(
      "Recreating the lab as 1 broker(s) and 3 controller(s) (now 3 and 1) deletes every topic and message in it",
    );
    expect(supervisor.calls).toEqual([]);
    const release = ctx.lock.tryAcquire(() => "a drill on topic orders");
    await expect(recreateLab(ctx, { brokers: 1, controllers: 3 }, { confirm: true })).rejects.toMatchObject({
      code: "busy",
    });
    release();
    expect(await recreateLab(ctx, { brokers: 1, controllers: 3 }, { confirm: true })).toEqual({
      brokers: 1,
      controllers: 3,
      status: "starting",
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(supervisor.calls).toEqual(["recreate 1b 3c"]);
    await expect(
      recreateLab(fakeContext(cluster()), { brokers: 1, controllers: 1 }, { confirm: true }),
    ).rejects.toMatchObject({
      code: "not_controllable",
    });
  });
});
