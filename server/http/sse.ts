import "server-only";
import type { ClusterEvent } from "@/lib/types";
import type { ClusterMonitor } from "../monitor/monitor";

const encoder = new TextEncoder();

/** The headers of every Server-Sent Events answer: not cached, not transformed, not buffered by a proxy. */
export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
} as const;

export function formatEvent(e: ClusterEvent): string {
  return `event: ${e.type}\nid: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`;
}

/**
 * A Server-Sent Events response fed by the cluster monitor: first the events a client resuming
 * after `lastEventId` missed (see `ClusterMonitor.since`), then each new one as it happens, and a
 * `heartbeat` event every `heartbeatMs`. The listener is taken before the response exists, so a
 * cluster at its stream cap throws 503 `too_many_subscribers` instead of opening a stream, and it
 * is released when the client goes away, or when `stillAllowed` says the caller may no longer listen.
 */
export function eventStream(
  monitor: ClusterMonitor,
  opts: {
    lastEventId: string | null;
    heartbeatMs: number;
    signal: AbortSignal;
    /**
     * Asked at each heartbeat whether the caller may still listen (their session not ended, their
     * token not revoked): when not, the stream ends.
     */
    stillAllowed?: () => Promise<boolean>;
  },
): Response {
  let write: (text: string) => void = () => {};
  const unsubscribe = monitor.subscribeStream(
    (e) => write(formatEvent(e)),
    () => release(),
  );
  let release = () => unsubscribe();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      // What is written in one turn goes out as one chunk: a broker that led 13,000 partitions
      // stops, the monitor emits 13,000 events at once, and one chunk of them reaches the client
      // at once, where one chunk each took the stream a second and a half to pass along.
      let pending: string[] = [];
      const flush = () => {
        const text = pending.join("");
        pending = [];
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          release();
        }
      };
      write = (text: string) => {
        if (!open) return;
        if (pending.length === 0) queueMicrotask(flush);
        pending.push(text);
      };
      write(`retry: 1000\n\n`);
      write(`event: hello\ndata: ${JSON.stringify({ ts: Date.now(), lastEventId: monitor.lastEventId })}\n\n`);
      if (opts.lastEventId) for (const e of monitor.since(opts.lastEventId)) write(formatEvent(e));
      const heartbeat = setInterval(() => {
        write(`event: heartbeat\ndata: ${JSON.stringify({ ts: Date.now() })}\n\n`);
        void opts.stillAllowed?.().then(
          (ok) => ok || release(),
          () => release(),
        );
      }, opts.heartbeatMs);
      release = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        clearInterval(heartbeat);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      if (opts.signal.aborted) release();
      opts.signal.addEventListener("abort", () => release(), { once: true });
    },
    cancel() {
      release();
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
