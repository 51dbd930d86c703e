import "server-only";
import { isIP } from "node:net";
import { type API, apiVersionsV3, Connection } from "@platformatic/kafka";
import type { ClusterConnection } from "../clusters/connection";
import { guardFrames } from "./frame-guard";
import { MAX_FRAME_BYTES, splitHostPort, WireError } from "./wire-error";

/**
 * One request in every version Quorum can speak, newest first; the version sent is the newest one
 * the broker serves, as its ApiVersions answer says.
 */
export interface Negotiated<A extends unknown[], R> {
  name: string;
  key: number;
  versions: API<A, R>[];
}

/** What a broker serves: API key → [min, max] version. */
type Served = Map<number, [number, number]>;

interface Pooled {
  conn: Connection;
  /** Resolves once TCP, TLS and SASL are done. */
  connected: Promise<void>;
  /** Resolves once TCP, TLS, SASL and ApiVersions are done. */
  ready: Promise<Served>;
  /** Why the frame guard closed the connection, if it did. */
  bad: string | null;
  /** Set when a request on this connection timed out and the connection was destroyed for it. */
  timedOut: boolean;
  closed: boolean;
}

/** How long a broker may take over ApiVersions (and TCP, TLS, SASL) when no shorter deadline applies. */
const CONNECT_TIMEOUT_MS = 5000;
/** The library's own request timeout stays out of the way: every request here has a shorter deadline. */
const LIBRARY_REQUEST_TIMEOUT_MS = 120_000;

/**
 * A library error in words: its message, then its causes' (the library wraps a SASL refusal as
 * "Connection failed" ← "SASL authentication failed" ← the broker's answer), with the broker's own
 * message where Kafka gave one.
 */
function errorMessage(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 6; depth++) {
    let text = e.message;
    if (e instanceof AggregateError && e.errors.length > 0) {
      text = e.errors
        .map((x: unknown) => {
          const server =
            typeof x === "object" && x !== null && "serverErrorMessage" in x && typeof x.serverErrorMessage === "string"
              ? x.serverErrorMessage
              : null;
          const own = x instanceof Error ? x.message : String(x);
          return server ? server : own;
        })
        .join("; ");
    }
    text = text.replace(/\.$/, "");
    const known = parts.some((x) => x.toLowerCase() === text.toLowerCase());
    if (!/^Connection to .* failed$/.test(text) && !known) parts.push(text);
    e = e.cause;
  }
  return parts.join(": ") || String(err);
}
const codeOf = (err: unknown): string | undefined =>
  typeof err === "object" && err !== null && "code" in err && typeof err.code === "string" ? err.code : undefined;

/**
 * The connections to one cluster: at most one per broker, opened on first use with the cluster's
 * TLS and SASL settings, version-negotiated once (ApiVersions), then shared by every request to that
 * broker (requests are pipelined on it). Built on @platformatic/kafka's Connection, which encodes
 * and decodes every request; Quorum adds what a monitor needs around it:
 *
 * - one deadline per call: a request that is not answered in time fails with a WireError of kind
 *   "timeout" and its connection is destroyed (a late answer must not meet a reused connection);
 * - no retries: each call is one request on one connection;
 * - bounded frames (frame-guard.ts), and a connection that sent a malformed answer is destroyed;
 * - errors as WireError, which says whether the request was sent (504 outcome_unknown for
 *   mutations) — answers carrying Kafka error codes are returned as answers, for the caller to
 *   report per item with the broker's own messages.
 */
export class KafkaPool {
  private readonly conns = new Map<string, Pooled>();
  /** Requests written, including each connection's ApiVersions. */
  requestsSent = 0;
  /** Connections opened so far. */
  connectionsOpened = 0;

  constructor(
    private readonly connection: Pick<ClusterConnection, "tls" | "sasl">,
    private readonly clientId = "quorum",
  ) {}

