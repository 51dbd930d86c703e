import "server-only";
import { type ResetOffsetsInput, toEpochMs } from "@/lib/schemas/groups";
import { sh, verbatim } from "@/lib/shell-quote";
import type { OffsetResetPartition } from "@/lib/types";
import { AppError } from "../errors";
import type { ClusterContext } from "./context";

/**
 * The arithmetic of an offset reset, as kafka-consumer-groups computes it (pure: unit-tested on its
 * own), and the text of its equivalent commands. group-commands.ts reads the facts from Kafka and
 * applies the result.
 */

type Ctx = Pick<ClusterContext, "read">;

/** The key of one partition in the maps of offsets. */
export const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** The topic and partition of a key. */
export function unkey(k: string): { topic: string; partition: number } {
  const [topic, p] = k.split("\u0000") as [string, string];
  return { topic, partition: Number(p) };
}

export interface PartitionFacts {
  currentOffset: number | null;
  logStartOffset: number;
  logEndOffset: number;
  /** Timestamp mode: ListOffsets' answer for the time (-1: no message at or after it). */
  offsetForTime?: number;
  /** Group mode: the source group's committed offset, or null when it has none. */
  sourceOffset?: number | null;
}

export type ResetTarget =
  | { mode: "earliest" }
  | { mode: "latest" }
  | { mode: "timestamp"; timestamp: number }
  | { mode: "offset"; offset: number }
  | { mode: "shift"; shift: number }
  | { mode: "group"; fromGroup: string };

/**
 * Where one partition's offset goes, as ConsumerGroupCommand computes it: the mode's offset, then
 * clamped to [log start, log end] (checkOffsetsRange). A time after the last message gives the log
 * end, as the CLI does; a shift needs a committed offset (the CLI refuses too).
 */
export function resetPartition(
  topic: string,
  partition: number,
  f: PartitionFacts,
  target: ResetTarget,
): OffsetResetPartition {
  let requested: number;
  let note: string | null = null;
  switch (target.mode) {
    case "earliest":
      requested = f.logStartOffset;
      break;
    case "latest":
      requested = f.logEndOffset;
      break;
    case "timestamp":
      if (f.offsetForTime === undefined || f.offsetForTime < 0) {
        requested = f.logEndOffset;
        note = "no message at or after that time: the log end, as kafka-consumer-groups does";
      } else requested = f.offsetForTime;
      break;
    case "offset":
      requested = target.offset;
      break;
    case "shift":
      if (f.currentOffset === null)
        throw new AppError(
          "validation_failed",
          `Cannot shift ${topic}-${partition}: the group has no committed offset there (kafka-consumer-groups refuses too)`,
          { field: "shift" },
        );
      requested = f.currentOffset + target.shift;
      break;
    case "group":
      if (f.sourceOffset === null || f.sourceOffset === undefined) {
        requested = f.logEndOffset;
        note = `${target.fromGroup} has no committed offset here: the log end, as --to-current gives it`;
      } else requested = f.sourceOffset;
      break;
  }
  let newOffset = requested;
  let clamped: OffsetResetPartition["clamped"] = null;
  if (requested < f.logStartOffset) {
    newOffset = f.logStartOffset;
    clamped = "log-start";
    note = `${requested} is before the log start ${f.logStartOffset}: moved to the log start`;
  } else if (requested > f.logEndOffset) {
    newOffset = f.logEndOffset;
    clamped = "log-end";
    note = `${requested} is past the log end ${f.logEndOffset}: moved to the log end`;
  }
  return {
    topic,
    partition,
    currentOffset: f.currentOffset,
    requestedOffset: requested,
    newOffset,
    logStartOffset: f.logStartOffset,
    logEndOffset: f.logEndOffset,
    clamped,
    note,
    lagBefore: f.currentOffset === null ? null : f.logEndOffset - f.currentOffset,
    lagAfter: f.logEndOffset - newOffset,
  };
}

/** A date-time as kafka-consumer-groups --to-datetime reads it: yyyy-MM-ddTHH:mm:ss.SSS and a zone. */
export const cliDateTime = (ms: number) => new Date(ms).toISOString();

export function cliBase(ctx: Ctx): string {
  const config = ctx.read.security ? verbatim(" --command-config client.properties") : verbatim("");
  return sh`kafka-consumer-groups.sh --bootstrap-server ${ctx.read.bootstrap.join(",")}${config}`;
}

/** --topic t or --topic t:0,2 per scope. */
export function topicArgs(scopes: { topic: string; partitions?: number[] }[]): string {
  return scopes.map((s) => sh` --topic ${s.partitions ? `${s.topic}:${s.partitions.join(",")}` : s.topic}`).join("");
}

/** The equivalent kafka-consumer-groups command of a reset. */
export function resetCommand(
  ctx: Ctx,
  groupId: string,
  scopes: { topic: string; partitions?: number[] }[],
  target: ResetTarget,
  execute: boolean,
): string {
  const how = execute ? " --execute" : " --dry-run";
  const topics = topicArgs(scopes);
  const base = cliBase(ctx);
  switch (target.mode) {
    case "earliest":
      return `${base}${sh` --group ${groupId} --reset-offsets --to-earliest`}${topics}${how}`;
    case "latest":
      return `${base}${sh` --group ${groupId} --reset-offsets --to-latest`}${topics}${how}`;
    case "timestamp":
      return `${base}${sh` --group ${groupId} --reset-offsets --to-datetime ${cliDateTime(target.timestamp)}`}${topics}${how}`;
    case "offset":
      return `${base}${sh` --group ${groupId} --reset-offsets --to-offset ${target.offset}`}${topics}${how}`;
    case "shift":
      return `${base}${sh` --group ${groupId} --reset-offsets --shift-by ${target.shift}`}${topics}${how}`;
    case "group": {
      // The CLI has no "to another group's offsets": export that group's (--to-current), then import them.
      const file = `${target.fromGroup}-offsets.csv`;
      return (
        `${base}${sh` --group ${target.fromGroup} --reset-offsets --to-current`}${topics} --dry-run --export${sh` > ${file}`}` +
        ` && ${base}${sh` --group ${groupId} --reset-offsets --from-file ${file}`}${how}`
      );
    }
  }
}

/** The target of a reset request. */
export function targetOf(input: ResetOffsetsInput): ResetTarget {
  switch (input.mode) {
    case "timestamp":
      return { mode: "timestamp", timestamp: toEpochMs(input.timestamp) };
    case "offset":
      return { mode: "offset", offset: input.offset };
    case "shift":
      return { mode: "shift", shift: input.shift };
    case "group":
      return { mode: "group", fromGroup: input.fromGroup };
    default:
      return { mode: input.mode };
  }
}

/** How the action history says a target. */
export function describeTarget(t: ResetTarget): string {
  switch (t.mode) {
    case "earliest":
      return "to the earliest offset";
    case "latest":
      return "to the latest offset";
    case "timestamp":
      return `to ${cliDateTime(t.timestamp)}`;
    case "offset":
      return `to offset ${t.offset}`;
    case "shift":
      return `by ${t.shift > 0 ? "+" : ""}${t.shift}`;
    case "group":
      return `to the offsets of group ${t.fromGroup}`;
  }
}
