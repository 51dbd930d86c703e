import { describe, expect, it } from "vitest";
import { ClusterLock } from "./cluster-lock";

describe("cluster lock", () => {
  it("refuses a second taker with 409 busy naming the holder and since when", () => {
    const lock = new ClusterLock("local");
    const release = lock.tryAcquire("drill d1 on topic orders");
    expect(lock.holder).toMatch(/^drill d1 on topic orders since \d{4}-\d\d-\d\dT/);
    let refused: unknown;
    try {
      lock.tryAcquire("a graceful stop of broker 2");
    } catch (err) {
      refused = err;
    }
    expect(refused).toMatchObject({ code: "busy", status: 409 });
    expect((refused as Error).message).toContain('Cluster "local" is busy: drill d1 on topic orders since');
    release();
    expect(lock.holder).toBeNull();
    lock.tryAcquire("a graceful stop of broker 2")();
  });

  it("describes a holder that fills in later, and ignores a stale release", () => {
    const lock = new ClusterLock("local");
    let id: string | null = null;
    const release = lock.tryAcquire(() => (id ? `drill ${id}` : "a drill (starting)"));
    expect(lock.holder).toMatch(/^a drill \(starting\) since/);
    id = "d2";
    expect(lock.holder).toMatch(/^drill d2 since/);
    release();
    const second = lock.tryAcquire("next");
    release(); // the first lease's release again: must not free the second holder's lock
    expect(lock.holder).toMatch(/^next since/);
    second();
  });

  it("releases after run(), whether fn returns or throws", async () => {
    const lock = new ClusterLock("local");
    expect(await lock.run("one", () => 1)).toBe(1);
    await expect(
      lock.run("two", () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(lock.holder).toBeNull();
  });
});
