import "server-only";
import type { DeleteRecordsInput } from "@/lib/schemas/groups";
import { sh, verbatim } from "@/lib/shell-quote";
import type { DeleteRecordsReport } from "@/lib/types";
import { AppError } from "../errors";
import { KafkaError } from "../kafka/error-codes";
import { EARLIEST, LATEST } from "../kafka/requests";
import { audit } from "./audit";
import type { ClusterContext } from "./context";
import { brokerAddress, offsetsAt, resolveScopes } from "./group-reads";
import { key } from "./group-reset-plan";
import { refuseInternal } from "./internal-topics";
import { COMMAND_MAX_AGE_MS } from "./snapshot-cache";

/** Deleting records before an offset, as kafka-delete-records does it (DeleteRecords). */

type Ctx = ClusterContext;

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
    const snap = await ctx.read.requireSnapshot(COMMAND_MAX_AGE_MS);
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
