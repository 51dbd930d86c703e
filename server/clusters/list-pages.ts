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
 * The rows of `rows` at [offset, offset + limit) once filtered by `keep` and sorted by `key` in
 * `dir`, ties broken by `name` ascending (so the order is total and pages never overlap or skip).
 */
export function pageOf<R>(
  rows: readonly R[],
  keep: (r: R) => boolean,
  key: (r: R) => Key,
  name: (r: R) => string,
  dir: SortDir,
  offset: number,
  limit: number,
): { rows: R[]; matched: number } {
  const kept: { r: R; k: Key; n: string }[] = [];
  for (const r of rows) if (keep(r)) kept.push({ r, k: key(r), n: name(r) });
  const sign = dir === "desc" ? -1 : 1;
  kept.sort((a, b) => {
    const byKey =
      typeof a.k === "number" && typeof b.k === "number" ? a.k - b.k : collator.compare(String(a.k), String(b.k));
    return byKey !== 0 ? sign * byKey : collator.compare(a.n, b.n);
  });
  return { rows: kept.slice(offset, offset + limit).map((x) => x.r), matched: kept.length };
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

export function topicPage(snap: ClusterSnapshot, query: TopicListQuery, now = Date.now()): ListPage<TopicSummary> {
  const match = contains(query.q);
  const { rows, matched } = pageOf(
    snap.topics,
    (t) => (query.internal || !t.internal) && (!match || match(t.name)),
    TOPIC_KEYS[query.sort],
    (t) => t.name,
    query.dir,
    query.offset,
    query.limit,
  );
  return {
    items: rows.map(topicSummary),
    total: snap.topics.length,
    matched,
    offset: query.offset,
    limit: query.limit,
    snapshot: listSnapshot(snap, now),
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
): ListPage<ConsumerGroupSummary> {
  const match = contains(query.q);
  const { rows, matched } = pageOf(
    snap.groups,
    (g) => !match || match(g.groupId),
    GROUP_KEYS[query.sort],
    (g) => g.groupId,
    query.dir,
    query.offset,
    query.limit,
  );
  return {
    items: rows.map(groupSummary),
    total: snap.groups.length,
    matched,
    offset: query.offset,
    limit: query.limit,
    snapshot: listSnapshot(snap, now),
  };
}
