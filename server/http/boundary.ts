import "server-only";
import { type ErrorCode, errorStatus } from "../errors";
import { allowedMethods, matchApiRoute } from "./api-routes";

/**
 * The HTTP boundary every request crosses (applied by `proxy.ts`), as a pure function: it says
 * whether a request may reach Quorum at all, before any route reads it.
 *
 * - Host: only the console's own names (127.0.0.1, localhost, [::1] on its port) or those listed
 *   in QUORUM_ALLOWED_HOSTS. A DNS-rebinding page talks to 127.0.0.1 under its own name: refused.
 * - Cross-origin: Go 1.25's `http.CrossOriginProtection`. Non-browser clients (curl, scripts) send
 *   neither Sec-Fetch-Site nor Origin and pass; every current browser sends one of them on a
 *   mutation, so another site's request is recognised. And since mutations must be JSON, a
 *   cross-site `fetch` would need a CORS preflight, which Quorum never grants.
 * - Mutations on /api carry JSON (or no body at all), at most 1 MiB of it.
 * - Unknown API paths answer 404 and unexported methods 405, in the API's JSON shape.
 */

/** The largest request body Quorum reads. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Sent with every answer, pages and API alike. No script-src: Next.js inlines its bootstrap scripts. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "same-origin",
};

export interface BoundarySettings {
  /** The console's port; null when unknown (e.g. `next dev` run by hand): loopback names pass on any port. */
  port: number | null;
  /** Extra accepted Host values, lower-case: `name` (any port) or `name:port`. */
  allowedHosts: readonly string[];
}

export interface BoundaryRequest {
  method: string;
  /** The URL's path, as received (percent-encoded). */
  path: string;
  headers: Headers;
}

export interface BoundaryError {
  status: number;
  code: ErrorCode;
  message: string;
  /** For 405: the methods the route serves. */
  allow?: string;
}

/** The console's own loopback names (a URL's `hostname` gives IPv6 in brackets, as here). */
export const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
/** Methods that change nothing: everything else is a mutation. */
export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Reads QUORUM_PORT and QUORUM_ALLOWED_HOSTS (comma-separated `host` or `host:port`). */
export function boundarySettingsFromEnv(env: Record<string, string | undefined>): BoundarySettings {
  const port = Number(env.QUORUM_PORT);
  const allowedHosts = (env.QUORUM_ALLOWED_HOSTS ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "" && splitHost(h) !== null);
  return { port: Number.isInteger(port) && port > 0 && port < 65536 ? port : null, allowedHosts };
}

/** `name[:port]` → its parts (name lower-case, an IPv6 literal keeps its brackets), or null if malformed. */
export function splitHost(host: string): { name: string; port: number | null } | null {
  const m = /^(\[[0-9a-f:.]+\]|[^\s[\]:/@]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!m?.[1]) return null;
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  return { name: m[1].toLowerCase(), port };
}

function hostAllowed(host: string | null, settings: BoundarySettings): boolean {
  if (!host) return false;
  const parsed = splitHost(host);
  if (!parsed) return false;
  if (LOOPBACK.has(parsed.name) && (settings.port === null || parsed.port === settings.port)) return true;
  return settings.allowedHosts.some((entry) => {
    const allowed = splitHost(entry);
    return allowed !== null && allowed.name === parsed.name && (allowed.port === null || allowed.port === parsed.port);
  });
}

/** Go 1.25 `CrossOriginProtection.Check`: null when the request may come from where it says it does. */
function crossOrigin(method: string, headers: Headers): string | null {
  if (SAFE_METHODS.has(method)) return null;
  const site = headers.get("sec-fetch-site");
  if (site) {
    if (site === "same-origin" || site === "none") return null;
    return `A ${site} request may not change anything here (Sec-Fetch-Site: ${site})`;
  }
  const origin = headers.get("origin");
  if (origin === null) return null; // not a browser: browsers send Sec-Fetch-Site or Origin on every mutation
  const host = headers.get("host") ?? "";
  try {
    const o = new URL(origin);
    // Host as the origin's scheme would write it, so `x:80` and `http://x` compare equal.
    if (o.host !== "" && new URL(`${o.protocol}//${host}`).host === o.host) return null;
  } catch {
    // "null" or garbage: not this origin
  }
  return `A request from ${origin} may not change anything here`;
}

/** Whether the request announces a body: a non-zero Content-Length, or chunked transfer. */
function hasBody(headers: Headers): boolean {
  const length = headers.get("content-length");
  if (length !== null) return length.trim() !== "0";
  return headers.get("transfer-encoding") !== null;
}

function isJson(contentType: string): boolean {
  return contentType.split(";")[0]?.trim().toLowerCase() === "application/json";
}

const error = (code: ErrorCode, message: string, allow?: string): BoundaryError => ({
  status: errorStatus[code],
  code,
  message,
  ...(allow === undefined ? {} : { allow }),
});

/** null when the request may go on to its route; otherwise the error to answer with. */
export function boundaryError(req: BoundaryRequest, settings: BoundarySettings): BoundaryError | null {
  const method = req.method.toUpperCase();
  const host = req.headers.get("host");
  if (!hostAllowed(host, settings)) {
    return error(
      "unknown_host",
      `Host ${JSON.stringify(host ?? "")} is not this console's; set QUORUM_ALLOWED_HOSTS to serve it under that name`,
    );
  }
  const refused = crossOrigin(method, req.headers);
  if (refused) return error("cross_origin", refused);

  const length = req.headers.get("content-length");
  if (length !== null && Number(length) > MAX_BODY_BYTES) {
    return error("payload_too_large", `The request body is ${length} bytes; the limit is ${MAX_BODY_BYTES} (1 MiB)`);
  }

  if (req.path !== "/api" && !req.path.startsWith("/api/")) return null;
  const route = matchApiRoute(req.path);
  if (!route) return error("not_found", `No API route at ${req.path}`);
  const allow = allowedMethods(route.methods);
  if (!allow.includes(method)) {
    return error(
      "method_not_allowed",
      `${method} is not allowed on ${route.pattern}; allowed: ${allow.join(", ")}`,
      allow.join(", "),
    );
  }
  if (!SAFE_METHODS.has(method)) {
    const type = req.headers.get("content-type");
    if (type === null ? hasBody(req.headers) : !isJson(type)) {
      return error(
        "unsupported_media_type",
        `Request bodies must be JSON (Content-Type: application/json), not ${type ?? "untyped"}`,
      );
    }
  }
  return null;
}
