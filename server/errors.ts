import "server-only";

/** Every error code the API answers with, and its HTTP status: the one table handlers map from. */
export const errorStatus = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  cross_origin: 403,
  unknown_host: 403,
  read_only: 403,
  not_found: 404,
  cluster_not_found: 404,
  broker_not_found: 404,
  topic_not_found: 404,
  group_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  confirmation_required: 409,
  not_controllable: 409,
  internal_topic: 409,
  busy: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_attempts: 429,
  cluster_unavailable: 503,
  kafka_timeout: 503,
  too_many_subscribers: 503,
  outcome_unknown: 504,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** What the API answers for an error: its status and the body's fields. */
export interface HttpErrorInfo {
  status: number;
  code: string;
  message: string;
  field?: string;
}

/**
 * The mark of an error that knows its HTTP answer. Next.js bundles server code more than once
 * (instrumentation and the routes each get a copy), and the one Quorum instance made by one copy
 * throws errors whose classes the other copy's `instanceof` does not know. A registered symbol is
 * the same in every copy, so errors are recognised by this mark, never by class identity.
 */
export const HTTP_ERROR: unique symbol = Symbol.for("quorum.http-error") as never;

export interface HasHttpError {
  [HTTP_ERROR](): HttpErrorInfo;
}

/** The HTTP answer an error carries, whichever bundle's copy of its class made it; null for any other error. */
export function httpErrorOf(err: unknown): HttpErrorInfo | null {
  if (typeof err !== "object" || err === null) return null;
  const describe = (err as Partial<HasHttpError>)[HTTP_ERROR];
  return typeof describe === "function" ? describe.call(err) : null;
}

/** An error the app raises on purpose: its message is safe to show to the caller. */
export class AppError extends Error implements HasHttpError {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.field = options?.field;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  [HTTP_ERROR](): HttpErrorInfo {
    return { status: this.status, code: this.code, message: this.message, field: this.field };
  }
}
