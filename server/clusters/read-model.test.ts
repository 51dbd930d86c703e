import { describe, expect, it } from "vitest";
import { FakeGateway, FakeSupervisor, fakeContext, partition, topic } from "@/test/fakes/cluster";

const gateway = () =>
  new FakeGateway({ brokers: [1], controller: 101, topics: [topic("orders", [partition(0, 1, [1, 2], [1])])] });

describe("a cluster's summary", () => {
  it("says why the lab's last start failed, with one of its brokers up (degraded, not unreachable)", async () => {
    const supervisor = new FakeSupervisor([{ id: 1 }, { id: 2, status: "down" }]);
    supervisor.startError = "broker 2 ended while starting (exit code 1): 127.0.0.1:9093 is held by another process";
    const summary = await fakeContext(gateway(), supervisor).read.summary();
    expect(summary.status).toBe("degraded");
    expect(summary.message).toBe(supervisor.startError);
  });

  it("says nothing of an old start failure once the lab is whole again", async () => {
    const supervisor = new FakeSupervisor([{ id: 1 }]);
    supervisor.startError = "broker 1 ended while starting (exit code 1)";
    const gw = new FakeGateway({ brokers: [1], controller: 101, topics: [topic("orders", [partition(0, 1, [1])])] });
    const summary = await fakeContext(gw, supervisor).read.summary();
    expect(summary.status).toBe("ok");
    expect(summary).not.toHaveProperty("message");
  });

  it("says nothing more of a degraded lab whose start went well", async () => {
    const supervisor = new FakeSupervisor([{ id: 1 }, { id: 2, status: "down" }]);
    const summary = await fakeContext(gateway(), supervisor).read.summary();
    expect(summary.status).toBe("degraded");
    expect(summary).not.toHaveProperty("message");
  });
});
