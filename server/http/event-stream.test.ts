import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { eventStreamResponse } from "./event-stream";

async function readAll(res: Response): Promise<string> {
  return new TextDecoder().decode(await res.arrayBuffer());
}

describe("eventStreamResponse", () => {
  it("writes each event as Server-Sent Events and closes when run ends; onClose once", async () => {
    let closed = 0;
    const res = eventStreamResponse(
      new AbortController().signal,
      async (sink) => {
        await sink.send("a", { n: 1 });
        await sink.send("b", "two");
      },
      () => closed++,
    );
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(await readAll(res)).toBe('retry: 3600000\n\nevent: a\ndata: {"n":1}\n\nevent: b\ndata: "two"\n\n');
    expect(closed).toBe(1);
  });

  it("an error run throws becomes an error event with its code; internals are not sent", async () => {
    const known = eventStreamResponse(new AbortController().signal, async () => {
      throw new AppError("topic_not_found", "gone");
    });
    expect(await readAll(known)).toContain('event: error\ndata: {"code":"topic_not_found","message":"gone"}');
    const unknown = eventStreamResponse(new AbortController().signal, async () => {
      throw new Error("secret path /x/y");
    });
    const text = await readAll(unknown);
    expect(text).toContain('"code":"internal"');
    expect(text).not.toContain("secret");
  });

  it("a client that cancels the body aborts the run's signal; a slow client makes send wait", async () => {
    let sent = 0;
    let aborted = false;
    let closed = 0;
    const res = eventStreamResponse(
      new AbortController().signal,
      async (sink) => {
        sink.signal.addEventListener("abort", () => {
          aborted = true;
        });
        while (!sink.signal.aborted) {
          await sink.send("tick", sent);
          sent++;
        }
      },
      () => closed++,
    );
    await new Promise((r) => setTimeout(r, 50));
    // Nobody reads: send waits once 64 events are queued instead of queueing without end.
    // (the queue holds the retry line and 63 events; the 63rd send is the one waiting)
    expect(sent).toBe(62);
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toBe(62);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    await new Promise((r) => setTimeout(r, 10));
    expect(aborted).toBe(true);
    expect(closed).toBe(1);
  });

  it("the request's own abort (the client closed the connection) stops it too", async () => {
    const req = new AbortController();
    let stoppedAt = -1;
    eventStreamResponse(req.signal, async (sink) => {
      await new Promise((r) => sink.signal.addEventListener("abort", r));
      stoppedAt = Date.now();
    });
    req.abort();
    await new Promise((r) => setTimeout(r, 10));
    expect(stoppedAt).toBeGreaterThan(0);
  });
});
