import "server-only";

/** Every error code the API answers with, and its HTTP status: the one table handlers map from. */
export const errorStatus = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  not_found: 404,
  cluster_not_found: 404,
  broker_not_found: 404,
  topic_not_found: 404,
  group_not_found: 404,
  conflict: 409,
  confirmation_required: 409,
  not_controllable: 409,
  cluster_unavailable: 503,
  kafka_timeout: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** An error the app raises on purpose: its message is safe to show to the caller. */
export class AppError extends Error {
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
}
