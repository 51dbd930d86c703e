import { z } from "zod";

export const MAX_PARTITIONS = 10_000;

/** Kafka's topic-name rules: 1–249 of [a-zA-Z0-9._-], and not "." or "..". */
export const topicNameSchema = z
  .string({ error: "name is required" })
  .min(1, "name is required")
  .max(249, "a topic name has at most 249 characters")
  .regex(/^[a-zA-Z0-9._-]+$/, "a topic name uses only letters, digits, '.', '_' and '-'")
  .refine((n) => n !== "." && n !== "..", 'a topic name cannot be "." or ".."');

/**
 * Kafka replaces '.' with '_' in metric names, so "a.b" and "a_b" collide: Kafka refuses the
 * second. Returns the existing topic a new name would collide with, if any.
 */
export function collidingTopic(name: string, existing: string[]): string | null {
  const norm = (s: string) => s.replaceAll(".", "_");
  return existing.find((e) => e !== name && norm(e) === norm(name)) ?? null;
}

type Spec =
  | { kind: "long" | "int"; min: number; max?: number }
  | { kind: "double"; min: number; max: number }
  | { kind: "bool" }
  | { kind: "enum"; values: string[] }
  | { kind: "list"; values: string[] };

const INT_MAX = 2_147_483_647;

/** The topic-level configs Quorum accepts, with their types and bounds as Kafka defines them. */
export const TOPIC_CONFIGS: Record<string, Spec> = {
  "cleanup.policy": { kind: "list", values: ["delete", "compact"] },
  "compression.type": { kind: "enum", values: ["producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"] },
  "delete.retention.ms": { kind: "long", min: 0 },
  "file.delete.delay.ms": { kind: "long", min: 0 },
  "flush.messages": { kind: "long", min: 1 },
  "flush.ms": { kind: "long", min: 0 },
  "index.interval.bytes": { kind: "int", min: 0 },
  "local.retention.bytes": { kind: "long", min: -2 },
  "local.retention.ms": { kind: "long", min: -2 },
  "max.compaction.lag.ms": { kind: "long", min: 1 },
  "max.message.bytes": { kind: "int", min: 0 },
  "message.timestamp.after.max.ms": { kind: "long", min: 0 },
  "message.timestamp.before.max.ms": { kind: "long", min: 0 },
  "message.timestamp.type": { kind: "enum", values: ["CreateTime", "LogAppendTime"] },
  "min.cleanable.dirty.ratio": { kind: "double", min: 0, max: 1 },
  "min.compaction.lag.ms": { kind: "long", min: 0 },
  "min.insync.replicas": { kind: "int", min: 1 },
  preallocate: { kind: "bool" },
  "retention.bytes": { kind: "long", min: -1 },
  "retention.ms": { kind: "long", min: -1 },
  "segment.bytes": { kind: "int", min: 1_048_576 },
  "segment.index.bytes": { kind: "int", min: 4 },
  "segment.jitter.ms": { kind: "long", min: 0 },
  "segment.ms": { kind: "long", min: 1 },
  "unclean.leader.election.enable": { kind: "bool" },
};

/** The spec of a config Quorum knows; never a member of Object.prototype ("constructor", "toString"…). */
function specOf(name: string): Spec | undefined {
  return Object.hasOwn(TOPIC_CONFIGS, name) ? TOPIC_CONFIGS[name] : undefined;
}

/**
 * Why a config value is refused, as data: the API words it in English (`configProblemText`), the
 * console in the page's language (topics.configs.problem.<kind> in the catalog, same arguments).
 */
export type ConfigProblem =
  | { kind: "unknown" | "empty" | "whole" | "bool" }
  | { kind: "range" | "numberRange"; min: number; max: number }
  | { kind: "oneOf" | "listOf"; values: string[] };

/** A refused config value in the API's words (English). */
export function configProblemText(name: string, p: ConfigProblem): string {
  switch (p.kind) {
    case "unknown":
      return `${name} is not a topic config Quorum knows`;
    case "empty":
      return `${name} needs a value`;
    case "whole":
      return `${name} must be a whole number`;
    case "range":
      return `${name} must be between ${p.min} and ${p.max}`;
    case "numberRange":
      return `${name} must be a number between ${p.min} and ${p.max}`;
    case "bool":
      return `${name} must be true or false`;
    case "oneOf":
      return `${name} must be one of ${p.values.join(", ")}`;
    case "listOf":
      return `${name} is a list of ${p.values.join(", ")}`;
  }
}

