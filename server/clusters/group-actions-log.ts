import "server-only";
import type { GroupActionRecord } from "@/lib/types";
import { logger } from "../logger";
import { ClusterLock } from "./cluster-lock";

/**
 * The group's own lock, and the history of the actions done on groups through Quorum. The history
 * is an `ActionLog`: in SQLite with the lag history when that store opened (server/history), else in
 * memory (a restart forgets it); the commands reach it through their context, so their unit tests
 * need no database.
 */

/** Where a cluster's group actions are kept: several clusters may share one log. */
export interface ActionLog {
  record(cluster: string, entry: GroupActionRecord): void;
  /** The actions on one group of one cluster, oldest first. */
  list(cluster: string, groupId: string): GroupActionRecord[];
}

/** How many actions the history keeps per cluster. */
export const MAX_GROUP_ACTIONS = 500;

/** The history in memory, for tests and when the history store did not open. */
export class MemoryActionLog implements ActionLog {
  private byCluster = new Map<string, GroupActionRecord[]>();

  record(cluster: string, entry: GroupActionRecord): void {
    const list = this.byCluster.get(cluster) ?? [];
    list.push(entry);
    if (list.length > MAX_GROUP_ACTIONS) list.splice(0, list.length - MAX_GROUP_ACTIONS);
    this.byCluster.set(cluster, list);
  }

  list(cluster: string, groupId: string): GroupActionRecord[] {
    return (this.byCluster.get(cluster) ?? []).filter((a) => a.groupId === groupId);
  }
}

/** What the lock and the history need of a cluster (ClusterContext has it). */
interface Ctx {
  readonly id: string;
  readonly actions: ActionLog;
}

const locks = new WeakMap<Ctx, Map<string, ClusterLock>>();

/** The lock of one group: its resets and deletions run one at a time, apart from the cluster's lock. */
export function groupLock(ctx: Ctx, groupId: string): ClusterLock {
  const m = locks.get(ctx) ?? new Map<string, ClusterLock>();
  locks.set(ctx, m);
  let lock = m.get(groupId);
  if (!lock) {
    lock = new ClusterLock(`${ctx.id}" group "${groupId}`);
    m.set(groupId, lock);
  }
  return lock;
}

/**
 * Adds a done action to the history. The action happened in Kafka whatever the history says: a
 * failure to keep it is logged, never the action's answer.
 */
export function recordGroupAction(ctx: Ctx, entry: GroupActionRecord): void {
  try {
    ctx.actions.record(ctx.id, entry);
  } catch (err) {
    logger.error(
      {
        cluster: ctx.id,
        group: entry.groupId,
        action: entry.action,
        err: err instanceof Error ? err.message : String(err),
      },
      "the group action was done but its history did not keep it",
    );
  }
}

/** The actions done on a group through Quorum (the last MAX_GROUP_ACTIONS of its cluster), oldest first. */
export function groupActions(ctx: Ctx, groupId: string): GroupActionRecord[] {
  return ctx.actions.list(ctx.id, groupId);
}
