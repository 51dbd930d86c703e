import "server-only";
import { errorStatus, type HasHttpError, HTTP_ERROR, type HttpErrorInfo } from "../errors";

/**
 * The largest response frame Quorum accepts. A Metadata v12 answer costs about 50 bytes per
 * partition at replication factor 3 plus the topic names and ids, so 40,000 partitions are near
 * 2 MiB and OffsetFetch for many groups a few MiB more; 64 MiB leaves a wide margin while a broker
 * that declares more (or 2^31−1) is refused before a byte of its body is kept (see frame-guard.ts).
 */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

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
     * timeout: no answer in time; connection: the connection (TCP, TLS, SASL or version negotiation)
     * failed before the request was written;
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

/** "host:port" (or "[v6]:port") as host and port. */
export function splitHostPort(address: string): [string, string] {
  const i = address.lastIndexOf(":");
  return [address.slice(0, i).replace(/^\[|\]$/g, ""), address.slice(i + 1)];
}
