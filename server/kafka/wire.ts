import "server-only";
import net from "node:net";
import { type HasHttpError, HTTP_ERROR, type HttpErrorInfo } from "../errors";

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

export class Reader {
  private offset = 0;

  constructor(private readonly buf: Buffer) {}

  int8(): number {
    const v = this.buf.readInt8(this.offset);
    this.offset += 1;
    return v;
  }

  int16(): number {
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  int64(): bigint {
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buf.readUInt8(this.offset++);
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 28) throw new WireError("varint too long", "protocol");
    }
  }

  compactString(): string | null {
    const len = this.uvarint() - 1;
    if (len < 0) return null;
    const v = this.buf.toString("utf8", this.offset, this.offset + len);
    this.offset += len;
    return v;
  }

  compactBytes(): Buffer | null {
    const len = this.uvarint() - 1;
    if (len < 0) return null;
    const v = this.buf.subarray(this.offset, this.offset + len);
    this.offset += len;
    return v;
  }

  bytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    const v = this.buf.subarray(this.offset, this.offset + len);
    this.offset += len;
    return v;
  }

  compactArray<T>(each: (r: Reader) => T): T[] {
    const len = this.uvarint() - 1;
    const out: T[] = [];
    for (let i = 0; i < len; i++) out.push(each(this));
    return out;
  }

  /** Skips a tagged-field section: Quorum reads no tagged fields. */
  tags(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.offset += this.uvarint();
    }
  }

  string(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    const v = this.buf.toString("utf8", this.offset, this.offset + len);
    this.offset += len;
    return v;
  }

  array<T>(each: (r: Reader) => T): T[] {
    const len = this.int32();
    const out: T[] = [];
    for (let i = 0; i < len; i++) out.push(each(this));
    return out;
  }
}

export class WireError extends Error implements HasHttpError {
  constructor(
    message: string,
    /** connection: nothing was sent; closed: the connection dropped after the request went out. */
    readonly kind: "timeout" | "connection" | "closed" | "protocol",
  ) {
    super(message);
    this.name = "WireError";
  }

  [HTTP_ERROR](): HttpErrorInfo {
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

/** Sends one request to host:port on a fresh connection and returns a reader over the response body. */
export function sendRequest(host: string, port: number, req: KafkaRequest, timeoutMs: number): Promise<Reader> {
  const correlationId = nextCorrelationId++ & 0x7fffffff;
  const hw = new Writer().int16(req.apiKey).int16(req.version).int32(correlationId).string("quorum");
  if (req.flexible) hw.tags(); // request header v2
  const header = hw.bytes();
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + req.body.length);
  const frame = Buffer.concat([size, header, req.body]);

  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    let settled = false;
    const socket = net.connect({ host, port });
    const finish = (err: WireError | null, value?: Reader) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else if (value) resolve(value);
    };
    const timer = setTimeout(
      () => finish(new WireError(`${host}:${port} did not answer within ${timeoutMs} ms`, "timeout")),
      timeoutMs,
    );
    let sent = false;
    socket.on("connect", () => {
      sent = true;
      socket.write(frame);
    });
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const length = received.readInt32BE(0);
      if (received.length < 4 + length) return;
      const body = received.subarray(4, 4 + length);
      if (body.readInt32BE(0) !== correlationId) {
        finish(new WireError(`${host}:${port} answered another request`, "protocol"));
        return;
      }
      const reader = new Reader(body.subarray(4));
      if (req.flexible) reader.tags(); // response header v1
      finish(null, reader);
    });
    socket.on("error", (err) =>
      finish(new WireError(`${host}:${port}: ${err.message}`, sent ? "closed" : "connection")),
    );
    socket.on("close", () =>
      finish(new WireError(`${host}:${port} closed the connection`, sent ? "closed" : "connection")),
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
 * skipped too for a read; a mutation is never sent twice, since the first may have taken effect.
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
      if (opts.mutation && lastError.kind !== "connection") break;
    }
  }
  throw lastError ?? new WireError(`No broker answered within ${timeoutMs} ms`, "timeout");
}

export async function sendToAny(
  seeds: string[],
  req: KafkaRequest,
  timeoutMs: number,
  opts: { mutation?: boolean } = {},
): Promise<Reader> {
  return (await sendToAnyFrom(seeds, req, timeoutMs, opts)).reader;
}
