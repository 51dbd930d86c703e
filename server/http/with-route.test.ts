import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ClusterService } from "../cluster-service";
import { AppError } from "../errors";
import { WireError } from "../kafka/wire-error";
import type { Quorum } from "../quorum";
import { telemetry } from "../telemetry/registry";
import { MAX_BODY_BYTES } from "./boundary";
import { readBody, readText, withRoute } from "./with-route";

const ctx = <P extends Record<string, string>>(params: P) => ({ params: Promise.resolve(params) });
const req = (body?: string) => new Request("http://x/api", { method: "POST", body });

describe("withRoute", () => {
  it("answers a handler's value as JSON with the route params", async () => {
    const handler = withRoute<{ id: string }>((_r, p) => ({ got: p.id }));
    const res = await handler(req(), ctx({ id: "7" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: "7" });
  });

  it.each([
    [new AppError("cluster_not_found", "No cluster x"), 404, "cluster_not_found"],
    [new AppError("not_controllable", "cannot"), 409, "not_controllable"],
    [new WireError("127.0.0.1:1 did not answer", "timeout"), 503, "kafka_timeout"],
    [new WireError("refused", "connection"), 503, "cluster_unavailable"],
  ])("maps %s to %i", async (err, status, code) => {
    const res = await withRoute(() => {
      throw err;
    })(req(), ctx({}));
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: { code, message: err.message } });
  });

  it("maps an error made by another bundle's copy of the error class", async () => {
    vi.resetModules();
    const copy = await import("../errors");
    expect(copy.AppError).not.toBe(AppError);
    const err = new copy.AppError("topic_not_found", "No topic t", { field: "name" });
    expect(err instanceof AppError).toBe(false);
    const res = await withRoute(() => {
      throw err;
    })(req(), ctx({}));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "topic_not_found", message: "No topic t", field: "name" } });
  });

  it("hides internals of unexpected errors behind a 500", async () => {
    const res = await withRoute(() => {
      throw new Error("secret stack detail");
    })(req(), ctx({}));
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.error.code).toBe("internal");
    expect(JSON.stringify(body)).not.toContain("secret");
  });
});

describe("readBody", () => {
  const schema = z.object({ mode: z.enum(["graceful", "kill"]) }).strict();
  const run = (body?: string) =>
    withRoute(async (r) => readBody(r, schema))(req(body), ctx({})).then(async (res) => ({
      status: res.status,
      body: await res.json(),
    }));

  it("parses a valid body", async () => {
    expect(await run('{"mode":"kill"}')).toEqual({ status: 200, body: { mode: "kill" } });
  });

  it("answers 400 invalid_json for a body that is not JSON", async () => {
    const r = await run("{mode:");
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_json");
  });

  it("answers 400 validation_failed naming the field", async () => {
    const r = await run('{"mode":"nicely"}');
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: "validation_failed", field: "mode" });
  });
});

describe("readText's cap", () => {
  const CHUNK = 64 * 1024;
  /** A chunked body (no Content-Length) of `total` bytes of spaces; `pulled` counts the bytes handed out. */
  function streamed(total: number) {
    const state = { pulled: 0 };
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (state.pulled >= total) return controller.close();
        const size = Math.min(CHUNK, total - state.pulled);
        state.pulled += size;
        controller.enqueue(new Uint8Array(size).fill(0x20));
      },
    });
    const request = new Request("http://x/api", { method: "POST", body, duplex: "half" } as RequestInit);
    return { request, state };
  }

  it("reads a chunked body of exactly 1 MiB", async () => {
    const { request } = streamed(MAX_BODY_BYTES);
    expect((await readText(request)).length).toBe(MAX_BODY_BYTES);
  });

  it("stops a chunked body past 1 MiB with 413, having read at most one chunk more", async () => {
    const { request, state } = streamed(2 * MAX_BODY_BYTES);
    const res = await withRoute(async (r) => readBody(r, z.object({})))(request, ctx({}));
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
    expect(state.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * CHUNK);
    expect(state.pulled).toBeLessThan(2 * MAX_BODY_BYTES);
  });

  it("refuses a declared Content-Length past 1 MiB without reading", async () => {
    const { request, state } = streamed(2 * MAX_BODY_BYTES);
    const declared = new Request(request, { headers: { "content-length": String(2 * MAX_BODY_BYTES) } });
    await expect(readText(declared)).rejects.toMatchObject({ code: "payload_too_large" });
    expect(state.pulled).toBeLessThanOrEqual(2 * CHUNK); // what the stream queues ahead by itself
  });

  it("reads multi-byte characters split across chunks", async () => {
    const bytes = new TextEncoder().encode('{"name":"ü€"}');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(Uint8Array.of(b));
        controller.close();
      },
    });
    const request = new Request("http://x/api", { method: "POST", body, duplex: "half" } as RequestInit);
    expect(await readText(request)).toBe('{"name":"ü€"}');
  });
});

