import { describe, expect, it } from "vitest";
import { FakeGateway, fakeContext, partition, topic } from "@/test/fakes/cluster";
import { electPreferredLeaders } from "./leader-commands";

const cluster = () =>
  new FakeGateway({
    brokers: [1, 2, 3],
    controller: 101,
    topics: [
      topic("orders", [partition(0, 2, [1, 2]), partition(1, 2, [2, 3]), partition(2, -1, [3, 1], [])]),
      topic("__consumer_offsets", [partition(0, 3, [1, 3])], true),
    ],
  });

/** The partitions the election asked Kafka about. */
const askedOf = (gateway: FakeGateway) => [...((gateway.calls[0]?.args[0] as Map<string, number[]>) ?? [])];

describe("preferred leader election", () => {
  it("asks Kafka about every partition of the cluster by name and reports each outcome", async () => {
    const gateway = cluster();
    gateway.electAnswer = (asked) =>
      [...asked].flatMap(([t, ps]) =>
        ps.map((p) => {
          const part = gateway.state.topics.find((x) => x.name === t)?.partitions[p];
          if (part?.leader === -1)
            return { topic: t, partition: p, outcome: "failed" as const, error: "PREFERRED_LEADER_NOT_AVAILABLE" };
          if (part?.leader === part?.replicas[0])
            return { topic: t, partition: p, outcome: "already" as const, error: null };
          return { topic: t, partition: p, outcome: "elected" as const, error: null };
        }),
      );
    const report = await electPreferredLeaders(fakeContext(gateway));
    expect(askedOf(gateway)).toEqual([
      ["orders", [0, 1, 2]],
      ["__consumer_offsets", [0]],
    ]);
    expect(report).toMatchObject({ elected: 2, already: 1, failed: 1 });
    expect(report.results.map((r) => `${r.topic}-${r.partition}:${r.outcome}`)).toEqual([
      "__consumer_offsets-0:elected",
      "orders-0:elected",
      "orders-1:already",
      "orders-2:failed",
    ]);
  });

  it("reports a partition Kafka's answer leaves out as failed, not as nothing", async () => {
    const gateway = cluster();
    gateway.electAnswer = () => [{ topic: "orders", partition: 0, outcome: "elected", error: null }];
    const report = await electPreferredLeaders(fakeContext(gateway), "orders");
    expect(askedOf(gateway)).toEqual([["orders", [0, 1, 2]]]);
    expect(report).toMatchObject({ elected: 1, already: 0, failed: 2 });
    expect(report.results[1]).toMatchObject({
      partition: 1,
      outcome: "failed",
      error: expect.stringMatching(/answer/),
    });
  });

  it("answers 404 for an unknown topic without asking Kafka", async () => {
    const gateway = cluster();
    await expect(electPreferredLeaders(fakeContext(gateway), "nope")).rejects.toMatchObject({
      code: "topic_not_found",
    });
    expect(gateway.calls).toEqual([]);
  });
});
