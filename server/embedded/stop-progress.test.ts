import { describe, expect, it } from "vitest";
import {
  beginStop,
  describeStop,
  hardExitReason,
  logLineKey,
  NewLineCounter,
  observeStop,
  STOP_CEILING_MS,
  STOP_HARD_EXIT_MS,
  STOP_HARD_IDLE_MS,
  type StopLimits,
  type StopObservation,
  type StopProgress,
  stopVerdict,
} from "./stop-progress";

const limits: StopLimits = { idleMs: 15_000, ceilingMs: 300_000, busyCpuShare: 0.1 };

/** Feeds one observation a second from t=1 s to t=`seconds` s; `at(s)` says what the node did. */
function run(seconds: number, at: (s: number) => { lines?: number; cpuMs?: number | null }): StopProgress {
  let state = beginStop(0);
  let cpu = 0;
  for (let s = 1; s <= seconds; s++) {
    const { lines = 0, cpuMs = 0 } = at(s);
    cpu = cpuMs === null ? cpu : cpu + cpuMs;
    const obs: StopObservation = { at: s * 1000, newLogLines: lines, cpuMs: [cpuMs === null ? null : cpu] };
    state = observeStop(state, obs, limits);
  }
  return state;
}

describe("stopVerdict", () => {
  it("waits while the node keeps writing new log lines, far past the old fixed 30 s", () => {
    const state = run(120, () => ({ lines: 3 }));
    expect(stopVerdict(state, 120_000, limits)).toEqual({ kill: false });
    expect(state.lastProgressAt).toBe(120_000);
  });

  it("waits while the node is busy on the CPU even when it writes nothing", () => {
    const state = run(60, () => ({ cpuMs: 400 }));
    expect(stopVerdict(state, 60_000, limits)).toEqual({ kill: false });
  });

  it("gives up after the idle limit without progress, not before", () => {
    // Busy for 10 s, then idle: a trickle of CPU (heartbeats) is not work.
    const state = run(40, (s) => (s <= 10 ? { lines: 5, cpuMs: 500 } : { cpuMs: 20 }));
    expect(state.lastProgressAt).toBe(10_000);
    expect(stopVerdict(state, 24_999, limits)).toEqual({ kill: false });
    const verdict = stopVerdict(state, 25_000, limits);
    expect(verdict.kill).toBe(true);
    if (verdict.kill) expect(verdict.reason).toBe("no progress for 15 s");
  });

  it("gives up at the ceiling even while the node shows progress", () => {
    const state = run(300, () => ({ lines: 1 }));
    expect(stopVerdict(state, 299_999, limits)).toEqual({ kill: false });
    const verdict = stopVerdict(state, 300_000, limits);
    expect(verdict).toEqual({ kill: true, reason: "still not stopped after 300 s" });
  });

  it("counts a busy controller as progress of the broker whose controlled shutdown it carries out", () => {
    let state = beginStop(0);
    for (let s = 1; s <= 30; s++)
      state = observeStop(state, { at: s * 1000, newLogLines: 0, cpuMs: [s * 20, s * 600] }, limits);
    expect(stopVerdict(state, 30_000, limits)).toEqual({ kill: false });
    expect(state.cpuMs).toBe(29 * 20);
    // The same quiet broker with an idle controller is given up.
    let idle = beginStop(0);
    for (let s = 1; s <= 30; s++)
      idle = observeStop(idle, { at: s * 1000, newLogLines: 0, cpuMs: [s * 20, s * 20] }, limits);
    expect(stopVerdict(idle, 30_000, limits).kill).toBe(true);
  });

  it("without readable CPU times, judges by the log alone", () => {
    const state = run(20, (s) => ({ cpuMs: null, lines: s <= 3 ? 2 : 0 }));
    expect(state.lastProgressAt).toBe(3_000);
    expect(stopVerdict(state, 17_999, limits).kill).toBe(false);
    expect(stopVerdict(state, 18_000, limits).kill).toBe(true);
  });

  it("a node that never shows anything is killed after the idle limit from the start", () => {
    const state = run(15, () => ({}));
    expect(stopVerdict(state, 14_999, limits).kill).toBe(false);
    expect(stopVerdict(state, 15_000, limits).kill).toBe(true);
  });

  it("the report says how long, how much and how recently", () => {
    const state = run(12, (s) => (s <= 4 ? { lines: 10, cpuMs: 500 } : {}));
    expect(describeStop(state, 12_000)).toBe("12 s so far, 40 new log line(s), 2 s CPU, last progress 8 s ago");
  });
});

