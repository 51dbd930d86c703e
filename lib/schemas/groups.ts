import { z } from "zod";
import { topicNameSchema } from "./topics";

/** Kafka group ids: any non-empty string; Quorum caps the length like a topic name's. */
export const groupIdSchema = z
  .string({ error: "a group id is a string" })
  .min(1, "a group id is not empty")
  .max(249, "a group id is at most 249 characters");

const partitionSchema = z
  .number({ error: "a partition is a number" })
  .int("a partition is a whole number")
  .min(0, "a partition is not negative")
  .max(2_147_483_647);

/** Offsets are 63-bit in Kafka; above 2^53 JSON numbers lose precision, so Quorum stops there. */
const offsetSchema = z
  .number({ error: "offset is a number" })
  .int("offset is a whole number")
  .min(0, "offset must not be below 0")
  .max(Number.MAX_SAFE_INTEGER, "offset is too large");

/** One topic of a reset: all its partitions, or the chosen ones. */
const scopeSchema = z
  .object({
    topic: topicNameSchema,
    partitions: z.array(partitionSchema).min(1, "partitions, when given, name at least one").max(10_000).optional(),
  })
  .strict();

/**
 * A date-time the way kafka-consumer-groups --to-datetime takes it (ISO 8601, e.g.
 * 2026-11-25T17:00:00.000Z; without a zone it is the server's local time), or ms since the epoch.
 */
export const timestampSchema = z.union(
  [
    z.number().int("timestamp in ms is a whole number").min(0, "timestamp must not be before 1970"),
    z
      .string()
      .regex(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/,
        "timestamp is ISO 8601, e.g. 2026-11-25T17:00:00.000Z, or ms since 1970",
      )
      .refine((s) => !Number.isNaN(Date.parse(s)), "timestamp is not a real date"),
  ],
  { error: "timestamp is ISO 8601, e.g. 2026-11-25T17:00:00.000Z, or ms since 1970" },
);

/** A timestamp as ms since the epoch. */
export const toEpochMs = (t: number | string): number => (typeof t === "number" ? t : Date.parse(t));

const base = {
  topics: z.array(scopeSchema).min(1, "name at least one topic").max(1000),
  /** true: commit the offsets (--execute); absent or false: a preview (--dry-run). */
  execute: z.boolean({ error: "execute is true or false" }).optional(),
};

/** POST /api/clusters/:c/consumer-groups/:g/reset-offsets */
export const resetOffsetsSchema = z.discriminatedUnion(
  "mode",
  [
    z.object({ ...base, mode: z.literal("earliest") }).strict(),
    z.object({ ...base, mode: z.literal("latest") }).strict(),
    z.object({ ...base, mode: z.literal("timestamp"), timestamp: timestampSchema }).strict(),
    z.object({ ...base, mode: z.literal("offset"), offset: offsetSchema }).strict(),
    z
      .object({
        ...base,
        mode: z.literal("shift"),
        shift: z
          .number({ error: "shift is a whole number of messages, e.g. -100 or 25" })
          .int("shift is a whole number of messages, e.g. -100 or 25")
          .min(-Number.MAX_SAFE_INTEGER)
          .max(Number.MAX_SAFE_INTEGER),
      })
      .strict(),
    z.object({ ...base, mode: z.literal("group"), fromGroup: groupIdSchema }).strict(),
  ],
  { error: 'mode is "earliest", "latest", "timestamp", "offset", "shift" or "group"' },
);

export type ResetOffsetsInput = z.infer<typeof resetOffsetsSchema>;

/** POST /api/clusters/:c/topics/:t/delete-records */
export const deleteRecordsSchema = z
  .object({
    /** Per partition, the offset before which every record goes. */
    partitions: z
      .array(z.object({ partition: partitionSchema, offset: offsetSchema }).strict())
      .min(1, "name at least one partition")
      .max(10_000),
    /** true: delete; absent or false: a preview of what would go. */
    execute: z.boolean({ error: "execute is true or false" }).optional(),
  })
  .strict();

export type DeleteRecordsInput = z.infer<typeof deleteRecordsSchema>;
