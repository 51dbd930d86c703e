import "server-only";
import type { ConsumerGroupSummary, ListPage } from "@/lib/types";
import type { HistoryStore } from "./history-store";
import { groupStatuses } from "./queries";

/** A page of the group list with each group's lag status, when history is recording (one query for the page's groups). */
export function withLagStatuses(
  page: ListPage<ConsumerGroupSummary>,
  cluster: string,
  store: HistoryStore | null,
): ListPage<ConsumerGroupSummary> {
  if (!store || page.items.length === 0) return page;
  const statuses = groupStatuses(
    store,
    cluster,
    Date.now(),
    page.items.map((g) => g.groupId),
  );
  return {
    ...page,
    items: page.items.map((g) => {
      const verdict = statuses.get(g.groupId);
      return verdict ? { ...g, status: verdict.status, statusReason: verdict.reason, statusWhy: verdict.why } : g;
    }),
  };
}