describe("NewLineCounter", () => {
  it("counts a line repeated with new timestamps once: a retry loop is not progress", () => {
    const counter = new NewLineCounter();
    const retry = (t: string) =>
      `[2026-11-25 14:13:3${t},101] WARN [RaftManager id=1] Connection to node 101 (/127.0.0.1:39117) could not be established. (org.apache.kafka.clients.NetworkClient)`;
    expect(counter.count([retry("1"), "[2026-11-25 14:13:31,200] INFO [LogManager] Shutting down. (x)"])).toBe(2);
    expect(counter.count([retry("2"), retry("3")])).toBe(0);
    expect(counter.count(["[2026-11-25 14:13:34,000] INFO [LogManager] Closing log t-7 (x)", ""])).toBe(1);
  });

  it("keeps counting new lines once it stops remembering", () => {
    const counter = new NewLineCounter(2);
    expect(counter.count(["a", "b", "c"])).toBe(3);
    expect(counter.count(["a", "c"])).toBe(1);
  });
});

describe("logLineKey", () => {
  it("drops log4j's timestamp and nothing else", () => {
    expect(logLineKey("[2026-11-25 14:13:33,155] INFO [BrokerServer id=1] done (kafka.server.BrokerServer)")).toBe(
      "INFO [BrokerServer id=1] done (kafka.server.BrokerServer)",
    );
    expect(logLineKey("[quorum] parent process is gone")).toBe("[quorum] parent process is gone");
  });
});

describe("disk writes as progress", () => {
  const disk: StopLimits = { ...limits, busyDiskBytesPerSec: 64 * 1024 };

  /** A node silent in its log and nearly idle on the CPU, writing `bytesPerSec` to storage, `logBytesPerSec` of it its log. */
  function writing(seconds: number, bytesPerSec: number, logBytesPerSec = 0, using = disk): StopProgress {
    let state = beginStop(0);
    for (let s = 1; s <= seconds; s++) {
      state = observeStop(
        state,
        { at: s * 1000, newLogLines: 0, cpuMs: [s * 20], diskBytes: [s * bytesPerSec], logBytes: logBytesPerSec },
        using,
      );
    }
    return state;
  }

  it("waits for a node that writes to storage without logging or using the CPU (closing thousands of logs)", () => {
    const state = writing(60, 1024 * 1024);
    expect(stopVerdict(state, 60_000, disk)).toEqual({ kill: false });
    expect(state.diskBytes).toBe(59 * 1024 * 1024);
    expect(describeStop(state, 60_000)).toBe(
      "60 s so far, 0 new log line(s), 1 s CPU, 59.0 MB written, last progress 0 s ago",
    );
  });

  it("does not count the node's own log output, nor a trickle of writes", () => {
    // Repeating the same line: its bytes reach the disk but are only its log.
    expect(stopVerdict(writing(20, 200 * 1024, 200 * 1024), 20_000, disk).kill).toBe(true);
    expect(stopVerdict(writing(20, 16 * 1024), 20_000, disk).kill).toBe(true);
  });

  it("ignores disk writes when the limits do not ask for them, and unreadable counters", () => {
    let state = beginStop(0);
    for (let s = 1; s <= 20; s++)
      state = observeStop(state, { at: s * 1000, newLogLines: 0, cpuMs: [null], diskBytes: [null] }, disk);
    expect(stopVerdict(state, 20_000, disk).kill).toBe(true);
    // Limits without a disk threshold (the tests' own): the same busy writer counts for nothing.
    expect(stopVerdict(writing(20, 1024 * 1024, 0, limits), 20_000, limits).kill).toBe(true);
  });
});

describe("hardExitReason (Quorum's own stop)", () => {
  it("never exits while the nodes keep showing progress, up to the absolute limit past two node ceilings", () => {
    expect(STOP_HARD_EXIT_MS).toBeGreaterThan(2 * STOP_CEILING_MS);
    // Ten minutes of a stop whose nodes showed progress a second ago.
    for (let t = 0; t < STOP_HARD_EXIT_MS; t += 30_000) expect(hardExitReason(0, Math.max(0, t - 1_000), t)).toBeNull();
    expect(hardExitReason(0, STOP_HARD_EXIT_MS - 1_000, STOP_HARD_EXIT_MS)).toBe(
      `still stopping after ${STOP_HARD_EXIT_MS / 1000} s`,
    );
  });

  it("exits once nothing moved for the hard idle limit, counted from the stop's start when no node stop began", () => {
    expect(hardExitReason(1_000, null, 1_000 + STOP_HARD_IDLE_MS - 1)).toBeNull();
    expect(hardExitReason(1_000, null, 1_000 + STOP_HARD_IDLE_MS)).toBe(
      `no progress for ${STOP_HARD_IDLE_MS / 1000} s`,
    );
    expect(hardExitReason(0, 100_000, 100_000 + STOP_HARD_IDLE_MS - 1)).toBeNull();
    expect(hardExitReason(0, 100_000, 100_000 + STOP_HARD_IDLE_MS)).not.toBeNull();
  });
});
