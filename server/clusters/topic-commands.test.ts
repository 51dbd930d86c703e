import { describe, expect, it } from "vitest";
import { FakeGateway, fakeContext, partition, topic } from "@/test/fakes/cluster";
import { addPartitions, alterTopicConfigs, deleteTopic } from "./topic-commands";

const cluster = () =>
  new FakeGateway({
    brokers: [1, 2, 3],
    controller: 101,
    topics: [
      topic("orders", [partition(0, 1, [1, 2])]),
      topic("__consumer_offsets", [partition(0, 1, [1, 2, 3])], true),
      // Not flagged internal by the metadata, but named like Kafka's own topics.
      topic("__share_group_state", [partition(0, 2, [2, 3])], false),
    ],
  });

describe("internal topics", () => {
  it.each(["__consumer_offsets", "__share_group_state"])("refuses to add partitions to %s", async (name) => {
    const gateway = cluster();
    const err = await addPartitions(fakeContext(gateway), name, 60).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "internal_topic", status: 409 });
    expect(gateway.calls).toEqual([]);
  });

  it("says why adding partitions to __consumer_offsets is refused", async () => {
    await expect(addPartitions(fakeContext(cluster()), "__consumer_offsets", 60)).rejects.toThrow(
      /re-hashes every consumer group to another coordinator partition, orphaning its committed offsets/,
    );
  });

  it("refuses config changes and deletion", async () => {
    const gateway = cluster();
    const ctx = fakeContext(gateway);
    await expect(alterTopicConfigs(ctx, "__consumer_offsets", { "cleanup.policy": "delete" })).rejects.toMatchObject({
      code: "internal_topic",
      message: expect.stringContaining("cleanup.policy=delete"),
    });
    await expect(deleteTopic(ctx, "__consumer_offsets")).rejects.toMatchObject({ code: "internal_topic" });
    expect(gateway.calls).toEqual([]);
  });

  it("still answers 404 for an unknown topic and changes an ordinary one", async () => {
    const gateway = cluster();
    const ctx = fakeContext(gateway);
    await expect(addPartitions(ctx, "__nope", 3)).rejects.toMatchObject({ code: "topic_not_found" });
    const summary = await addPartitions(ctx, "orders", 3);
    expect(summary).toMatchObject({ name: "orders", partitions: 3 });
    expect(gateway.calls).toEqual([{ op: "createPartitions", args: ["orders", 3] }]);
  });
});
