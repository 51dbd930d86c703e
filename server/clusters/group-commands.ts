import "server-only";
import type { ResetOffsetsInput } from "@/lib/schemas/groups";
import { sh } from "@/lib/shell-quote";
import type { GroupDeleteReport, OffsetResetMode, OffsetResetReport } from "@/lib/types";
import { AppError } from "../errors";
import { KafkaError } from "../kafka/error-codes";
import type { PartitionResult } from "../kafka/group-requests";
import { EARLIEST, LATEST } from "../kafka/requests";
import { audit } from "./audit";
import type { ClusterContext } from "./context";
import { groupLock, recordGroupAction } from "./group-actions-log";
import { findGroup, type GroupNow, groupNow, offsetsAt, refuseActive, resolveScopes } from "./group-reads";
import {
  cliBase,
  describeTarget,
  key,
  resetCommand,
  resetPartition,
  targetOf,
  topicArgs,
  unkey,
} from "./group-reset-plan";
import { COMMAND_MAX_AGE_MS } from "./snapshot-cache";

/**
 * Consumer-group actions, as kafka-consumer-groups does them: reset offsets (preview = --dry-run,
 * then --execute), delete a group, delete a group's offsets of a topic. Kafka's rule holds: only a
 * group with no members can be reset or deleted. Every answer carries the equivalent command. Each
 * action on a group holds that group's own lock (group-actions-log.ts), so two resets of one group
 * never interleave, while broker stops and drills (the cluster's lock) go on; each one done is
 * recorded in the group's action history. Deleting records is in record-commands.ts.
 */

type Ctx = ClusterContext;

/**
 * Who asked, as far as Quorum can tell (it has no users): the console's own pages (the browser
 * says same-origin) or another API client.
 */
export function actor(req: Request): string {
  return req.headers.get("sec-fetch-site") === "same-origin" ? "console" : "API client";
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
    const snap = await ctx.read.requireSnapshot(COMMAND_MAX_AGE_MS);
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
        recordGroupAction(ctx, {
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
      const changes = [...now.committed].map(([k, from]) => ({ ...unkey(k), from, to: null }));
      recordGroupAction(ctx, {
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
        .map(unkey)
        .filter((k) => k.topic === topicName)
        .map((k) => k.partition)
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
      recordGroupAction(ctx, {
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
