import { describe, expect, it } from "vitest";
import type { ClusterEvent } from "@/lib/types";
import { httpErrorOf } from "../errors";
import type { ClusterMetadata } from "../kafka/metadata";
import type { ClusterSnapshot } from "../kafka/snapshot";
import { ClusterMonitor, DEFAULT_MONITOR_OPTIONS, LOOK_PAUSE_FACTOR, type Watched } from "./monitor";

const snapshot: ClusterSnapshot = {
  takenAt: 0,
  durationMs: 0,
  requests: 0,
  clusterId: null,
  brokers: [],
  quorum: null,
  topics: [],
  groups: [],
  errors: [],
  complete: true,
  partial: { metadata: false, offsets: false, groups: false, quorum: false, elr: false },
};

/** A cluster that is alternately reachable and not: every tick after the first is one event. */
function flapping(): Watched {
  let n = 0;
  return {
    id: "lab",
    snapshot: async () => (n++ % 2 === 0 ? snapshot : null),
    brokerStatuses: () => [],
  };
}

const fast = { ...DEFAULT_MONITOR_OPTIONS, intervalMs: 1, fastIntervalMs: 1, idleIntervalMs: 1 };

/** A monitor of run `epoch` that has emitted `count` events, stopped. */
async function monitorWith(epoch: string, count: number, maxStreams = 100): Promise<ClusterMonitor> {
  const monitor = new ClusterMonitor(flapping(), { ...fast, epoch, maxStreams });
  const seen: ClusterEvent[] = [];
  await new Promise<void>((resolve) => {
    const off = monitor.subscribe((e) => {
      seen.push(e);
      if (seen.length === count) {
        off();
        monitor.stop();
        resolve();
      }
    });
  });
  return monitor;
}

describe("event ids", () => {
  it("are <epoch>-<n>, counting from 1 in each run", async () => {
    const monitor = await monitorWith("k2f9a1", 3);
    expect(monitor.recent(10).map((e) => e.id)).toEqual(["k2f9a1-1", "k2f9a1-2", "k2f9a1-3"]);
    expect(monitor.lastEventId).toBe("k2f9a1-3");
    expect(new ClusterMonitor(flapping(), { ...fast, epoch: "x" }).lastEventId).toBe("x-0");
  });

  it("default to an epoch of the monitor's start time in base36", () => {
    const before = Date.now();
    const epoch = Number.parseInt(new ClusterMonitor(flapping()).epoch, 36);
    expect(epoch).toBeGreaterThanOrEqual(before);
    expect(epoch).toBeLessThanOrEqual(Date.now());
  });

  it("resume exactly after an id of the same run", async () => {
    const monitor = await monitorWith("run1", 5);
    expect(monitor.since("run1-2").map((e) => e.id)).toEqual(["run1-3", "run1-4", "run1-5"]);
    expect(monitor.since("run1-5")).toEqual([]);
  });

  it("replay the whole ring for an id of an earlier run: a browser loses nothing across a restart", async () => {
    const before = await monitorWith("run1", 7);
    const lastSeen = before.lastEventId; // what the browser holds when the server restarts
    const after = await monitorWith("run2", 3); // the new run has seen only 3 events so far
    expect(after.since(lastSeen).map((e) => e.id)).toEqual(["run2-1", "run2-2", "run2-3"]);
  });

  it("treat a bare number of an older version as another run's id", async () => {
    const monitor = await monitorWith("run2", 2);
    expect(monitor.since("1").map((e) => e.id)).toEqual(["run2-1", "run2-2"]);
  });
});

describe("event stream cap", () => {
  it("refuses the stream past maxStreams with 503 too_many_subscribers, and counts releases once", () => {
    const monitor = new ClusterMonitor(flapping(), { ...fast, maxStreams: 2 });
    const offA = monitor.subscribeStream(() => {});
    const offB = monitor.subscribeStream(() => {});
    const internal = monitor.subscribe(() => {}); // a drill's listener is not a stream
    let refused: unknown = null;
    try {
      monitor.subscribeStream(() => {});
    } catch (err) {
      refused = err;
    }
    expect(httpErrorOf(refused)).toMatchObject({ status: 503, code: "too_many_subscribers" });
    expect(monitor.status()).toMatchObject({ streams: 2, maxStreams: 2, subscribers: 3 });

    offA();
    offA();
    expect(monitor.status().streams).toBe(1);
    const offC = monitor.subscribeStream(() => {});
    expect(() => monitor.subscribeStream(() => {})).toThrow(/already serves 2 event streams/);
    offB();
    offC();
    internal();
    expect(monitor.status()).toMatchObject({ streams: 0, subscribers: 0 });
    monitor.stop();
  });
});

