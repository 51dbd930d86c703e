import { describe, expect, it } from "vitest";
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
});
