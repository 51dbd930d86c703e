import { parseEventId } from "@/lib/event-id";

export interface SseMessage {
  event: string;
  id: string | null;
  data: unknown;
}

/**
 * A raw Server-Sent Events reader over a fetch Response: no EventSource, no polling. `next`
 * waits for the first message matching a predicate; everything read is kept in `seen`, and
 * `onMessage` sees each as it arrives.
 */
export function readSse(res: Response, onMessage?: (m: SseMessage) => void) {
  if (!res.body) throw new Error("no body");
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const seen: SseMessage[] = [];
  let buffer = "";
  let waiters: { match: (m: SseMessage) => boolean; resolve: (m: SseMessage) => void }[] = [];
  let done = false;

  const pump = (async () => {
    for (;;) {
      const { value, done: end } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (end) break;
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf("\n\n");
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf("\n\n");
        let event = "message";
        let id: string | null = null;
        let data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event: ")) event = line.slice(7);
          else if (line.startsWith("id: ")) id = line.slice(4);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        if (!data) continue;
        const msg = { event, id, data: JSON.parse(data) as unknown };
        seen.push(msg);
        onMessage?.(msg);
        waiters = waiters.filter((w) => {
          if (!w.match(msg)) return true;
          w.resolve(msg);
          return false;
        });
      }
    }
    done = true;
  })();

  return {
    seen,
    get done() {
      return done;
    },
    next(match: (m: SseMessage) => boolean, timeoutMs = 30_000): Promise<SseMessage> {
      const found = seen.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          match,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    async close() {
      await reader.cancel().catch(() => {});
      await pump;
    },
  };
}

/** The run-local number of an SSE id `<epoch>-<n>`; throws for anything else. */
export function eventSeq(id: string | null): number {
  const parsed = id === null ? null : parseEventId(id);
  if (!parsed) throw new Error(`not an event id: ${id}`);
  return parsed.seq;
}