  /** Open connections per broker address ("host:port" → count; at most 1 each). */
  openSockets(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [address, p] of this.conns) if (!p.closed) out.set(address, (out.get(address) ?? 0) + 1);
    return out;
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    const all = [...this.conns.values()];
    this.conns.clear();
    await Promise.all(all.map((p) => this.destroy(p)));
  }

  private destroy(p: Pooled): void {
    p.closed = true;
    p.conn.socket?.destroy();
  }

  private drop(address: string, p: Pooled): void {
    p.closed = true;
    if (this.conns.get(address) === p) this.conns.delete(address);
  }

  private open(address: string, timeoutMs: number): Pooled {
    const existing = this.conns.get(address);
    if (existing && !existing.closed) return existing;
    const [host, portText] = splitHostPort(address);
    const { tls, sasl } = this.connection;
    const conn = new Connection(this.clientId, {
      connectTimeout: Math.min(timeoutMs, CONNECT_TIMEOUT_MS),
      requestTimeout: LIBRARY_REQUEST_TIMEOUT_MS,
      maxInflights: 16,
      ...(tls
        ? {
            tls: {
              ca: tls.ca,
              cert: tls.cert,
              key: tls.key,
              // SNI takes names only (RFC 6066); an IP address is still checked against the certificate.
              servername: tls.servername ?? (isIP(host) ? undefined : host),
            },
          }
        : {}),
      ...(sasl ? { sasl: { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } } : {}),
    });
    const p: Pooled = {
      conn,
      connected: Promise.resolve(),
      ready: Promise.resolve(new Map()),
      bad: null,
      closed: false,
      timedOut: false,
    };
    this.conns.set(address, p);
    this.connectionsOpened++;
    // Without a listener, the library's "error" event (a wrong correlation id, a reset) would be thrown.
    conn.on("error", () => this.drop(address, p));
    conn.on("close", () => this.drop(address, p));
    const connected = conn.connect(host, Number(portText)) as Promise<void>;
    const socket = conn.socket;
    socket.unref(); // an idle pool never keeps the process alive
    socket.once(tls ? "secureConnect" : "connect", () =>
      guardFrames(socket, MAX_FRAME_BYTES, (reason) => {
        p.bad = `${address} ${reason}`;
      }),
    );
    p.connected = connected;
    connected.catch(() => {}); // failures are reported through `ready`
    p.ready = connected.then(async () => {
      this.requestsSent++;
      const answer = await apiVersionsV3.api.async(conn, "quorum", "1").catch((err: unknown) => {
        if (codeOf(err) === "PLT_KFK_RESPONSE" && typeof err === "object" && err && "response" in err)
          throw new Error(`ApiVersions refused (${errorMessage(err)})`);
        throw err;
      });
      const served: Served = new Map();
      for (const a of answer.apiKeys) served.set(a.apiKey, [a.minVersion, a.maxVersion]);
      return served;
    });
    p.ready.catch(() => {
      this.drop(address, p);
      this.destroy(p);
    });
    return p;
  }

  /** The broker's connection, once TCP, TLS, SASL and ApiVersions are done; a WireError if they fail. */
  private async ready(address: string, timeoutMs: number, mutation: boolean): Promise<{ p: Pooled; served: Served }> {
    const p = this.open(address, timeoutMs);
    try {
      const served = await within(p.ready, timeoutMs, () => {
        this.drop(address, p);
        this.destroy(p);
        return new WireError(`${address} could not be reached within ${timeoutMs} ms`, "timeout", { mutation });
      });
      return { p, served };
    } catch (err) {
      if (err instanceof WireError) throw err;
      throw new WireError(`${address}: ${errorMessage(err)}`, p.bad ? "protocol" : "connection", { mutation });
    }
  }

  /**
   * Resolves once a connection to `address` is open and, as the cluster's settings ask, its TLS
   * handshake and SASL authentication are done (ApiVersions may still be under way); rejects with a
   * WireError saying why not. For a connection test's steps.
   */
  async connect(address: string, timeoutMs: number): Promise<void> {
    const p = this.open(address, timeoutMs);
    try {
      await within(p.connected, timeoutMs, () => {
        this.drop(address, p);
        this.destroy(p);
        return new WireError(`${address} could not be reached within ${timeoutMs} ms`, "timeout");
      });
    } catch (err) {
      if (err instanceof WireError) throw err;
      throw new WireError(`${address}: ${errorMessage(err)}`, "connection");
    }
  }

  /**
   * The version of `request` that `send` would use with `address` (the newest both sides speak,
   * from the broker's ApiVersions answer, asked once per connection), or null when the broker serves
   * none of Quorum's. Connects first if needed; rejects like `send` when that fails.
   */
  async versionFor<A extends unknown[], R>(
    address: string,
    request: Negotiated<A, R>,
    timeoutMs: number,
  ): Promise<number | null> {
    const { served } = await this.ready(address, timeoutMs, false);
    const range = served.get(request.key);
    const api = range && request.versions.find((v) => v.version >= range[0] && v.version <= range[1]);
    return api ? api.version : null;
  }

  /**
   * Sends one request to `address` and resolves with its answer (also when the answer carries Kafka
   * error codes). Rejects with a WireError: "connection" when the request never left (TCP, TLS,
   * SASL or ApiVersions failed, or the broker serves no version Quorum speaks), "timeout",
   * "closed" or "protocol" otherwise.
   */
  async send<A extends unknown[], R>(
    address: string,
    request: Negotiated<A, R>,
    args: A,
    timeoutMs: number,
    opts: { mutation?: boolean } = {},
  ): Promise<R> {
    const deadline = Date.now() + timeoutMs;
    const mutation = opts.mutation ?? false;
    const { p, served } = await this.ready(address, timeoutMs, mutation);
    const range = served.get(request.key);
    const api = range && request.versions.find((v) => v.version >= range[0] && v.version <= range[1]);
    if (!api) {
      const spoken = request.versions.map((v) => v.version).join(", ");
      throw new WireError(
        range
          ? `${address} serves ${request.name} v${range[0]}–v${range[1]}; Quorum speaks v${spoken}`
          : `${address} does not serve ${request.name}`,
        "connection",
        { mutation },
      );
    }
    const left = Math.max(1, deadline - Date.now());
    this.requestsSent++;
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      const fail = (message: string, kind: WireError["kind"]) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new WireError(message, kind, { sent: true, mutation }));
      };
      const timer = setTimeout(() => {
        // A late answer must not meet this connection again: the library would misread it.
        p.timedOut = true;
        this.drop(address, p);
        this.destroy(p);
        fail(`${address} did not answer ${request.name} within ${timeoutMs} ms`, "timeout");
      }, left);
      api(p.conn, ...args, (err: Error | null, answer?: R) => {
        if (settled) return;
        if (!err && answer !== undefined) {
          settled = true;
          clearTimeout(timer);
          resolve(answer);
          return;
        }
        const code = codeOf(err);
        if (code === "PLT_KFK_RESPONSE" && err && "response" in err) {
          settled = true;
          clearTimeout(timer);
          resolve(err.response as R);
          return;
        }
        if (p.bad) return fail(p.bad, "protocol");
        if (p.timedOut)
          return fail(
            `${address} did not answer ${request.name}: another request on its connection timed out`,
            "timeout",
          );
        if (code === "PLT_KFK_NETWORK" || code === "PLT_KFK_TIMEOUT")
          return fail(`${address} closed the connection before answering ${request.name}`, "closed");
        // Anything else is the answer failing to parse: this connection is no longer trusted.
        this.drop(address, p);
        this.destroy(p);
        fail(`${address} sent a malformed ${request.name} response: ${errorMessage(err)}`, "protocol");
      });
    });
  }

  /**
   * Sends a request to the first of `seeds` that answers, within `timeoutMs` in all; resolves with
   * the answer and the address that gave it. A broker that cannot be reached is skipped at once,
   * one that does not answer in time too for a read; a mutation is never sent twice, since the
   * first may have taken effect (its WireError then says the outcome is unknown: 504).
   */
  async sendToAny<A extends unknown[], R>(
    seeds: string[],
    request: Negotiated<A, R>,
    args: A,
    timeoutMs: number,
    opts: { mutation?: boolean } = {},
  ): Promise<{ answer: R; from: string }> {
    const deadline = Date.now() + timeoutMs;
    const perTry = opts.mutation ? timeoutMs : Math.max(1000, Math.floor(timeoutMs / 2));
    let lastError: WireError | null = null;
    for (const address of seeds) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      try {
        return { answer: await this.send(address, request, args, Math.min(remaining, perTry), opts), from: address };
      } catch (err) {
        lastError = err instanceof WireError ? err : new WireError(String(err), "protocol", opts);
        if (opts.mutation && lastError.sent) break;
      }
    }
    throw (
      lastError ?? new WireError(`No broker answered within ${timeoutMs} ms`, "timeout", { mutation: opts.mutation })
    );
  }
}

/** `promise`, or the error `onTimeout` makes when it has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** Runs `fn` with a pool of its own, closed afterwards: for one-off requests outside a cluster's gateway. */
export async function withPool<T>(
  connection: Pick<ClusterConnection, "tls" | "sasl">,
  fn: (pool: KafkaPool) => Promise<T>,
): Promise<T> {
  const pool = new KafkaPool(connection);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}