const unknownConfig = (name: string) => configProblemText(name, { kind: "unknown" });

/**
 * Checks one config value; returns the value as Kafka wants it (a string), or why it is refused:
 * an English sentence (`error`) and the same as data (`problem`).
 */
export function checkTopicConfig(
  name: string,
  raw: unknown,
): { value: string } | { error: string; problem: ConfigProblem } {
  const refuse = (problem: ConfigProblem) => ({ error: configProblemText(name, problem), problem });
  const spec = specOf(name);
  if (!spec) return refuse({ kind: "unknown" });
  const text =
    typeof raw === "number" || typeof raw === "boolean" ? String(raw) : typeof raw === "string" ? raw.trim() : null;
  if (text === null || text === "") return refuse({ kind: "empty" });
  switch (spec.kind) {
    case "long":
    case "int": {
      if (!/^-?\d+$/.test(text)) return refuse({ kind: "whole" });
      const n = Number(text);
      const max = spec.max ?? (spec.kind === "int" ? INT_MAX : Number.MAX_SAFE_INTEGER);
      if (n < spec.min || n > max) return refuse({ kind: "range", min: spec.min, max });
      return { value: String(n) };
    }
    case "double": {
      const n = Number(text);
      if (!Number.isFinite(n) || n < spec.min || n > spec.max) {
        return refuse({ kind: "numberRange", min: spec.min, max: spec.max });
      }
      return { value: String(n) };
    }
    case "bool":
      return text === "true" || text === "false" ? { value: text } : refuse({ kind: "bool" });
    case "enum":
      return spec.values.includes(text) ? { value: text } : refuse({ kind: "oneOf", values: spec.values });
    case "list": {
      const items = text.split(",").map((s) => s.trim());
      if (items.some((i) => !spec.values.includes(i)) || new Set(items).size !== items.length) {
        return refuse({ kind: "listOf", values: spec.values });
      }
      return { value: items.join(",") };
    }
  }
}

const configValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * Config names as they stand in the parsed JSON. A record schema drops a "__proto__" key without
 * a word, so names are checked before it: every unknown name is refused, never ignored.
 */
function knownNames<S extends z.ZodType>(record: S) {
  return z.preprocess((value, ctx) => {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const name of Object.keys(value))
        if (!specOf(name))
          ctx.issues.push({ code: "custom", message: unknownConfig(name), path: [name], input: value });
    }
    return value;
  }, record);
}

/** Topic configs by name; every name known and every value of its type. */
export const topicConfigsSchema = knownNames(
  z.record(z.string(), configValue).transform((configs, ctx) => {
    const out: Record<string, string> = {};
    for (const [name, raw] of Object.entries(configs)) {
      const checked = checkTopicConfig(name, raw);
      if ("error" in checked) ctx.addIssue({ code: "custom", message: checked.error, path: [name] });
      else out[name] = checked.value;
    }
    return out;
  }),
);

const count = (what: string, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(1, `${what} must be at least 1`)
    .max(max, `${what} must be at most ${max.toLocaleString("en-US")}`);

/** POST /api/clusters/:c/topics — also the create-topic form's schema. */
export const createTopicSchema = z
  .object({
    name: topicNameSchema,
    partitions: count("partitions", MAX_PARTITIONS),
    replicationFactor: count("replicationFactor", 32_767),
    configs: topicConfigsSchema.optional(),
  })
  .strict();

export type CreateTopicInput = z.input<typeof createTopicSchema>;

/** POST /api/clusters/:c/topics/:t/partitions — count is the new total. */
export const addPartitionsSchema = z.object({ count: count("count", MAX_PARTITIONS) }).strict();

/** PATCH /api/clusters/:c/topics/:t/configs — a null value resets the config to its default. */
export const alterTopicConfigsSchema = z
  .object({
    configs: knownNames(
      z
        .record(z.string(), configValue.nullable())
        .refine((c) => Object.keys(c).length > 0, "name at least one config")
        .transform((configs, ctx) => {
          const out: Record<string, string | null> = {};
          for (const [name, raw] of Object.entries(configs)) {
            if (raw === null) {
              out[name] = null;
              continue;
            }
            const checked = checkTopicConfig(name, raw);
            if ("error" in checked) ctx.addIssue({ code: "custom", message: checked.error, path: [name] });
            else out[name] = checked.value;
          }
          return out;
        }),
    ),
  })
  .strict();

/** POST /api/clusters/:c/elect-leaders — one topic, or every topic when none is named. */
export const electLeadersSchema = z.object({ topic: topicNameSchema.optional() }).strict();
