import "server-only";
import net from "node:net";
import { errorStatus, type HasHttpError, HTTP_ERROR, type HttpErrorInfo } from "../errors";

/**
 * The few bytes of Kafka's wire protocol Quorum speaks itself: requests whose answers kafkajs does
 * not expose or cannot batch: per-node ApiVersions probes; Metadata with racks, internal flags and
 * offline replicas; offsets, groups and committed offsets batched per broker.
 */
export class Writer {
  private parts: Buffer[] = [];

  int8(v: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    this.parts.push(b);
    return this;
  }

  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }

  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }

  string(v: string | null): this {
    if (v === null) return this.int16(-1);
    const bytes = Buffer.from(v, "utf8");
    this.int16(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  int64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    this.parts.push(b);
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  /** Unsigned varint, as flexible versions encode lengths. */
  uvarint(v: number): this {
    const bytes: number[] = [];
    let n = v >>> 0;
    while (n >= 0x80) {
      bytes.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    bytes.push(n);
    this.parts.push(Buffer.from(bytes));
    return this;
  }

  compactString(v: string | null): this {
    if (v === null) return this.uvarint(0);
    const bytes = Buffer.from(v, "utf8");
    this.uvarint(bytes.length + 1);
    this.parts.push(bytes);
    return this;
  }

  compactBytes(v: Buffer | null): this {
    if (v === null) return this.uvarint(0);
    this.uvarint(v.length + 1);
    this.parts.push(v);
    return this;
  }

  compactArray<T>(items: T[] | null, each: (w: Writer, item: T) => void): this {
    if (items === null) return this.uvarint(0);
    this.uvarint(items.length + 1);
    for (const item of items) each(this, item);
    return this;
  }

  /** An empty tagged-field section (flexible versions end every struct with one). */
  tags(): this {
    return this.uvarint(0);
  }

  /** A nullable array; null encodes as length -1. */
  array<T>(items: T[] | null, each: (w: Writer, item: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) each(this, item);
    return this;
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/**
 * The largest response frame Quorum accepts. A Metadata v6 answer costs about 46 bytes per
 * partition at replication factor 3 plus the topic names, so 40,000 partitions are near 2 MiB and
 * OffsetFetch for many groups a few MiB more; 64 MiB leaves a wide margin while a broker that
 * declares more (or 2^31−1) is refused before a byte of its body is kept.
 */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/**
 * Reads one response body. Every length and count is checked against the bytes left before
 * anything is allocated or looped over, so a hostile or broken broker gets a WireError of kind
 * "protocol", never a RangeError or a loop of 2^31 iterations.
 */
export class Reader {
  private offset = 0;

  constructor(
    private readonly buf: Buffer,
    /** Who sent these bytes, for error messages. */
    private readonly source = "the broker",
  ) {}

  /** Bytes not read yet. */
  get remaining(): number {
    return this.buf.length - this.offset;
  }

  private fail(what: string): never {
    throw this.malformed(what);
  }

  /** Moves past `n` bytes and returns where they start; fails when fewer are left. */
  private take(n: number, what: string): number {
    if (n > this.remaining) this.fail(`${what} needs ${n} bytes, ${this.remaining} left`);
    const at = this.offset;
    this.offset += n;
    return at;
  }

  /** Checks an element count: every element takes at least one byte. */
  private count(n: number, what: string): number {
    if (n < 0) this.fail(`${what} has a negative count (${n})`);
    if (n > this.remaining) this.fail(`${what} claims ${n} elements in ${this.remaining} bytes`);
    return n;
  }

  /** Checks a byte length; -1 is the null marker. */
  private length(n: number, what: string): number {
    if (n < -1) this.fail(`${what} has a negative length (${n})`);
    if (n > this.remaining) this.fail(`${what} of ${n} bytes with ${this.remaining} left`);
    return n;
  }

  int8(): number {
    return this.buf.readInt8(this.take(1, "int8"));
  }

  int16(): number {
    return this.buf.readInt16BE(this.take(2, "int16"));
  }

  int32(): number {
    return this.buf.readInt32BE(this.take(4, "int32"));
  }

  int64(): bigint {
    return this.buf.readBigInt64BE(this.take(8, "int64"));
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  /** A UUID (16 bytes), in Kafka's own text form: URL-safe base64 without padding (as topic ids print). */
  uuid(): string {
    const at = this.take(16, "uuid");
    return this.buf.subarray(at, at + 16).toString("base64url");
  }

  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buf.readUInt8(this.take(1, "varint"));
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 28) this.fail("varint longer than 5 bytes");
    }
  }

  compactString(): string | null {
    const len = this.length(this.uvarint() - 1, "compact string");
    if (len < 0) return null;
    const at = this.take(len, "compact string");
    return this.buf.toString("utf8", at, at + len);
  }

  compactBytes(): Buffer | null {
    const len = this.length(this.uvarint() - 1, "compact bytes");
    if (len < 0) return null;
    const at = this.take(len, "compact bytes");
    return this.buf.subarray(at, at + len);
  }

  bytes(): Buffer | null {
    const len = this.length(this.int32(), "bytes");
    if (len < 0) return null;
    const at = this.take(len, "bytes");
    return this.buf.subarray(at, at + len);
  }

  /** A compact array; null (length 0 on the wire) reads as empty. */
  compactArray<T>(each: (r: Reader) => T): T[] {
    const raw = this.uvarint();
    if (raw === 0) return [];
    const len = this.count(raw - 1, "compact array");
    const out: T[] = [];
    for (let i = 0; i < len; i++) out.push(each(this));
    return out;
  }

  /** Skips a tagged-field section: Quorum reads no tagged fields. */
  tags(): void {
    const count = this.count(this.uvarint(), "tagged fields");
    for (let i = 0; i < count; i++) {
      this.uvarint(); // tag
      const size = this.uvarint();
      this.take(size, "tagged field");
    }
  }

  string(): string | null {
    const len = this.length(this.int16(), "string");
    if (len < 0) return null;
    const at = this.take(len, "string");
    return this.buf.toString("utf8", at, at + len);
  }

  /** An array; null (-1) reads as empty. */
  array<T>(each: (r: Reader) => T): T[] {
    const raw = this.int32();
    if (raw === -1) return [];
    const len = this.count(raw, "array");
    const out: T[] = [];
    for (let i = 0; i < len; i++) out.push(each(this));
    return out;
  }

  /** Fails unless every byte was read: an answer longer than its version's fields is not what was asked. */
  end(): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} bytes left over after the last field`);
  }

  /** The error for a malformed answer, also for what the caller notices itself (a missing result, another name than asked). */
  malformed(what: string): WireError {
    return new WireError(`${this.source} sent a malformed response: ${what}`, "protocol", { sent: true });
  }
}

export interface WireErrorOptions {
  /** The request's bytes were written to the socket: the broker may have received and acted on it. */
  sent?: boolean;
  /** The request changes the cluster (create, delete, alter…). */
  mutation?: boolean;
}

export class WireError extends Error implements HasHttpError {
  readonly sent: boolean;
  readonly mutation: boolean;

  constructor(
    message: string,
    /**
     * timeout: no answer in time; connection: the connection failed before the request was written;
     * closed: it dropped after the request went out; protocol: the answer is not valid Kafka.
     */
    readonly kind: "timeout" | "connection" | "closed" | "protocol",
    options: WireErrorOptions = {},
  ) {
    super(message);
    this.name = "WireError";
    this.sent = options.sent ?? false;
    this.mutation = options.mutation ?? false;
  }

  /** The same failure, known to belong to a mutation. */
  asMutation(): WireError {
    return new WireError(this.message, this.kind, { sent: this.sent, mutation: true });
  }

  /**
   * True when a mutation may have taken effect: its bytes reached the socket and no valid answer
   * came back (timeout, dropped connection or garbled answer). Retrying blindly could apply it twice.
   */
  get outcomeUnknown(): boolean {
    return this.mutation && this.sent;
  }

  [HTTP_ERROR](): HttpErrorInfo {
    if (this.outcomeUnknown) {
      return {
        status: errorStatus.outcome_unknown,
        code: "outcome_unknown",
        message: `${this.message}. The request was sent, so it may have been applied: check the cluster before retrying.`,
      };
    }
    return {
      status: 503,
      code: this.kind === "timeout" ? "kafka_timeout" : "cluster_unavailable",
      message: this.message,
    };
  }
}

export interface KafkaRequest {
  apiKey: number;
  version: number;
  /** A flexible version: request header v2 and response header v1 (tagged fields). */
  flexible?: boolean;
  body: Buffer;
}

let nextCorrelationId = 1;

/**
 * Sends one request to host:port on a fresh connection and returns a reader over the response body.
 * A frame shorter than its correlation id, longer than MAX_FRAME_BYTES, answering another request or
 * followed by unasked bytes ends the request at once with a WireError of kind "protocol" and the
 * socket is destroyed; no more than the declared (and capped) frame is ever held.
 */
export function sendRequest(host: string, port: number, req: KafkaRequest, timeoutMs: number): Promise<Reader> {
  const correlationId = nextCorrelationId++ & 0x7fffffff;
  const hw = new Writer().int16(req.apiKey).int16(req.version).int32(correlationId).string("quorum");
  if (req.flexible) hw.tags(); // request header v2
  const header = hw.bytes();
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + req.body.length);
  const frame = Buffer.concat([size, header, req.body]);
  const where = `${host}:${port}`;

  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let received = 0;
    /** The frame's declared size (after the 4-byte size prefix), once the prefix is in. */
    let declared = -1;
    let settled = false;
    let sent = false;
    const socket = net.connect({ host, port });
    const finish = (err: WireError | null, value?: Reader) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      chunks = [];
      socket.destroy();
      if (err) reject(err);
      else if (value) resolve(value);
    };
    const fail = (message: string, kind: WireError["kind"]) => finish(new WireError(message, kind, { sent }));
    const timer = setTimeout(
      () =>
        fail(
          sent
            ? `${where} did not answer within ${timeoutMs} ms`
            : `${where} could not be reached within ${timeoutMs} ms`,
          "timeout",
        ),
      timeoutMs,
    );
    socket.on("connect", () => {
      sent = true;
      socket.write(frame);
    });
    socket.on("data", (chunk: Buffer) => {
      if (settled) return;
      chunks.push(chunk);
      received += chunk.length;
      if (declared < 0) {
        if (received < 4) return;
        const head = chunks.length === 1 ? chunk : Buffer.concat(chunks, received);
        chunks = [head];
        declared = head.readInt32BE(0);
        if (declared < 4 || declared > MAX_FRAME_BYTES) {
          fail(
            `${where} sent a frame of ${declared} bytes (a response frame holds 4 to ${MAX_FRAME_BYTES} bytes)`,
            "protocol",
          );
          return;
        }
      }
      if (received < 4 + declared) return;
      if (received > 4 + declared) {
        fail(`${where} sent ${received - 4 - declared} bytes after its response frame`, "protocol");
        return;
      }
      const all = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received);
      const answered = all.readInt32BE(4);
      if (answered !== correlationId) {
        fail(`${where} answered another request (correlation id ${answered}, not ${correlationId})`, "protocol");
        return;
      }
      const reader = new Reader(all.subarray(8), where);
      try {
        if (req.flexible) reader.tags(); // response header v1
      } catch (err) {
        finish(err instanceof WireError ? err : new WireError(String(err), "protocol", { sent }));
        return;
      }
      finish(null, reader);
    });
    socket.on("error", (err) => fail(`${where}: ${err.message}`, sent ? "closed" : "connection"));
    socket.on("close", () =>
      fail(
        received > 0 ? `${where} closed the connection mid-answer` : `${where} closed the connection`,
        sent ? "closed" : "connection",
      ),
    );
  });
}

/** "host:port" (or "[v6]:port") as host and port. */
export function splitHostPort(address: string): [string, string] {
  const i = address.lastIndexOf(":");
  return [address.slice(0, i).replace(/^\[|\]$/g, ""), address.slice(i + 1)];
}

/**
 * Sends a request to the first of `seeds` ("host:port") that answers, within `timeoutMs` in all;
 * resolves with the response and the address that answered. Throws the last WireError when none does.
 * A broker that refuses the connection is skipped at once. One that does not answer in time is
 * skipped too for a read; a mutation is never sent twice, since the first may have taken effect:
 * its WireError then says the outcome is unknown (504 outcome_unknown), where one that never left
 * (connection refused, connect timeout) stays 503.
 */
export async function sendToAnyFrom(
  seeds: string[],
  req: KafkaRequest,
  timeoutMs: number,
  opts: { mutation?: boolean } = {},
): Promise<{ reader: Reader; from: string }> {
  const deadline = Date.now() + timeoutMs;
  const perTry = opts.mutation ? timeoutMs : Math.max(1000, Math.floor(timeoutMs / 2));
  let lastError: WireError | null = null;
  for (const address of seeds) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const [host, port] = splitHostPort(address);
    try {
      return { reader: await sendRequest(host, Number(port), req, Math.min(remaining, perTry)), from: address };
    } catch (err) {
      lastError = err instanceof WireError ? err : new WireError(String(err), "protocol");
      if (opts.mutation) lastError = lastError.asMutation();
      // A mutation whose bytes went out is never sent again: the first may have taken effect.
      if (opts.mutation && lastError.sent) break;
    }
  }
  throw lastError ?? new WireError(`No broker answered within ${timeoutMs} ms`, "timeout", { mutation: opts.mutation });
}

export async function sendToAny(
  seeds: string[],
  req: KafkaRequest,
  timeoutMs: number,
  opts: { mutation?: boolean } = {},
): Promise<Reader> {
  return (await sendToAnyFrom(seeds, req, timeoutMs, opts)).reader;
}
