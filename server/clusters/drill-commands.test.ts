import { describe, expect, it } from "vitest";
import type { DrillReport } from "@/lib/types";
import { FakeGateway, FakeSupervisor, fakeContext, partition, topic } from "@/test/fakes/cluster";
import type { DrillPlan } from "../drill/drill";
import { stopBroker } from "./broker-commands";
import { type DrillStarter, startDrill } from "./drill-commands";

const plan = (t: string): DrillPlan => ({
  topic: t,
  kind: "failover",
  mode: "graceful",
  cycles: 1,
  downMs: 500,
  rate: 10,
});

/** A runner that starts a drill and keeps it running until `end()`. */
class FakeRunner implements DrillStarter {
  started: string[] = [];
  private onEnd: (() => void) | null = null;
  fail: Error | null = null;

  async start(p: DrillPlan, onEnd: () => void): Promise<DrillReport> {
    await new Promise((r) => setTimeout(r, 5));
    if (this.fail) throw this.fail;
    const id = `d${this.started.length + 1}`;
    this.started.push(id);
    this.onEnd = onEnd;
    return { id, topic: p.topic } as DrillReport;
  }

  end(): void {
    this.onEnd?.();
  }
}

const setup = () => {
  const gateway = new FakeGateway({
    brokers: [1, 2, 3],
    controller: 101,
    topics: [
      topic("orders", [partition(0, 1, [1, 2, 3])]),
      topic("__consumer_offsets", [partition(0, 1, [1, 2, 3])], true),
    ],
  });
  return fakeContext(gateway, new FakeSupervisor([{ id: 1 }, { id: 2 }, { id: 3 }]));
};

describe("starting a drill", () => {
  it("runs exactly one of two drills asked at once; the other answers busy naming it", async () => {
    const ctx = setup();
    const runner = new FakeRunner();
    const [a, b] = await Promise.allSettled([
      startDrill(ctx, runner, plan("orders")),
      startDrill(ctx, runner, plan("orders")),
    ]);
    expect(runner.started).toEqual(["d1"]);
    expect([a.status, b.status].sort()).toEqual(["fulfilled", "rejected"]);
    const refused = (a.status === "rejected" ? a : (b as PromiseRejectedResult)).reason;
    expect(refused).toMatchObject({ code: "busy", status: 409 });
    expect(ctx.lock.holder).toMatch(/^drill d1 on topic orders since/);
    runner.end();
    expect(ctx.lock.holder).toBeNull();
    await startDrill(ctx, runner, plan("orders"));
    expect(runner.started).toEqual(["d1", "d2"]);
  });

  it("makes a broker stop wait its turn: busy while the drill runs", async () => {
    const ctx = setup();
    const runner = new FakeRunner();
    await startDrill(ctx, runner, plan("orders"));
    await expect(stopBroker(ctx, 2, "graceful")).rejects.toMatchObject({
      code: "busy",
      message: expect.stringContaining("drill d1 on topic orders since"),
    });
    expect((ctx.supervisor as FakeSupervisor).calls).toEqual([]);
    runner.end();
  });

  it("refuses an internal topic and frees the lock", async () => {
    const ctx = setup();
    const runner = new FakeRunner();
    await expect(startDrill(ctx, runner, plan("__consumer_offsets"))).rejects.toMatchObject({
      code: "internal_topic",
    });
    expect(runner.started).toEqual([]);
    expect(ctx.lock.holder).toBeNull();
  });

  it("frees the lock when the runner refuses to start", async () => {
    const ctx = setup();
    const runner = new FakeRunner();
    runner.fail = new Error("no");
    await expect(startDrill(ctx, runner, plan("orders"))).rejects.toThrow("no");
    await expect(startDrill(ctx, runner, plan("nope"))).rejects.toMatchObject({ code: "topic_not_found" });
    expect(ctx.lock.holder).toBeNull();
  });
});
