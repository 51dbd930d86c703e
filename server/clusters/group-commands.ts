import "server-only";
import { type DeleteRecordsInput, type ResetOffsetsInput, toEpochMs } from "@/lib/schemas/groups";
import { sh, verbatim } from "@/lib/shell-quote";
import type {
  DeleteRecordsReport,
  GroupActionRecord,
  GroupDeleteReport,
  OffsetResetMode,
  OffsetResetPartition,
  OffsetResetReport,
} from "@/lib/types";
import { AppError } from "../errors";
import { KafkaError } from "../kafka/error-codes";
import type { PartitionResult } from "../kafka/group-requests";
import { EARLIEST, LATEST } from "../kafka/requests";
import type { ClusterSnapshot, SnapshotGroup, SnapshotTopic } from "../kafka/snapshot";
import { audit } from "./audit";
import { ClusterLock } from "./cluster-lock";
import type { ClusterContext } from "./context";
import { refuseInternal } from "./internal-topics";

/**
 * Consumer-group actions, as kafka-consumer-groups does them: reset offsets (preview = --dry-run,
 * then --execute), delete a group, delete a group's offsets of a topic; and delete records before an
 * offset (kafka-delete-records). Kafka's rule holds: only a group with no members can be reset or
 * deleted. Every answer carries the equivalent command. Each action on a group holds that group's
 * own lock (cluster-lock.ts), so two resets of one group never interleave, while broker stops and
 * drills (the cluster's lock) go on.
 */

type Ctx = ClusterContext;

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

// ---------------------------------------------------------------------------------------------
// The arithmetic of a reset (pure: unit-tested on its own).

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

function cliBase(ctx: Ctx): string {
  const config = ctx.read.security ? verbatim(" --command-config client.properties") : verbatim("");
  return sh`kafka-consumer-groups.sh --bootstrap-server ${ctx.read.bootstrap.join(",")}${config}`;
}

