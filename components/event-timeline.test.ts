import { createTranslator, type Messages } from "next-intl";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "@/lib/i18n/messages";
import type { ClusterEvent } from "@/lib/types";
import { describeEvent, type EventWords, formatTime } from "./event-timeline";

const meta = { id: "e-1", ts: 0, cluster: "local" };
const words = (locale: "en" | "ko"): EventWords => {
  // Messages: the catalog as next-intl's hooks type it (keys as plain strings), as the component gets it.
  return createTranslator({ locale, messages: MESSAGES[locale] as Messages, namespace: "overview.timeline.events" });
};
const en = words("en");
const ko = words("ko");

describe("describeEvent: leader changes", () => {
  it("says the same broker was re-elected when the epoch went up but the leader stayed", () => {
    const e: ClusterEvent = {
      ...meta,
      type: "leader-changed",
      topic: "orders",
      partition: 2,
      from: 3,
      to: 3,
      epoch: { from: 5, to: 7 },
    };
    expect(describeEvent(e, en)).toBe("orders-2: leader 3 re-elected (epoch 5→7)");
    expect(describeEvent(e, ko)).toBe("orders-2: leader 3 재선출 (epoch 5→7)");
  });

  it("shows a move to another broker with its epochs, and without when the cluster gives none", () => {
    const moved: ClusterEvent = { ...meta, type: "leader-changed", topic: "t", partition: 0, from: 1, to: 2 };
    expect(describeEvent(moved, en)).toBe("t-0: leader 1 → 2");
    expect(describeEvent({ ...moved, epoch: { from: 3, to: 4 } }, en)).toBe("t-0: leader 1 → 2 (epoch 3→4)");
  });

  it("names a re-created topic's two incarnations with their partition counts", () => {
    expect(describeEvent({ ...meta, type: "topic-deleted", topic: "t", partitions: 3 }, en)).toBe(
      "topic t deleted (3 partitions)",
    );
    expect(describeEvent({ ...meta, type: "topic-created", topic: "t", partitions: 2 }, en)).toBe(
      "topic t created (2 partitions)",
    );
    expect(describeEvent({ ...meta, type: "topic-created", topic: "t", partitions: 2 }, ko)).toBe(
      "토픽 t 생성(파티션 2개)",
    );
  });
});

describe("describeEvent: ids and counts as written", () => {
  it("writes broker ids and counts without digit grouping", () => {
    expect(describeEvent({ ...meta, type: "broker-down", broker: 1001 }, en)).toBe("broker 1001 is down");
    expect(describeEvent({ ...meta, type: "broker-down", broker: 1001 }, ko)).toBe("브로커 1001 다운");
  });

  it("says one partition or several as the English did, and a run's end in each language", () => {
    const run = {
      ...meta,
      run: "r1",
      status: "running" as const,
      settled: 0,
      bytes: null,
      copied: null,
      partitions: [],
    };
    expect(describeEvent({ ...run, type: "reassignment-started", total: 1 }, en)).toBe(
      "reassignment r1 started: 1 partition",
    );
    expect(describeEvent({ ...run, type: "reassignment-started", total: 1500 }, en)).toBe(
      "reassignment r1 started: 1500 partitions",
    );
    expect(describeEvent({ ...run, type: "reassignment-started", total: 3 }, ko)).toBe("재할당 r1 시작: 파티션 3개");
    const done = { ...run, type: "reassignment-finished" as const, status: "done" as const, settled: 3, total: 3 };
    expect(describeEvent(done, en)).toBe("reassignment r1 done: 3 of 3 partitions");
    expect(describeEvent(done, ko)).toBe("재할당 r1 완료: 파티션 3개 중 3개");
  });

  it("says an unknown voter count as ?", () => {
    expect(describeEvent({ ...meta, type: "quorum-lost", up: null, needed: 2 }, en)).toBe(
      "the controller quorum lost its majority (? of the 2 voters needed are up)",
    );
  });
});

describe("formatTime", () => {
  it("writes a 24-hour clock with milliseconds, midnight as 00", () => {
    const ts = new Date(2024, 0, 1, 0, 3, 5, 7).getTime();
    expect(formatTime(ts)).toBe("00:03:05.007");
    expect(formatTime(ts, "ko")).toBe("00:03:05.007");
  });
});
