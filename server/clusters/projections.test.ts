import { describe, expect, it } from "vitest";
import { FakeGateway, FakeSupervisor, fakeContext } from "@/test/fakes/cluster";

describe("isController", () => {
  it("is true only for a broker that is the active KRaft controller (combined mode)", async () => {
    const gateway = new FakeGateway({ brokers: [1, 2, 3], controller: 2, topics: [] });
    const brokers = await fakeContext(gateway).read.brokers();
    expect(brokers.map((b) => [b.id, b.isController])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
  });

  it("is false for every broker when the controller is a dedicated node", async () => {
    const gateway = new FakeGateway({ brokers: [1, 2, 3], controller: 101, topics: [] });
    const ctx = fakeContext(gateway, new FakeSupervisor([{ id: 1 }, { id: 2 }, { id: 3 }]));
    const brokers = await ctx.read.brokers();
    expect(brokers).toHaveLength(3);
    expect(brokers.some((b) => b.isController)).toBe(false);
  });
});
