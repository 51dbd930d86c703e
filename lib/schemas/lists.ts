import { z } from "zod";

/** Rows one list page holds when the caller does not say. */
export const LIST_LIMIT_DEFAULT = 100;
/** Rows one list page holds at most. */
export const LIST_LIMIT_MAX = 1000;
/** The longest search text: more than any topic name (249) or group id anyone types. */
export const LIST_QUERY_MAX = 256;

/** The topic list's sortable columns. */
export const TOPIC_SORT_KEYS = [
  "name",
  "partitions",
  "replicationFactor",
  "underReplicated",
  "offline",
  "messages",
] as const;
export type TopicSortKey = (typeof TOPIC_SORT_KEYS)[number];

/** The consumer-group list's sortable columns (`lag`: the group's total lag; a group without commits sorts lowest). */
export const GROUP_SORT_KEYS = ["groupId", "type", "state", "members", "lag"] as const;
export type GroupSortKey = (typeof GROUP_SORT_KEYS)[number];

export type SortDir = "asc" | "desc";

function wholeNumber(what: string, min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,10}$/, `${what} is a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${what} is between ${min} and ${max}`);
}

const common = {
  q: z
    .string()
    .max(LIST_QUERY_MAX, `q has at most ${LIST_QUERY_MAX} characters`)
    .transform((s) => s.trim())
    .default(""),
  dir: z.enum(["asc", "desc"], { error: "dir is asc or desc" }).default("asc"),
  offset: wholeNumber("offset", 0, 1_000_000_000).default(0),
  limit: wholeNumber("limit", 1, LIST_LIMIT_MAX).default(LIST_LIMIT_DEFAULT),
};

/**
 * `GET …/topics`: `q` a case-insensitive part of the name, `sort` a column, `dir`, `offset`,
 * `limit` (1–1000, default 100), `internal=true` to include internal topics. Unknown parameters are refused.
 */
export const topicListQuerySchema = z
  .object({
    ...common,
    sort: z.enum(TOPIC_SORT_KEYS, { error: `sort is one of ${TOPIC_SORT_KEYS.join(", ")}` }).default("name"),
    internal: z
      .enum(["true", "false"], { error: "internal is true or false" })
      .transform((v) => v === "true")
      .default(false),
  })
  .strict();
export type TopicListQuery = z.output<typeof topicListQuerySchema>;

/** `GET …/consumer-groups`: `q` a case-insensitive part of the group id, `sort`, `dir`, `offset`, `limit`. */
export const groupListQuerySchema = z
  .object({
    ...common,
    sort: z.enum(GROUP_SORT_KEYS, { error: `sort is one of ${GROUP_SORT_KEYS.join(", ")}` }).default("groupId"),
  })
  .strict();
export type GroupListQuery = z.output<typeof groupListQuerySchema>;

/** A list query as the browser builds it: every field optional, sent only when set. */
export type ListParams = Partial<{
  q: string;
  sort: string;
  dir: SortDir;
  offset: number;
  limit: number;
  internal: boolean;
}>;

/** The query string of a list request (`?q=…&limit=…`), empty fields left out. */
export function listSearch(params: ListParams): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === "" || v === null) continue;
    s.set(k, String(v));
  }
  const text = s.toString();
  return text ? `?${text}` : "";
}
