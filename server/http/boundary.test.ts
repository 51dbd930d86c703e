import { describe, expect, it } from "vitest";
import { type BoundarySettings, boundaryError, boundarySettingsFromEnv, MAX_BODY_BYTES, splitHost } from "./boundary";

const settings: BoundarySettings = { port: 3000, allowedHosts: ["quorum.example.com", "proxy.internal:8443"] };
const json = { "content-type": "application/json", "content-length": "2" };
const topics = "/api/clusters/local/topics";

/** Stands for "no Host header" in a case. */
const NO_HOST = "(none)";

type Case = [string, { method?: string; path?: string; headers?: Record<string, string> }, string | null];

const cases: Case[] = [
  // Host: every request, reads included
  ["loopback IPv4 on the port", { headers: { host: "127.0.0.1:3000" } }, null],
  ["localhost on the port", { headers: { host: "localhost:3000" } }, null],
  ["LOCALHOST in capitals", { headers: { host: "LOCALHOST:3000" } }, null],
  ["IPv6 loopback on the port", { headers: { host: "[::1]:3000" } }, null],
  ["loopback on another port", { headers: { host: "127.0.0.1:3001" } }, "unknown_host"],
  ["loopback without a port (80)", { headers: { host: "localhost" } }, "unknown_host"],
  ["a rebinding name", { headers: { host: "rebind.evil.example:3000" } }, "unknown_host"],
  ["a rebinding name on a page", { path: "/clusters/local", headers: { host: "evil.example" } }, "unknown_host"],
  ["no Host at all", { headers: { host: NO_HOST } }, "unknown_host"],
  ["an empty Host", { headers: { host: "" } }, "unknown_host"],
  ["a malformed Host", { headers: { host: "127.0.0.1:3000@evil" } }, "unknown_host"],
  ["an allowed name on any port", { headers: { host: "quorum.example.com:443" } }, null],
  ["an allowed name without port", { headers: { host: "Quorum.Example.com" } }, null],
  ["an allowed host:port", { headers: { host: "proxy.internal:8443" } }, null],
  ["an allowed name on the wrong port", { headers: { host: "proxy.internal:8444" } }, "unknown_host"],
  [
    "a foreign Host on the event stream",
    { path: "/api/clusters/local/events", headers: { host: "x.example:3000" } },
    "unknown_host",
  ],
  // Cross-origin (Go's CrossOriginProtection) on mutations
  ["same-origin fetch", { method: "POST", path: topics, headers: { ...json, "sec-fetch-site": "same-origin" } }, null],
  ["user-typed (none)", { method: "POST", path: topics, headers: { ...json, "sec-fetch-site": "none" } }, null],
  [
    "cross-site fetch",
    { method: "POST", path: topics, headers: { ...json, "sec-fetch-site": "cross-site" } },
    "cross_origin",
  ],
  [
    "same-site fetch",
    { method: "DELETE", path: `${topics}/t`, headers: { "sec-fetch-site": "same-site" } },
    "cross_origin",
  ],
  [
    "Sec-Fetch-Site wins over a matching Origin",
    {
      method: "POST",
      path: topics,
      headers: { ...json, "sec-fetch-site": "cross-site", origin: "http://127.0.0.1:3000" },
    },
    "cross_origin",
  ],
  [
    "own Origin, no Sec-Fetch-Site",
    { method: "POST", path: topics, headers: { ...json, origin: "http://127.0.0.1:3000" } },
    null,
  ],
  [
    "foreign Origin",
    { method: "POST", path: topics, headers: { ...json, origin: "http://evil.example" } },
    "cross_origin",
  ],
  [
    "Origin on another port",
    { method: "POST", path: topics, headers: { ...json, origin: "http://127.0.0.1:3001" } },
    "cross_origin",
  ],
  ["Origin null", { method: "POST", path: topics, headers: { ...json, origin: "null" } }, "cross_origin"],
  ["no Origin, no Sec-Fetch-Site (curl)", { method: "POST", path: topics, headers: json }, null],
  ["a cross-site read is fine", { path: topics, headers: { "sec-fetch-site": "cross-site" } }, null],
  [
    "own Origin through an allowed name",
    {
      method: "PATCH",
      path: `${topics}/t/configs`,
      headers: { ...json, host: "quorum.example.com", origin: "https://quorum.example.com" },
    },
    null,
  ],
  // Content type of mutations
  [
    "text/plain POST",
    { method: "POST", path: topics, headers: { "content-type": "text/plain", "content-length": "2" } },
    "unsupported_media_type",
  ],
  [
    "form POST",
    {
      method: "POST",
      path: topics,
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": "2" },
    },
    "unsupported_media_type",
  ],
  [
    "JSON with charset",
    {
      method: "POST",
      path: topics,
      headers: { "content-type": "Application/JSON; charset=utf-8", "content-length": "2" },
    },
    null,
  ],
  [
    "application/jsonp is not JSON",
    { method: "POST", path: topics, headers: { "content-type": "application/jsonp", "content-length": "2" } },
    "unsupported_media_type",
  ],
  ["untyped body", { method: "POST", path: topics, headers: { "content-length": "2" } }, "unsupported_media_type"],
  [
    "untyped chunked body",
    { method: "POST", path: topics, headers: { "transfer-encoding": "chunked" } },
    "unsupported_media_type",
  ],
  ["untyped empty DELETE", { method: "DELETE", path: `${topics}/t`, headers: {} }, null],
  [
    "untyped Content-Length 0 POST",
    { method: "POST", path: "/api/clusters/local/brokers/1/start", headers: { "content-length": "0" } },
    null,
  ],
  [
    "text/plain even without a body",
    { method: "POST", path: "/api/clusters/local/brokers/1/start", headers: { "content-type": "text/plain" } },
    "unsupported_media_type",
  ],
  // Body size
  [
    "exactly 1 MiB",
    { method: "POST", path: topics, headers: { ...json, "content-length": String(MAX_BODY_BYTES) } },
    null,
  ],
  [
    "1 MiB + 1",
    { method: "POST", path: topics, headers: { ...json, "content-length": String(MAX_BODY_BYTES + 1) } },
    "payload_too_large",
  ],
  [
    "2 MiB on a page",
    { method: "POST", path: "/", headers: { "content-length": String(2 * MAX_BODY_BYTES) } },
    "payload_too_large",
  ],
  // Routes
  ["unknown API path", { path: "/api/nope" }, "not_found"],
  [
    "unknown API path under a cluster",
    { method: "POST", path: "/api/clusters/local/nope", headers: json },
    "not_found",
  ],
  ["bare /api", { path: "/api" }, "not_found"],
  ["GET on a POST-only route", { path: "/api/clusters/local/brokers/1/stop" }, "method_not_allowed"],
  ["PUT on topics", { method: "PUT", path: topics, headers: json }, "method_not_allowed"],
  ["HEAD of a GET route", { method: "HEAD", path: topics }, null],
  ["OPTIONS of any route", { method: "OPTIONS", path: "/api/clusters/local/brokers/1/stop" }, null],
  ["a page", { path: "/clusters/local/topics" }, null],
  ["a static file", { path: "/_next/static/chunks/x.js" }, null],
];

