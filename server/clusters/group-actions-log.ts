import "server-only";
import type { GroupActionRecord } from "@/lib/types";
import { ClusterLock } from "./cluster-lock";
import type { ClusterContext } from "./context";

/** The group's own lock, and the history of the actions done on groups through Quorum. */

type Ctx = ClusterContext;

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

/** How many actions the history keeps per cluster (in memory: a restart forgets them). */
export const MAX_GROUP_ACTIONS = 500;
const actions = new WeakMap<Ctx, GroupActionRecord[]>();

export function recordGroupAction(ctx: Ctx, entry: GroupActionRecord): void {
  const list = actions.get(ctx) ?? [];
  list.push(entry);
  if (list.length > MAX_GROUP_ACTIONS) list.splice(0, list.length - MAX_GROUP_ACTIONS);
  actions.set(ctx, list);
}

/** The actions done on a group through Quorum since it started, oldest first. */
export function groupActions(ctx: Ctx, groupId: string): GroupActionRecord[] {
  return (actions.get(ctx) ?? []).filter((a) => a.groupId === groupId);
}