describe("withRoute on a read-only cluster", () => {
  const KEY = Symbol.for("quorum.instance");
  let calls = 0;
  const handler = () => {
    calls++;
    return { done: true };
  };

  beforeAll(() => {
    const ro = new ClusterService("ro", "ro", ["127.0.0.1:1"], null);
    ro.read.access = { origin: "runtime", readOnly: true };
    const rw = new ClusterService("rw", "rw", ["127.0.0.1:1"], null);
    const clusters = new Map([
      ["ro", ro],
      ["rw", rw],
    ]);
    (globalThis as Record<symbol, unknown>)[KEY] = { clusters } as unknown as Quorum;
  });
  afterAll(() => {
    delete (globalThis as Record<symbol, unknown>)[KEY];
  });

  it.each(["POST", "PUT", "PATCH", "DELETE"])(
    "refuses %s with 403 read_only before the handler runs",
    async (method) => {
      calls = 0;
      const res = await withRoute(handler)(new Request("http://x/api", { method }), ctx({ cluster: "ro", topic: "t" }));
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("read_only");
      expect(calls).toBe(0);
    },
  );

  it("serves reads of a read-only cluster and mutations of a writable one", async () => {
    calls = 0;
    const get = await withRoute(handler)(new Request("http://x/api"), ctx({ cluster: "ro" }));
    expect(get.status).toBe(200);
    const post = await withRoute(handler)(req(), ctx({ cluster: "rw" }));
    expect(post.status).toBe(200);
    expect(calls).toBe(2);
  });

  it("serves a route without dynamic segments, which Next.js gives no params", async () => {
    const res = await withRoute(handler)(req(), { params: undefined as unknown as Promise<Record<string, string>> });
    expect(res.status).toBe(200);
  });

  it("counts every answer in /metrics by route pattern, method and status, refusals and errors too", async () => {
    type Labels = { route: string; method: string; status: string };
    const count = async (l: Labels) =>
      (await telemetry().http.requests.get()).values.find(
        (v) => v.labels.route === l.route && v.labels.method === l.method && v.labels.status === l.status,
      )?.value ?? 0;
    const topic = { route: "/api/clusters/[cluster]/topics/[topic]", method: "GET", status: "200" };
    const refused = { route: "/api/clusters/[cluster]/topics", method: "POST", status: "403" };
    const failed = { route: "/api/clusters/[cluster]/topics/[topic]", method: "GET", status: "500" };
    const before = await Promise.all([topic, refused, failed].map(count));
    await withRoute(handler)(
      new Request("http://x/api/clusters/ro/topics/a%2Fb"),
      ctx({ cluster: "ro", topic: "a%2Fb" }),
    );
    await withRoute(handler)(
      new Request("http://x/api/clusters/ro/topics", { method: "POST" }),
      ctx({ cluster: "ro" }),
    );
    await withRoute(() => {
      throw new Error("boom");
    })(new Request("http://x/api/clusters/rw/topics/t"), ctx({ cluster: "rw", topic: "t" }));
    const after = await Promise.all([topic, refused, failed].map(count));
    expect(after.map((n, i) => n - (before[i] ?? 0))).toEqual([1, 1, 1]);
  });

  it("lets a route that changes only Quorum's list of clusters opt out", async () => {
    const res = await withRoute(handler, { changesCluster: false })(
      new Request("http://x/api", { method: "DELETE" }),
      ctx({ cluster: "ro" }),
    );
    expect(res.status).toBe(200);
  });
});