describe("close (a removed cluster)", () => {
  it("ends every event stream, drops listeners, and cannot be started or subscribed again", async () => {
    let ticks = 0;
    const cluster: Watched = {
      id: "gone",
      snapshot: async () => {
        ticks++;
        return snapshot;
      },
      brokerStatuses: () => [],
    };
    const monitor = new ClusterMonitor(cluster, { ...fast, epoch: "c" });
    const closed: string[] = [];
    monitor.subscribeStream(
      () => {},
      () => closed.push("a"),
    );
    const offB = monitor.subscribeStream(
      () => {},
      () => closed.push("b"),
    );
    offB(); // a stream its client already closed is not closed again
    monitor.close();
    expect(closed).toEqual(["a"]);
    expect(monitor.status().subscribers).toBe(0);
    const after = ticks;
    monitor.start();
    monitor.subscribe(() => {});
    await new Promise((r) => setTimeout(r, 30));
    expect(ticks).toBe(after);
    expect(httpErrorOf(captureError(() => monitor.subscribeStream(() => {})))).toMatchObject({
      status: 404,
      code: "cluster_not_found",
    });
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return null;
}

describe("step: a stopped monitor driven look by look", () => {
  const topicAt = (topicId: string, leader: number, leaderEpoch: number): ClusterSnapshot["topics"][number] => ({
    name: "orders",
    topicId,
    internal: false,
    partitions: [
      {
        partition: 0,
        leader,
        leaderEpoch,
        replicas: [1, 2],
        isr: [1, 2],
        offlineReplicas: [],
        elr: [],
        lastKnownElr: [],
        earliestOffset: 0,
        latestOffset: 0,
      },
    ],
  });

  /** A cluster whose snapshots are `states`, one per look. */
  const scripted = (states: ClusterSnapshot["topics"][]): Watched => {
    let n = 0;
    return {
      id: "lab",
      snapshot: async () => ({ ...snapshot, topics: states[Math.min(n++, states.length - 1)] ?? [] }),
      brokerStatuses: () => [],
    };
  };

  /** A Metadata answer asked at `askedAt` in which orders-0 is led by `leader` at `epoch`. */
  const metadataOf = (askedAt: number, leader: number, epoch: number): ClusterMetadata => {
    const t = topicAt("id-1", leader, epoch);
    return {
      from: "b1:9092",
      askedAt,
      clusterId: null,
      brokers: [],
      topics: [{ ...t, errorCode: 0, partitions: t.partitions.map((p) => ({ ...p, errorCode: 0 })) }],
    };
  };

  /** A snapshot that holds until the test releases it, and where the monitor's Metadata listener is kept. */
  const holding = () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const listener: { current: ((md: ClusterMetadata) => void) | null } = { current: null };
    const onMetadata = (l: (md: ClusterMetadata) => void) => {
      listener.current = l;
      return () => {
        listener.current = null;
      };
    };
    return { held, release: () => release(), listener, onMetadata };
  };

  it("carries topic ids and leader epochs from the snapshot into its events", async () => {
    const monitor = new ClusterMonitor(
      scripted([[topicAt("id-1", 1, 4)], [topicAt("id-1", 1, 6)], [topicAt("id-2", 2, 0)]]),
      { ...fast, epoch: "s" },
    );
    expect(await monitor.step()).toEqual([]); // the first look is the baseline
    const again = await monitor.step();
    expect(again.map(({ id, ts, cluster, ...data }) => data)).toEqual([
      { type: "leader-changed", topic: "orders", partition: 0, from: 1, to: 1, epoch: { from: 4, to: 6 } },
    ]);
    expect(again[0]?.id).toBe("s-1");
    const recreated = await monitor.step();
    expect(recreated.map((e) => e.type)).toEqual(["topic-deleted", "topic-created"]);
    expect(monitor.recent(10).map((e) => e.id)).toEqual(["s-1", "s-2", "s-3"]);
    expect(monitor.status().ticks).toBe(3);
  });

  it("tells a leader change from the Metadata answer, before the snapshot has read offsets and groups", async () => {
    const { held, release, listener, onMetadata } = holding();
    let looks = 0;
    const cluster: Watched = {
      id: "lab",
      brokerStatuses: () => [],
      onMetadata,
      snapshot: async () => {
        if (looks++ === 0) return { ...snapshot, topics: [topicAt("id-1", 1, 4)] };
        // The second snapshot: its Metadata answer names the new leader, then offsets take long.
        listener.current?.(metadataOf(performance.now(), 2, 5));
        await held;
        return { ...snapshot, topics: [topicAt("id-1", 2, 5)] };
      },
    };
    const monitor = new ClusterMonitor(cluster, { ...fast, epoch: "m" });
    const seen: ClusterEvent[] = [];
    const off = monitor.subscribe((e) => seen.push(e));
    try {
      for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(seen.map(({ id, ts, cluster, ...data }) => data)).toEqual([
        { type: "leader-changed", topic: "orders", partition: 0, from: 1, to: 2, epoch: { from: 4, to: 5 } },
      ]);
      expect(looks).toBe(2); // the second snapshot has not ended: the event came from its Metadata
      release();
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toHaveLength(1); // the full look finds the change already told
    } finally {
      off();
      monitor.stop();
      release();
    }
    expect(listener.current).toBeNull(); // stopping ends the early look
  });

  it("follows leadership with Metadata alone while a slow look is held, and never steps back to an older answer", async () => {
    const { held, release, listener, onMetadata } = holding();
    let looks = 0;
    let leader = 1;
    let epoch = 4;
    let asked = 0;
    const cluster: Watched = {
      id: "lab",
      brokerStatuses: () => [],
      onMetadata,
      metadata: async () => {
        asked++;
        listener.current?.(metadataOf(performance.now(), leader, epoch));
        return true;
      },
      snapshot: async () => {
        looks++;
        if (looks !== 2) return { ...snapshot, topics: [topicAt("id-1", leader, epoch)] };
        // The second look's snapshot read its Metadata (leader 1) before the move, then holds.
        const own = metadataOf(performance.now(), 1, 4);
        listener.current?.(own);
        await held;
        // A late copy of that same older answer arrives after the watch saw the move: no event.
        listener.current?.(own);
        return { ...snapshot, topics: [topicAt("id-1", 1, 4)] };
      },
    };
    const monitor = new ClusterMonitor(cluster, { ...fast, fastIntervalMs: 5, epoch: "w" });
    const seen: ClusterEvent[] = [];
    const off = monitor.subscribe((e) => seen.push(e));
    monitor.kick(); // an action (a broker stop): something is about to change
    try {
      for (let i = 0; i < 100 && looks < 2; i++) await new Promise((r) => setTimeout(r, 5));
      expect(seen).toEqual([]);
      // Leadership moves while the look is held: the watch's next Metadata answer tells it.
      leader = 2;
      epoch = 5;
      for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(seen.map(({ id, ts, cluster, ...data }) => data)).toEqual([
        { type: "leader-changed", topic: "orders", partition: 0, from: 1, to: 2, epoch: { from: 4, to: 5 } },
      ]);
      expect(looks).toBe(2); // the look that began before the move has not ended
      expect(asked).toBeGreaterThan(0);
      release();
      await new Promise((r) => setTimeout(r, 50));
      // Neither the late older answer nor the held look's snapshot (begun before the move) moves it back.
      expect(seen).toHaveLength(1);
    } finally {
      off();
      monitor.stop();
      release();
    }
  });

  it("asks no extra Metadata while looks are quick or nobody listens", async () => {
    let asked = 0;
    const cluster: Watched = {
      id: "lab",
      brokerStatuses: () => [],
      metadata: async () => {
        asked++;
        return true;
      },
      snapshot: async () => snapshot,
    };
    const monitor = new ClusterMonitor(cluster, { ...fast, fastIntervalMs: 50, intervalMs: 50, epoch: "q" });
    monitor.kick(); // the fast window, with nobody listening yet
    await new Promise((r) => setTimeout(r, 150));
    expect(asked).toBe(0);
    const off = monitor.subscribe(() => {});
    monitor.kick(); // the fast window, listened to, but every look is quick
    await new Promise((r) => setTimeout(r, 300));
    off();
    monitor.stop();
    expect(monitor.status().ticks).toBeGreaterThan(2);
    expect(asked).toBe(0);
  });

  it("goes from the idle pace to the listened one when a page subscribes, without looking at once", async () => {
    let looks = 0;
    const cluster: Watched = {
      id: "lab",
      brokerStatuses: () => [],
      snapshot: async () => {
        looks++;
        return snapshot;
      },
    };
    const monitor = new ClusterMonitor(cluster, { ...fast, idleIntervalMs: 60_000, intervalMs: 400, epoch: "p" });
    monitor.start();
    try {
      for (let i = 0; i < 50 && looks === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(looks).toBe(1); // the first look; the next one 60 s away while nobody listens
      const off = monitor.subscribe(() => {});
      await new Promise((r) => setTimeout(r, 40));
      expect(looks).toBe(1); // not at once, and not at the fast pace
      for (let i = 0; i < 300 && looks < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(looks).toBe(2); // at the listened pace
      off();
    } finally {
      monitor.stop();
    }
  });

  it("refuses to step a running monitor: its own ticks would interleave", async () => {
    const monitor = new ClusterMonitor(scripted([[]]), { ...fast, epoch: "r" });
    monitor.start();
    try {
      await expect(monitor.step()).rejects.toThrow(/stopped monitor only/);
    } finally {
      monitor.stop();
    }
  });
});

describe("pace", () => {
  it("pauses at least twice as long as the last look took: a slow snapshot slows the monitor, not the machine", async () => {
    const slow: Watched = {
      id: "big",
      snapshot: () => new Promise((resolve) => setTimeout(() => resolve(snapshot), 80)),
      brokerStatuses: () => [],
    };
    const monitor = new ClusterMonitor(slow, { ...fast, epoch: "p" });
    expect(monitor.status().intervalMs).toBe(1); // no look yet: the configured pace
    await monitor.step();
    // A timer of 80 ms may fire a fraction of a millisecond early by performance.now().
    expect(monitor.status().intervalMs).toBeGreaterThanOrEqual(LOOK_PAUSE_FACTOR * 79);
    expect(LOOK_PAUSE_FACTOR).toBe(2);
  });

  it("begins the next look in time to end before reads would find the last snapshot too old", async () => {
    const slow: Watched = {
      id: "big",
      readMaxAgeMs: 1000,
      snapshot: () => new Promise((resolve) => setTimeout(() => resolve(snapshot), 80)),
      brokerStatuses: () => [],
    };
    // Nobody listens: the idle pace (5 s) alone would let every read wait for a snapshot.
    const monitor = new ClusterMonitor(slow, { ...fast, idleIntervalMs: 5000, epoch: "f" });
    await monitor.step();
    const pause = monitor.status().intervalMs;
    expect(pause).toBeLessThanOrEqual(1000 - 2 * 80);
    expect(pause).toBeGreaterThanOrEqual(80); // but never looking more than half the time
  });
});

describe("the controller quorum", () => {
  it("is lost until a leader answers again: no leader yet after the loss is still lost, then regained once", async () => {
    const states: ("ok" | "lost" | "unknown")[] = ["ok", "lost", "unknown", "unknown", "ok", "ok"];
    let n = 0;
    const watched: Watched = {
      id: "lab",
      snapshot: async () => snapshot,
      brokerStatuses: () => [],
      quorumView: () => {
        const state = states[Math.min(n++, states.length - 1)] ?? "ok";
        return { state, up: state === "lost" ? 1 : 2, needed: 2 };
      },
    };
    const monitor = new ClusterMonitor(watched, { ...fast, epoch: "q" });
    const seen: ClusterEvent[] = [];
    await new Promise<void>((resolve) => {
      const off = monitor.subscribe((e) => {
        seen.push(e);
        if (e.type === "quorum-regained") {
          off();
          resolve();
        }
      });
    });
    // Let the looks after the regain pass: no second event.
    await new Promise((r) => setTimeout(r, 50));
    monitor.stop();
    expect(seen.map((e) => e.type)).toEqual(["quorum-lost", "quorum-regained"]);
    expect(seen[1]).toMatchObject({ up: 2, needed: 2 });
  });
});