function headersOf(given: Record<string, string> = {}): Headers {
  const headers = new Headers({ host: "127.0.0.1:3000", ...given });
  if (headers.get("host") === NO_HOST) headers.delete("host");
  return headers;
}

function ask(c: Case[1], s: BoundarySettings = settings) {
  return boundaryError(
    {
      method: c.method ?? "GET",
      path: c.path ?? "/api/clusters",
      headers: headersOf(c.headers),
    },
    s,
  );
}

describe("boundaryError", () => {
  it.each(cases)("%s", (_name, request, code) => {
    const got = ask(request);
    expect(got?.code ?? null).toBe(code);
    if (got) expect(got.message.length).toBeGreaterThan(10);
  });

  it("answers the status of each code and an Allow list for 405", () => {
    expect(ask({ headers: { host: "evil.example" } })?.status).toBe(403);
    expect(ask({ method: "POST", path: topics, headers: { "content-type": "text/plain" } })?.status).toBe(415);
    expect(ask({ method: "POST", path: topics, headers: { "content-length": "2000000" } })?.status).toBe(413);
    expect(ask({ path: "/api/x" })?.status).toBe(404);
    const notAllowed = ask({ method: "DELETE", path: "/api/clusters/local/topics/t/configs" });
    expect(notAllowed?.status).toBe(405);
    expect(notAllowed?.allow).toBe("GET, HEAD, OPTIONS, PATCH");
  });

  it("accepts loopback names on any port when the port is unknown, and nothing else", () => {
    const dev = { port: null, allowedHosts: [] };
    expect(ask({ headers: { host: "localhost:4123" } }, dev)).toBeNull();
    expect(ask({ headers: { host: "[::1]" } }, dev)).toBeNull();
    expect(ask({ headers: { host: "evil.example:4123" } }, dev)?.code).toBe("unknown_host");
  });
});

describe("boundarySettingsFromEnv", () => {
  it("reads the port and the allowed hosts, dropping malformed entries", () => {
    expect(
      boundarySettingsFromEnv({ QUORUM_PORT: "3000", QUORUM_ALLOWED_HOSTS: " Quorum.Example , a:81,bad host,," }),
    ).toEqual({
      port: 3000,
      allowedHosts: ["quorum.example", "a:81"],
    });
    expect(boundarySettingsFromEnv({})).toEqual({ port: null, allowedHosts: [] });
    expect(boundarySettingsFromEnv({ QUORUM_PORT: "x" }).port).toBeNull();
  });

  it("splits host names, IPv6 literals and ports", () => {
    expect(splitHost("[::1]:3000")).toEqual({ name: "[::1]", port: 3000 });
    expect(splitHost("LocalHost")).toEqual({ name: "localhost", port: null });
    expect(splitHost("a:99999")).toBeNull();
    expect(splitHost("user@host")).toBeNull();
  });
});
