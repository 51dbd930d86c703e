import { z } from "zod";

/** The most messages one page (GET …/messages) returns. */
export const MAX_MESSAGES_LIMIT = 1000;
export const DEFAULT_MESSAGES_LIMIT = 100;
/** Per key, value and header: bytes shown before `truncated`. */
export const DEFAULT_MAX_VALUE_BYTES = 16 * 1024;
export const MAX_VALUE_BYTES_CAP = 1024 * 1024;

const INT32_MAX = 2_147_483_647;
/** Kafka offsets are int64: at most 19 digits, and no more than 2^63 − 1. */
const OFFSET_MAX = 9_223_372_036_854_775_807n;

const wholeNumber = (what: string, max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, `${what} is a whole number (0 or more)`)
    .transform(Number)
    .refine((n) => n <= max, `${what} is at most ${max}`);

const format = z.enum(["auto", "text", "json", "hex", "base64"], {
  error: "one of auto, text, json, hex, base64",
});

/** GET /api/clusters/:c/topics/:t/messages — the query string, every field a string as sent. */
export const messagesQuerySchema = z
  .object({
    partition: wholeNumber("partition", INT32_MAX).optional(),
    seek: z
      .enum(["newest", "oldest", "offset", "timestamp"], { error: "one of newest, oldest, offset, timestamp" })
      .optional(),
    offset: z
      .string()
      .regex(/^\d{1,19}$/, "offset is a whole number (0 or more)")
      .transform((s) => BigInt(s))
      .refine((n) => n <= OFFSET_MAX, "offset is at most 2^63 − 1")
      .optional(),
    timestamp: z
      .string()
      .transform((s, ctx) => {
        const ms = /^\d{1,15}$/.test(s) ? Number(s) : /^\d{4}-\d\d-\d\d/.test(s) ? Date.parse(s) : Number.NaN;
        if (!Number.isFinite(ms)) {
          ctx.addIssue({
            code: "custom",
            message: "timestamp is milliseconds since 1970 or an ISO 8601 time (2026-05-01T12:00:00Z)",
          });
          return z.NEVER;
        }
        return ms;
      })
      .optional(),
    limit: wholeNumber("limit", MAX_MESSAGES_LIMIT)
      .refine((n) => n >= 1, "limit is at least 1")
      .default(DEFAULT_MESSAGES_LIMIT),
    isolation: z
      .enum(["read_committed", "read_uncommitted"], { error: "read_committed or read_uncommitted" })
      .default("read_committed"),
    cursor: z.string().min(1).max(100_000).optional(),
    keyFormat: format.default("auto"),
    valueFormat: format.default("auto"),
    maxValueBytes: wholeNumber("maxValueBytes", MAX_VALUE_BYTES_CAP)
      .refine((n) => n >= 1, "maxValueBytes is at least 1")
      .default(DEFAULT_MAX_VALUE_BYTES),
  })
  .strict()
  .superRefine((q, ctx) => {
    const seek = q.seek ?? (q.offset !== undefined ? "offset" : q.timestamp !== undefined ? "timestamp" : undefined);
    if (q.cursor !== undefined && (q.seek !== undefined || q.offset !== undefined || q.timestamp !== undefined))
      ctx.addIssue({
        code: "custom",
        path: ["cursor"],
        message: "a cursor carries its own positions: leave out seek, offset and timestamp",
      });
    if (seek === "offset" && q.offset === undefined)
      ctx.addIssue({ code: "custom", path: ["offset"], message: "offset is required with seek=offset" });
    if (seek === "timestamp" && q.timestamp === undefined)
      ctx.addIssue({ code: "custom", path: ["timestamp"], message: "timestamp is required with seek=timestamp" });
    if (q.offset !== undefined && seek !== "offset")
      ctx.addIssue({ code: "custom", path: ["offset"], message: "offset goes with seek=offset" });
    if (q.timestamp !== undefined && seek !== "timestamp")
      ctx.addIssue({ code: "custom", path: ["timestamp"], message: "timestamp goes with seek=timestamp" });
  })
  .transform((q) => ({
    ...q,
    seek: q.seek ?? (q.offset !== undefined ? "offset" : q.timestamp !== undefined ? "timestamp" : "newest"),
  }));

export type MessagesQuery = z.infer<typeof messagesQuerySchema>;

const headerSchema = z.object({
  key: z.string().min(1, "a header needs a key").max(1024),
  value: z
    .string()
    .max(1024 * 1024)
    .nullable(),
});

/** POST /api/clusters/:c/topics/:t/messages */
export const produceSchema = z
  .object({
    key: z
      .string()
      .max(1024 * 1024)
      .nullable()
      .optional(),
    value: z
      .string()
      .max(1024 * 1024)
      .nullable(),
    /** json: `value` must be JSON text (sent as written). */
    valueType: z.enum(["text", "json"], { error: "text or json" }).default("text"),
    headers: z.array(headerSchema).max(100).default([]),
    /** Absent: by key (murmur2, as Kafka's clients), or round-robin without a key. */
    partition: z.number().int().min(0).max(INT32_MAX).optional(),
    acks: z.union([z.literal(-1), z.literal(0), z.literal(1)], { error: "acks is -1 (all), 0 or 1" }).default(-1),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.valueType === "json") {
      if (b.value === null) return;
      try {
        JSON.parse(b.value);
      } catch (err) {
        ctx.addIssue({
          code: "custom",
          path: ["value"],
          message: `value is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    }
  });

export type ProduceInput = z.infer<typeof produceSchema>;

/** GET /api/clusters/:c/topics/:t/messages/partition?key=… */
export const partitionForKeySchema = z
  .object({
    key: z
      .string()
      .max(1024 * 1024)
      .optional(),
  })
  .strict();
