import { describe, expect, it } from "vitest";
import { fakeContext } from "@/test/fakes/cluster";
import { groupsCluster as cluster } from "@/test/fakes/groups";
import { deleteRecords } from "./record-commands";

describe("delete records", () => {
  it("previews and deletes records; refuses internal topics and offsets past the end", async () => {
    const gateway = cluster();
    const ctx = fakeContext(gateway);
    const preview = await deleteRecords(ctx, "orders", { partitions: [{ partition: 0, offset: 20 }] });
    expect(preview).toMatchObject({ executed: false, partitions: [{ beforeOffset: 10, logStartOffset: 20 }] });
    expect(gateway.calls.filter((c) => c.op === "deleteRecords")).toEqual([]);
    const done = await deleteRecords(ctx, "orders", { partitions: [{ partition: 0, offset: 20 }], execute: true });
    expect(done.partitions[0]?.logStartOffset).toBe(20);
    await expect(
      deleteRecords(ctx, "__consumer_offsets", { partitions: [{ partition: 0, offset: 1 }], execute: true }),
    ).rejects.toMatchObject({ code: "internal_topic" });
    await expect(
      deleteRecords(ctx, "orders", { partitions: [{ partition: 1, offset: 21 }], execute: true }),
    ).rejects.toMatchObject({ code: "validation_failed", message: /ends at offset 20/ });
  });
});
