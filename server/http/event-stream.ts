import "server-only";
import { httpErrorOf } from "../errors";
import { logger } from "../logger";
import { SSE_HEADERS } from "./sse";

const encoder = new TextEncoder();

export interface EventSink {
  /** Queues one Server-Sent Event; resolves once the client has room for more (backpressure). */
  send(event: string, data: unknown): Promise<void>;
  /** Aborted when the client goes away (or the server closes the stream). */
  signal: AbortSignal;
}

/** Events queued for a slow client before `send` waits. */
const HIGH_WATER = 64;

/**
 * A `text/event-stream` response driven by `run`: each `send` is one event; `send` waits while
 * the client has not read the last 64, so a slow browser slows the producer down instead of
 * filling the server's memory. When the client closes the request (`requestSignal`) or cancels the
 * body, `signal` aborts and `run` stops at its next await. An error `run` throws is sent as an
 * `error` event `{code, message}`, then the stream ends. `onClose` runs once, however it ends.
 */
export function eventStreamResponse(
  requestSignal: AbortSignal,
  run: (sink: EventSink) => Promise<void>,
  onClose?: () => void,
): Response {
  const abort = new AbortController();
  let closed = false;
  let wake: (() => void) | null = null;
  const finish = () => {
    if (closed) return;
    closed = true;
    abort.abort();
    wake?.();
    onClose?.();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const enqueue = (text: string) => {
          if (closed) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            finish();
          }
        };
        const sink: EventSink = {
          signal: abort.signal,
          async send(event, data) {
            enqueue(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
            while (!closed && (controller.desiredSize ?? 1) <= 0)
              await new Promise<void>((resolve) => {
                wake = resolve;
              });
          },
        };
        if (requestSignal.aborted) finish();
        requestSignal.addEventListener("abort", finish, { once: true });
        enqueue("retry: 3600000\n\n");
        void run(sink)
          .catch((err: unknown) => {
            if (abort.signal.aborted) return;
            const known = httpErrorOf(err);
            if (!known) logger.error({ err: err instanceof Error ? err.message : String(err) }, "event stream failed");
            enqueue(
              `event: error\ndata: ${JSON.stringify(
                known
                  ? { code: known.code, message: known.message }
                  : { code: "internal", message: "The stream failed inside Quorum; the server log has the details." },
              )}\n\n`,
            );
          })
          .finally(() => {
            const wasClosed = closed;
            finish();
            if (!wasClosed)
              try {
                controller.close();
              } catch {
                // the client closed it already
              }
          });
      },
      pull() {
        const w = wake;
        wake = null;
        w?.();
      },
      cancel() {
        finish();
      },
    },
    { highWaterMark: HIGH_WATER, size: () => 1 },
  );
  return new Response(stream, { headers: SSE_HEADERS });
}
