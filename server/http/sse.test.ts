import { describe, expect, it } from "vitest";
import type { ClusterEvent } from "@/lib/types";
import { ClusterMonitor, DEFAULT_MONITOR_OPTIONS, type Watched } from "../monitor/monitor";
import { eventStream } from "./sse";
import { withRoute } from "./with-route";

const idle: Watched = { id: "lab", snapshot: async () => null, brokerStatuses: () => [] };

describe("eventStream", () => {
  it("answers 503 too_many_subscribers instead of a stream past the cap, and frees the place on abort", async () => {
    const monitor = new ClusterMonitor(idle, { ...DEFAULT_MONITOR_OPTIONS, maxStreams: 1, epoch: "e" });
    const route = withRoute((req) =>
      eventStream(monitor, { lastEventId: null, heartbeatMs: 60_000, signal: req.signal }),
    );
    const ctx = { params: Promise.resolve({}) };
    const first = new AbortController();
    const open = await route(new Request("http://x/events", { signal: first.signal }), ctx);
    expect(open.headers.get("content-type")).toContain("text/event-stream");

    const refused = await route(new Request("http://x/events"), ctx);
    expect(refused.status).toBe(503);
    expect((await refused.json()).error.code).toBe("too_many_subscribers");

    first.abort();
    const again = await route(new Request("http://x/events", { signal: AbortSignal.timeout(1000) }), ctx);
    expect(again.status).toBe(200);
    await again.body?.cancel();
    monitor.stop();
    expect(monitor.status().streams).toBe(0);
  });

  it("sends what was written in one turn as one chunk, in order, and each later turn as its own", async () => {
    let listener: (e: ClusterEvent) => void = () => {};
    const monitor = {
      lastEventId: "e-0",
      since: () => [],
      subscribeStream: (l: (e: ClusterEvent) => void) => {
        listener = l;
        return () => {};
      },
    } as unknown as ClusterMonitor;
    const abort = new AbortController();
    const res = eventStream(monitor, { lastEventId: null, heartbeatMs: 60_000, signal: abort.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const chunk = async () => decoder.decode((await reader.read()).value);
    const event = (n: number) =>
      ({
        type: "leader-changed",
        id: `e-${n}`,
        ts: n,
        cluster: "lab",
        topic: "t",
        partition: n,
      }) as unknown as ClusterEvent;

    const opening = await chunk();
    expect(opening).toMatch(/^retry: 1000\n\nevent: hello\n/);
    for (let n = 1; n <= 5000; n++) listener(event(n));
    await new Promise((resolve) => setImmediate(resolve));
    listener(event(5001));
    const burst = await chunk();
    const ids = [...burst.matchAll(/^id: e-(\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
    expect(await chunk()).toMatch(/^event: leader-changed\nid: e-5001\n/);
    abort.abort();
  });

  it("ends the stream at the first heartbeat after the caller may no longer listen", async () => {
    let unsubscribed = false;
    const monitor = {
      lastEventId: "e-0",
      since: () => [],
      subscribeStream: () => () => {
        unsubscribed = true;
      },
    } as unknown as ClusterMonitor;
    let asked = 0;
    const res = eventStream(monitor, {
      lastEventId: null,
      heartbeatMs: 20,
      signal: new AbortController().signal,
      stillAllowed: async () => ++asked < 3,
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let heartbeats = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      heartbeats += (new TextDecoder().decode(value).match(/event: heartbeat/g) ?? []).length;
    }
    expect(asked).toBe(3);
    expect(heartbeats).toBe(3);
    expect(unsubscribed).toBe(true);
  });
});
