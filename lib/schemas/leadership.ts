import { z } from "zod";

/** Topic rows of the leadership summary one page returns at most, and by default. */
export const MAX_LEADERSHIP_LIMIT = 500;
export const DEFAULT_LEADERSHIP_LIMIT = 50;
/** Partitions one page of GET …/partitions returns at most. */
export const MAX_PARTITIONS_LIMIT = 5000;

const wholeNumber = (what: string, max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, `${what} is a whole number (0 or more)`)
    .transform(Number)
    .refine((n) => n <= max, `${what} is at most ${max}`);

const limit = (max: number) => wholeNumber("limit", max).refine((n) => n >= 1, "limit is at least 1");

const internalFlag = z
  .enum(["true", "false"], { error: "internal is true or false" })
  .transform((v) => v === "true")
  .default(false);

/** GET /api/clusters/:c/leadership — the query string, every field a string as sent. */
export const leadershipQuerySchema = z
  .object({
    /** Topic rows whose name contains it (case-insensitive). */
    q: z.string().max(249, "q is at most 249 characters (a topic name's longest)").default(""),
    offset: wholeNumber("offset", 1_000_000_000).default(0),
    limit: limit(MAX_LEADERSHIP_LIMIT).default(DEFAULT_LEADERSHIP_LIMIT),
    /** `name`, or `problems`: offline partitions first, then under-replicated ones, then leaders off their preferred broker. */
    sort: z.enum(["name", "problems"], { error: "sort is name or problems" }).default("name"),
    /** Count internal topics (`__consumer_offsets`, …) too. */
    internal: internalFlag,
  })
  .strict();

export type LeadershipQuery = z.infer<typeof leadershipQuerySchema>;

/**
 * GET /api/clusters/:c/partitions — without `topic`, `offset` and `limit` the answer is every
 * partition, as it always was; with them, one topic's partitions and/or one page (the total in
 * the `X-Total-Count` header).
 */
export const partitionsQuerySchema = z
  .object({
    internal: internalFlag,
    topic: z.string().min(1, "topic is a topic's name").max(249).optional(),
    offset: wholeNumber("offset", 1_000_000_000).default(0),
    limit: limit(MAX_PARTITIONS_LIMIT).optional(),
  })
  .strict();

export type PartitionsQuery = z.infer<typeof partitionsQuerySchema>;