/** --topic t or --topic t:0,2 per scope. */
function topicArgs(scopes: { topic: string; partitions?: number[] }[]): string {
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

// ---------------------------------------------------------------------------------------------
// Reading what a group action needs, fresh from Kafka.

/** The group in the snapshot, or in a fresh one; else 404. */
async function findGroup(ctx: Ctx, groupId: string, field?: string): Promise<SnapshotGroup> {
  const snap = await ctx.read.requireSnapshot();
  const found = snap.groups.find((g) => g.groupId === groupId);
  if (found) return found;
  const fresh = await ctx.read.snapshot(0);
  const again = fresh?.groups.find((g) => g.groupId === groupId);
  if (!again) throw new AppError("group_not_found", `No consumer group "${groupId}" in cluster "${ctx.id}"`, { field });
  return again;
}

export interface GroupNow {
  coordinator: string;
  state: string;
  members: { clientId: string; host: string; memberId: string }[];
  committed: Map<string, number>;
}

const INACTIVE = new Set(["empty", "dead"]);

/** The group's coordinator, state, members and committed offsets, as Kafka says them now. */
async function groupNow(ctx: Ctx, group: SnapshotGroup): Promise<GroupNow> {
  const coordinator = await ctx.gateway.groupCoordinator(ctx.read.seeds(), group.groupId);
  const [described, committed] = await Promise.all([
    ctx.gateway.describeGroup(coordinator, group.groupId, group.type),
    ctx.gateway.committedOffsets(coordinator, group.groupId),
  ]);
  const offsets = new Map<string, number>();
  for (const c of committed)
    if (c.errorCode === 0 && c.offset >= 0n) offsets.set(key(c.topic, c.partition), Number(c.offset));
  return {
    coordinator,
    state: described?.state ?? "Dead",
    members: (described?.members ?? []).map((m) => ({
      clientId: m.clientId,
      host: m.clientHost,
      memberId: m.memberId,
    })),
    committed: offsets,
  };
}

const isActive = (g: GroupNow) => g.members.length > 0 || !INACTIVE.has(g.state.toLowerCase());

/** 409 naming the members: Kafka resets and deletes only a group with no members. */
function refuseActive(groupId: string, g: GroupNow, what: string): void {
  if (!isActive(g)) return;
  const who = g.members.length
    ? `${g.members.length} member(s): ${g.members.map((m) => `${m.clientId} (${m.host})`).join(", ")}`
    : `no member listed yet, but its state is ${g.state}`;
  throw new AppError(
    "conflict",
    `Cannot ${what} group "${groupId}": it is active (${g.state}) with ${who}. Kafka only allows this for an inactive group (no members): stop its consumers first. Nothing was changed.`,
  );
}

/** "host:port" of each broker in the snapshot. */
function brokerAddress(snap: ClusterSnapshot, id: number): string | null {
  const b = snap.brokers.find((x) => x.nodeId === id);
  return b ? `${b.host}:${b.port}` : null;
}

/** ListOffsets at `timestamp` for every partition, one request per leader; a refused partition throws. */
async function offsetsAt(
  ctx: Ctx,
  snap: ClusterSnapshot,
  partitions: { topic: SnapshotTopic; partition: number }[],
  timestamp: bigint,
): Promise<Map<string, number>> {
  const byLeader = new Map<string, Map<string, number[]>>();
  for (const { topic, partition } of partitions) {
    const p = topic.partitions.find((x) => x.partition === partition);
    const leader = p && p.leader >= 0 ? brokerAddress(snap, p.leader) : null;
    if (!leader)
      throw new AppError(
        "cluster_unavailable",
        `${topic.name}-${partition} has no leader now: its offsets cannot be read. Try again once it has one.`,
      );
    const m = byLeader.get(leader) ?? new Map<string, number[]>();
    m.set(topic.name, [...(m.get(topic.name) ?? []), partition]);
    byLeader.set(leader, m);
  }
  const out = new Map<string, number>();
  const answers = await Promise.all([...byLeader].map(([leader, m]) => ctx.gateway.listOffsets(leader, m, timestamp)));
  for (const answer of answers)
    for (const a of answer) {
      if (a.errorCode !== 0) throw new KafkaError(a.errorCode, null, `${a.topic}-${a.partition}`);
      out.set(key(a.topic, a.partition), Number(a.offset));
    }
  for (const { topic, partition } of partitions)
    if (!out.has(key(topic.name, partition)))
      throw new AppError("cluster_unavailable", `ListOffsets did not answer about ${topic.name}-${partition}`);
  return out;
}

/** The scopes' topics and partitions: every partition of a topic, or the chosen ones, each checked. */
async function resolveScopes(
  ctx: Ctx,
  scopes: { topic: string; partitions?: number[] }[],
): Promise<{ topic: SnapshotTopic; partition: number }[]> {
  const out: { topic: SnapshotTopic; partition: number }[] = [];
  const seen = new Set<string>();
  for (const [i, scope] of scopes.entries()) {
    const topic = await ctx.read.findTopic(scope.topic);
    const known = topic.partitions.map((p) => p.partition).sort((a, b) => a - b);
    for (const p of scope.partitions ?? known) {
      if (!known.includes(p))
        throw new AppError(
          "validation_failed",
          `${topic.name} has partitions ${known.length ? `0–${known.length - 1}` : "none"}: there is no partition ${p}`,
          { field: `topics.${i}.partitions` },
        );
      if (seen.has(key(topic.name, p))) continue;
      seen.add(key(topic.name, p));
      out.push({ topic, partition: p });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The group's own lock and its actions' history.

const locks = new WeakMap<Ctx, Map<string, ClusterLock>>();

function groupLock(ctx: Ctx, groupId: string): ClusterLock {
  const m = locks.get(ctx) ?? new Map<string, ClusterLock>();
  locks.set(ctx, m);
  let lock = m.get(groupId);
  if (!lock) {
    lock = new ClusterLock(`${ctx.id}" group "${groupId}`);
    m.set(groupId, lock);
  }
  return lock;
}

/** How many actions the history keeps per cluster (in memory: a restart forgets them). */
export const MAX_GROUP_ACTIONS = 500;
const actions = new WeakMap<Ctx, GroupActionRecord[]>();

function record(ctx: Ctx, entry: GroupActionRecord): void {
  const list = actions.get(ctx) ?? [];
  list.push(entry);
  if (list.length > MAX_GROUP_ACTIONS) list.splice(0, list.length - MAX_GROUP_ACTIONS);
  actions.set(ctx, list);
}

/** The actions done on a group through Quorum since it started, oldest first. */
export function groupActions(ctx: Ctx, groupId: string): GroupActionRecord[] {
  return (actions.get(ctx) ?? []).filter((a) => a.groupId === groupId);
}

// ---------------------------------------------------------------------------------------------
// The actions.

/**
 * Who asked, as far as Quorum can tell (it has no users): the console's own pages (the browser
 * says same-origin) or another API client.
 */
export function actor(req: Request): string {
  return req.headers.get("sec-fetch-site") === "same-origin" ? "console" : "API client";
}

function targetOf(input: ResetOffsetsInput): ResetTarget {
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

function commitFailure(groupId: string, failed: PartitionResult[]): Error {
  const [first] = failed;
  const code = first?.errorCode ?? -1;
  const list = failed.map((f) => `${f.topic}-${f.partition}`).join(", ");
  // UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS: a member joined meanwhile.
  if ([22, 25, 27].includes(code))
    return new AppError(
      "conflict",
      `Kafka refused the commit for group "${groupId}" (${new KafkaError(code, null).type} on ${list}): a member joined it meanwhile. Stop its consumers and try again.`,
    );
  return new KafkaError(code, `Kafka refused the commit of ${list}: ${new KafkaError(code, null).type}`, groupId);
}

/**
 * Resets a group's offsets: with `execute` false a preview (nothing changes, the members are listed
 * if any), with `execute` true the commit (409 while the group has members).
 */
export async function resetOffsets(
  ctx: Ctx,
  groupId: string,
  input: ResetOffsetsInput,
  by = "api",
): Promise<OffsetResetReport> {
  const target = targetOf(input);
  const execute = input.execute === true;
  const plan = async (): Promise<OffsetResetReport & { now: GroupNow }> => {
    const group = await findGroup(ctx, groupId);
    const snap = await ctx.read.requireSnapshot();
    const partitions = await resolveScopes(ctx, input.topics);
    const now = await groupNow(ctx, group);
    let source: Map<string, number> | null = null;
    if (target.mode === "group") {
      const from = await findGroup(ctx, target.fromGroup, "fromGroup");
      source = (await groupNow(ctx, from)).committed;
    }
    const [starts, ends, times] = await Promise.all([
      offsetsAt(ctx, snap, partitions, EARLIEST),
      offsetsAt(ctx, snap, partitions, LATEST),
      target.mode === "timestamp" ? offsetsAt(ctx, snap, partitions, BigInt(target.timestamp)) : null,
    ]);
    const rows = partitions.map(({ topic, partition }) => {
      const k = key(topic.name, partition);
      return resetPartition(
        topic.name,
        partition,
        {
          currentOffset: now.committed.get(k) ?? null,
          logStartOffset: starts.get(k) ?? 0,
          logEndOffset: ends.get(k) ?? 0,
          ...(times ? { offsetForTime: times.get(k) ?? -1 } : {}),
          ...(source ? { sourceOffset: source.get(k) ?? null } : {}),
        },
        target,
      );
    });
    rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    return {
      groupId,
      mode: input.mode as OffsetResetMode,
      executed: false,
      partitions: rows,
      activeMembers: now.members.map((m) => ({ clientId: m.clientId, host: m.host })),
      command: resetCommand(ctx, groupId, input.topics, target, false),
      now,
    };
  };

  if (!execute) {
    const { now: _now, ...preview } = await plan();
    return preview;
  }
  return audit(
    ctx,
    "group.reset-offsets",
    { group: groupId, mode: input.mode, topics: input.topics.map((t) => t.topic) },
    () =>
      groupLock(ctx, groupId).run(`reset of group ${groupId}`, async () => {
        const { now, ...report } = await plan();
        refuseActive(groupId, now, "reset the offsets of");
        const offsets = new Map<string, { partition: number; offset: bigint }[]>();
        for (const r of report.partitions)
          offsets.set(r.topic, [
            ...(offsets.get(r.topic) ?? []),
            { partition: r.partition, offset: BigInt(r.newOffset) },
          ]);
        const results = await ctx.gateway.commitGroupOffsets(now.coordinator, groupId, offsets);
        const failed = results.filter((r) => r.errorCode !== 0);
        if (failed.length) throw commitFailure(groupId, failed);
        const command = resetCommand(ctx, groupId, input.topics, target, true);
        record(ctx, {
          ts: Date.now(),
          groupId,
          action: "reset-offsets",
          by,
          summary: `reset ${report.partitions.length} partition(s) of ${[...offsets.keys()].join(", ")} ${describeTarget(target)}`,
          changes: report.partitions.map((r) => ({
            topic: r.topic,
            partition: r.partition,
            from: r.currentOffset,
            to: r.newOffset,
          })),
          command,
        });
        return { ...report, executed: true, command };
      }),
  );
}

function describeTarget(t: ResetTarget): string {
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

/** DeleteGroups: the group and all its committed offsets; 409 while it has members. */
export function deleteGroup(ctx: Ctx, groupId: string, by = "api"): Promise<GroupDeleteReport> {
  return audit(ctx, "group.delete", { group: groupId }, () =>
    groupLock(ctx, groupId).run(`deletion of group ${groupId}`, async () => {
      const group = await findGroup(ctx, groupId);
      const now = await groupNow(ctx, group);
      refuseActive(groupId, now, "delete");
      try {
        await ctx.gateway.deleteGroup(now.coordinator, groupId);
      } catch (err) {
        if ((err as Partial<KafkaError>).errorCode === 68)
          throw new AppError(
            "conflict",
            `Kafka refused to delete group "${groupId}": it has members now (NON_EMPTY_GROUP)`,
          );
        throw err;
      }
      await ctx.read.awaitMetadata(`group ${groupId} deleted`, (s) => !s.groups.some((g) => g.groupId === groupId));
      const command = `${cliBase(ctx)}${sh` --delete --group ${groupId}`}`;
      const changes = [...now.committed].map(([k, from]) => {
        const [topic, p] = k.split("\u0000") as [string, string];
        return { topic, partition: Number(p), from, to: null };
      });
      record(ctx, {
        ts: Date.now(),
        groupId,
        action: "delete-group",
        by,
        summary: `deleted the group`,
        changes,
        command,
      });
      return { groupId, topic: null, partitions: [], command };
    }),
  );
}

/**
 * OffsetDelete: forgets the group's committed offsets of one topic (all partitions it committed
 * on, or the chosen ones). Kafka refuses (409 here) while the group's members consume the topic.
 */
export function deleteGroupOffsets(
  ctx: Ctx,
  groupId: string,
  topicName: string,
  partitions?: number[],
  by = "api",
): Promise<GroupDeleteReport> {
  return audit(ctx, "group.delete-offsets", { group: groupId, topic: topicName }, () =>
    groupLock(ctx, groupId).run(`deletion of offsets of group ${groupId}`, async () => {
      const group = await findGroup(ctx, groupId);
      await ctx.read.findTopic(topicName);
      const now = await groupNow(ctx, group);
      const committedHere = [...now.committed.keys()]
        .map((k) => k.split("\u0000") as [string, string])
        .filter(([t]) => t === topicName)
        .map(([, p]) => Number(p))
        .sort((a, b) => a - b);
      const asked = partitions ?? committedHere;
      if (asked.length === 0)
        throw new AppError("not_found", `Group "${groupId}" has no committed offsets on topic "${topicName}"`);
      const results = await ctx.gateway.deleteGroupOffsets(now.coordinator, groupId, topicName, asked);
      const failed = results.filter((r) => r.errorCode !== 0);
      if (failed.some((f) => f.errorCode === 86))
        throw new AppError(
          "conflict",
          `Kafka refused: group "${groupId}" is consuming ${topicName} now (GROUP_SUBSCRIBED_TO_TOPIC). Stop its consumers first.`,
        );
      if (failed.length) throw new KafkaError(failed[0]?.errorCode ?? -1, null, `${topicName}-${failed[0]?.partition}`);
      const command = `${cliBase(ctx)}${sh` --group ${groupId} --delete-offsets`}${topicArgs([
        partitions ? { topic: topicName, partitions } : { topic: topicName },
      ])}`;
      record(ctx, {
        ts: Date.now(),
        groupId,
        action: "delete-offsets",
        by,
        summary: `deleted the committed offsets of ${topicName} (${asked.length} partition(s))`,
        changes: asked.map((p) => ({
          topic: topicName,
          partition: p,
          from: now.committed.get(key(topicName, p)) ?? null,
          to: null,
        })),
        command,
      });
      return { groupId, topic: topicName, partitions: asked, command };
    }),
  );
}

/** kafka-delete-records' command for these partitions (its JSON file written first). */
function deleteRecordsCommand(ctx: Ctx, topic: string, partitions: { partition: number; offset: number }[]): string {
  const json = JSON.stringify({ partitions: partitions.map((p) => ({ topic, ...p })), version: 1 });
  const config = ctx.read.security ? verbatim(" --command-config client.properties") : verbatim("");
  return sh`echo ${json} > delete-records.json && kafka-delete-records.sh --bootstrap-server ${ctx.read.bootstrap.join(",")}${config} --offset-json-file delete-records.json`;
}

/**
 * DeleteRecords: every record before `offset` in each partition goes (the log start moves there).
 * Without `execute`, a preview. Refused on internal topics; an offset past the log end is refused.
 */
export async function deleteRecords(
  ctx: Ctx,
  topicName: string,
  input: DeleteRecordsInput,
): Promise<DeleteRecordsReport> {
  const run = async (): Promise<DeleteRecordsReport> => {
    const topic = await ctx.read.findTopic(topicName);
    refuseInternal(topic, "delete");
    const snap = await ctx.read.requireSnapshot();
    const partitions = await resolveScopes(ctx, [
      { topic: topicName, partitions: input.partitions.map((p) => p.partition) },
    ]);
    const [starts, ends] = await Promise.all([
      offsetsAt(ctx, snap, partitions, EARLIEST),
      offsetsAt(ctx, snap, partitions, LATEST),
    ]);
    for (const [i, p] of input.partitions.entries()) {
      const end = ends.get(key(topicName, p.partition)) ?? 0;
      if (p.offset > end)
        throw new AppError(
          "validation_failed",
          `${topicName}-${p.partition} ends at offset ${end}: records can be deleted only before an offset up to it, not ${p.offset}`,
          { field: `partitions.${i}.offset` },
        );
    }
    const command = deleteRecordsCommand(ctx, topicName, input.partitions);
    const rows = input.partitions.map((p) => {
      const k = key(topicName, p.partition);
      const before = starts.get(k) ?? 0;
      return {
        partition: p.partition,
        beforeOffset: before,
        logStartOffset: Math.max(before, p.offset),
        logEndOffset: ends.get(k) ?? 0,
      };
    });
    if (input.execute !== true) return { topic: topicName, partitions: rows, executed: false, command };
    const byLeader = new Map<string, { partition: number; offset: bigint }[]>();
    for (const p of input.partitions) {
      const leaderId = topic.partitions.find((x) => x.partition === p.partition)?.leader ?? -1;
      const leader = leaderId >= 0 ? brokerAddress(snap, leaderId) : null;
      if (!leader) throw new AppError("cluster_unavailable", `${topicName}-${p.partition} has no leader now`);
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), { partition: p.partition, offset: BigInt(p.offset) }]);
    }
    const results = (
      await Promise.all([...byLeader].map(([leader, ps]) => ctx.gateway.deleteRecords(leader, topicName, ps)))
    ).flat();
    const failed = results.find((r) => r.errorCode !== 0);
    if (failed) throw new KafkaError(failed.errorCode, null, `${topicName}-${failed.partition}`);
    const low = new Map(results.map((r) => [r.partition, r.lowWatermark]));
    return {
      topic: topicName,
      partitions: rows.map((r) => ({ ...r, logStartOffset: low.get(r.partition) ?? r.logStartOffset })),
      executed: true,
      command,
    };
  };
  if (input.execute !== true) return run();
  return audit(ctx, "topic.delete-records", { topic: topicName, partitions: input.partitions }, run);
}
