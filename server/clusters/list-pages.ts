import "server-only";
import type { GroupListQuery, GroupSortKey, SortDir, TopicListQuery, TopicSortKey } from "@/lib/schemas/lists";
import type { ConsumerGroupSummary, ListPage, ListSnapshot, TopicSummary } from "@/lib/types";
import type { ClusterSnapshot, SnapshotGroup, SnapshotTopic } from "../kafka/snapshot";
import {
  groupSummary,
  messages,
  offline,
  replicationFactor,
  topicSummary,
  totalLag,
  underReplicated,
} from "./projections";

/**
 * One page of the topic or group list, cut from a snapshot: rows are filtered and sorted on one
 * cheap key each (a name, a count), and only the page's rows are projected into the API's shape,
 * so a page of 100 out of 10,000 topics builds 100 summaries, not 10,000.
 */

/** Names compare as people read them: case aside first, and digits as numbers ("t-2" before "t-10"). */
const collator = new Intl.Collator("en", { numeric: true, sensitivity: "variant" });

type Key = number | string;

/**
 * Each snapshot's rows in each order asked for so far, by the row array they come from: a
 * snapshot is immutable, so its sorted orders stay true for its whole life, and every page, search
 * and tab within that life costs one filter and a slice instead of a sort of every row.
 */
const sortedRows = new WeakMap<readonly object[], Map<string, readonly object[]>>();

/**
 * The rows of `rows` at [offset, offset + limit) once filtered by `keep` and sorted by `key` in
 * `dir`, ties broken by `name` ascending (so the order is total and pages never overlap or skip).
 * `order` names the key: the sorted rows are kept with `rows` for the next call asking the same.
 */
export function pageOf<R extends object>(
  rows: readonly R[],
  keep: (r: R) => boolean,
  key: (r: R) => Key,
  name: (r: R) => string,
  dir: SortDir,
  offset: number,
  limit: number,
  order?: string,
): { rows: R[]; matched: number } {
  const cacheKey = order === undefined ? null : `${order}:${dir}`;
  let orders = sortedRows.get(rows);
  let sorted = cacheKey === null ? undefined : (orders?.get(cacheKey) as readonly R[] | undefined);
  if (!sorted) {
    const keyed = rows.map((r) => ({ r, k: key(r), n: name(r) }));
    const sign = dir === "desc" ? -1 : 1;
    keyed.sort((a, b) => {
      const byKey =
        typeof a.k === "number" && typeof b.k === "number" ? a.k - b.k : collator.compare(String(a.k), String(b.k));
      return byKey !== 0 ? sign * byKey : collator.compare(a.n, b.n);
    });
    sorted = keyed.map((x) => x.r);
    if (cacheKey !== null) {
      if (!orders) {
        orders = new Map();
        sortedRows.set(rows, orders);
      }
      orders.set(cacheKey, sorted);
    }
  }
  const page: R[] = [];
  let matched = 0;
  for (const r of sorted) {
    if (!keep(r)) continue;
    if (matched >= offset && page.length < limit) page.push(r);
    matched++;
  }
  return { rows: page, matched };
}

/** What a list answer says of the snapshot it comes from. */
export function listSnapshot(snap: ClusterSnapshot, now = Date.now()): ListSnapshot {
  return {
    takenAt: snap.takenAt,
    ageMs: Math.max(0, now - snap.takenAt),
    complete: snap.complete,
    partial: { ...snap.partial },
  };
}

/** The names a caller's grants let them list: the grants' patterns, and the test of a name against them. */
export interface NameScope {
  patterns: string[];
  covers: (name: string) => boolean;
}

/** `keep`, and within `scope` when there is one; the rows `scope` leaves, counted, as the list's total. */
function scoped<R>(
  rows: readonly R[],
  keep: (r: R) => boolean,
  name: (r: R) => string,
  scope: NameScope | undefined,
): { keep: (r: R) => boolean; total: number; scope?: string[] } {
  if (!scope) return { keep, total: rows.length };
  let total = 0;
  for (const r of rows) if (scope.covers(name(r))) total++;
  return { keep: (r) => scope.covers(name(r)) && keep(r), total, scope: scope.patterns };
}

/** A case-insensitive "contains" test, or null when there is nothing to look for. */
function contains(q: string): ((s: string) => boolean) | null {
  const needle = q.toLowerCase();
  return needle ? (s) => s.toLowerCase().includes(needle) : null;
}

const TOPIC_KEYS: Record<TopicSortKey, (t: SnapshotTopic) => Key> = {
  name: (t) => t.name,
  partitions: (t) => t.partitions.length,
  replicationFactor,
  underReplicated,
  offline,
  messages,
};

export function topicPage(
  snap: ClusterSnapshot,
  query: TopicListQuery,
  now = Date.now(),
  scope?: NameScope,
): ListPage<TopicSummary> {
  const match = contains(query.q);
  const within = scoped(
    snap.topics,
    (t) => (query.internal || !t.internal) && (!match || match(t.name)),
    (t) => t.name,
    scope,
  );
  const { rows, matched } = pageOf(
    snap.topics,
    within.keep,
    TOPIC_KEYS[query.sort],
    (t) => t.name,
    query.dir,
    query.offset,
    query.limit,
    query.sort,
  );
  return {
    items: rows.map(topicSummary),
    total: within.total,
    matched,
    offset: query.offset,
    limit: query.limit,
    snapshot: listSnapshot(snap, now),
    ...(within.scope ? { scope: within.scope } : {}),
  };
}

const GROUP_KEYS: Record<GroupSortKey, (g: SnapshotGroup) => Key> = {
  groupId: (g) => g.groupId,
  type: (g) => g.type,
  state: (g) => g.state,
  members: (g) => g.members.length,
  // A group that committed nothing has no lag: it sorts below every group with one (even 0).
  lag: (g) => totalLag(g.offsets) ?? -1,
};

export function groupPage(
  snap: ClusterSnapshot,
  query: GroupListQuery,
  now = Date.now(),
  scope?: NameScope,
): ListPage<ConsumerGroupSummary> {
  const match = contains(query.q);
  const within = scoped(
    snap.groups,
    (g) => !match || match(g.groupId),
    (g) => g.groupId,
    scope,
  );
  const { rows, matched } = pageOf(
    snap.groups,
    within.keep,
    GROUP_KEYS[query.sort],
    (g) => g.groupId,
    query.dir,
    query.offset,
    query.limit,
    query.sort,
  );
  return {
    items: rows.map(groupSummary),
    total: within.total,
    matched,
    offset: query.offset,
    limit: query.limit,
    snapshot: listSnapshot(snap, now),
    ...(within.scope ? { scope: within.scope } : {}),
  };
}
