import { z } from "zod";
import { parseJsonPath } from "@/lib/json-path";

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

const messagesOffset = z
  .string()
  .regex(/^\d{1,19}$/, "offset is a whole number (0 or more)")
  .transform((s) => BigInt(s))
  .refine((n) => n <= OFFSET_MAX, "offset is at most 2^63 − 1");

const messagesTimestamp = z.string().transform((s, ctx) => {
  const ms = /^\d{1,15}$/.test(s) ? Number(s) : /^\d{4}-\d\d-\d\d/.test(s) ? Date.parse(s) : Number.NaN;
  if (!Number.isFinite(ms)) {
    ctx.addIssue({
      code: "custom",
      message: "timestamp is milliseconds since 1970 or an ISO 8601 time (2026-05-01T12:00:00Z)",
    });
    return z.NEVER;
  }
  return ms;
});

const isolationParam = z
  .enum(["read_committed", "read_uncommitted"], { error: "read_committed or read_uncommitted" })
  .default("read_committed");

const maxValueBytesParam = wholeNumber("maxValueBytes", MAX_VALUE_BYTES_CAP)
  .refine((n) => n >= 1, "maxValueBytes is at least 1")
  .default(DEFAULT_MAX_VALUE_BYTES);

/** GET /api/clusters/:c/topics/:t/messages — the query string, every field a string as sent. */
export const messagesQuerySchema = z
  .object({
    partition: wholeNumber("partition", INT32_MAX).optional(),
    seek: z
      .enum(["newest", "oldest", "offset", "timestamp"], { error: "one of newest, oldest, offset, timestamp" })
      .optional(),
    offset: messagesOffset.optional(),
    timestamp: messagesTimestamp.optional(),
    limit: wholeNumber("limit", MAX_MESSAGES_LIMIT)
      .refine((n) => n >= 1, "limit is at least 1")
      .default(DEFAULT_MESSAGES_LIMIT),
    isolation: isolationParam,
    cursor: z.string().min(1).max(100_000).optional(),
    keyFormat: format.default("auto"),
    valueFormat: format.default("auto"),
    maxValueBytes: maxValueBytesParam,
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

// Search (GET …/messages/search) and live tail (GET …/messages/tail): both answer an event stream.

/** The longest substring or regex a search takes. */
export const MAX_PATTERN_LENGTH = 500;
/** Budget caps: records read, seconds spent, matches sent. */
export const MAX_SCAN_MESSAGES = 10_000_000;
export const DEFAULT_SCAN_MESSAGES = 1_000_000;
export const MAX_SCAN_SECONDS = 300;
export const DEFAULT_SCAN_SECONDS = 30;
export const MAX_SEARCH_MATCHES = 10_000;
export const DEFAULT_SEARCH_MATCHES = 500;
/** Messages per second a live tail sends at most. */
export const MAX_TAIL_RATE = 1000;
export const DEFAULT_TAIL_RATE = 20;

const SEARCH_FIELDS = ["key", "value", "headers"] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

const fieldList = z
  .string()
  .transform((s, ctx) => {
    const parts = s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
    const bad = parts.find((p) => !(SEARCH_FIELDS as readonly string[]).includes(p));
    if (bad !== undefined || parts.length === 0) {
      ctx.addIssue({
        code: "custom",
        message: `a comma-separated list of key, value, headers${bad ? ` (not "${bad}")` : ""}`,
      });
      return z.NEVER;
    }
    return [...new Set(parts)] as SearchField[];
  })
  .default(["key", "value", "headers"]);

const partitionList = z.string().transform((s, ctx) => {
  const parts = s.split(",").map((x) => x.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d{1,10}$/.test(p) || Number(p) > INT32_MAX)) {
    ctx.addIssue({ code: "custom", message: "partition is a whole number, or several separated by commas (0,2,5)" });
    return z.NEVER;
  }
  return [...new Set(parts.map(Number))];
});

/**
 * GET …/messages/search — what to look for (`mode` with `pattern`, or `path`/`op`/`operand`), in
 * which fields, from where (`seek` oldest, an offset or a time; every partition or a list) and
 * with what budget. The regex is compiled by the server (400 when it is invalid or cannot run in
 * linear time); the form checks it as far as the browser can.
 */
export const searchQuerySchema = z
  .object({
    mode: z.enum(["substring", "regex", "jsonpath"], { error: "one of substring, regex, jsonpath" }),
    pattern: z
      .string()
      .min(1, "pattern is empty")
      .max(MAX_PATTERN_LENGTH, `pattern is at most ${MAX_PATTERN_LENGTH} characters`)
      .optional(),
    path: z.string().max(MAX_PATTERN_LENGTH, `path is at most ${MAX_PATTERN_LENGTH} characters`).optional(),
    op: z
      .enum(["==", "!=", ">", ">=", "<", "<=", "contains", "exists"], {
        error: "one of ==, !=, >, >=, <, <=, contains, exists",
      })
      .optional(),
    operand: z.string().max(MAX_PATTERN_LENGTH).optional(),
    in: fieldList,
    partition: partitionList.optional(),
    seek: z.enum(["oldest", "offset", "timestamp"], { error: "one of oldest, offset, timestamp" }).default("oldest"),
    offset: messagesOffset.optional(),
    timestamp: messagesTimestamp.optional(),
    maxMessages: wholeNumber("maxMessages", MAX_SCAN_MESSAGES)
      .refine((n) => n >= 1, "maxMessages is at least 1")
      .default(DEFAULT_SCAN_MESSAGES),
    maxSeconds: wholeNumber("maxSeconds", MAX_SCAN_SECONDS)
      .refine((n) => n >= 1, "maxSeconds is at least 1")
      .default(DEFAULT_SCAN_SECONDS),
    maxMatches: wholeNumber("maxMatches", MAX_SEARCH_MATCHES)
      .refine((n) => n >= 1, "maxMatches is at least 1")
      .default(DEFAULT_SEARCH_MATCHES),
    isolation: isolationParam,
    keyFormat: format.default("auto"),
    valueFormat: format.default("auto"),
    maxValueBytes: maxValueBytesParam,
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.mode === "jsonpath") {
      if (q.path === undefined)
        ctx.addIssue({
          code: "custom",
          path: ["path"],
          message: "path is required with mode=jsonpath (e.g. a.b[0].c)",
        });
      else
        try {
          parseJsonPath(q.path);
        } catch (err) {
          ctx.addIssue({ code: "custom", path: ["path"], message: (err as Error).message });
        }
      if (q.op === undefined)
        ctx.addIssue({ code: "custom", path: ["op"], message: "op is required with mode=jsonpath" });
      else if (q.op !== "exists" && q.operand === undefined)
        ctx.addIssue({ code: "custom", path: ["operand"], message: `operand is required with op ${q.op}` });
      if (q.pattern !== undefined)
        ctx.addIssue({ code: "custom", path: ["pattern"], message: "pattern goes with mode=substring or regex" });
    } else {
      if (q.pattern === undefined)
        ctx.addIssue({ code: "custom", path: ["pattern"], message: `pattern is required with mode=${q.mode}` });
      for (const f of ["path", "op", "operand"] as const)
        if (q[f] !== undefined) ctx.addIssue({ code: "custom", path: [f], message: `${f} goes with mode=jsonpath` });
    }
    if (q.seek === "offset" && q.offset === undefined)
      ctx.addIssue({ code: "custom", path: ["offset"], message: "offset is required with seek=offset" });
    if (q.seek === "timestamp" && q.timestamp === undefined)
      ctx.addIssue({ code: "custom", path: ["timestamp"], message: "timestamp is required with seek=timestamp" });
    if (q.offset !== undefined && q.seek !== "offset")
      ctx.addIssue({ code: "custom", path: ["offset"], message: "offset goes with seek=offset" });
    if (q.timestamp !== undefined && q.seek !== "timestamp")
      ctx.addIssue({ code: "custom", path: ["timestamp"], message: "timestamp goes with seek=timestamp" });
  });

export type SearchQuery = z.infer<typeof searchQuerySchema>;

/** GET …/messages/tail — which partitions (all when absent), how fast at most, how shown. */
export const tailQuerySchema = z
  .object({
    partition: partitionList.optional(),
    maxRate: wholeNumber("maxRate", MAX_TAIL_RATE)
      .refine((n) => n >= 1, "maxRate is at least 1")
      .default(DEFAULT_TAIL_RATE),
    isolation: isolationParam,
    keyFormat: format.default("auto"),
    valueFormat: format.default("auto"),
    maxValueBytes: maxValueBytesParam,
  })
  .strict();

export type TailQuery = z.infer<typeof tailQuerySchema>;
