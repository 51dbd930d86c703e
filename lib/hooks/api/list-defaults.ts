import type { GroupSortKey, SortDir, TopicSortKey } from "@/lib/schemas/lists";

/** What the topic list shows first: every non-internal topic by name. */
export const DEFAULT_TOPIC_LIST: { q: string; sort: TopicSortKey; dir: SortDir; internal: boolean } = {
  q: "",
  sort: "name",
  dir: "asc",
  internal: false,
};

/** What the consumer-group list shows first: every group by id. */
export const DEFAULT_GROUP_LIST: { q: string; sort: GroupSortKey; dir: SortDir } = {
  q: "",
  sort: "groupId",
  dir: "asc",
};
