import { ConsumerGroupsView } from "@/components/consumer-groups-view";
import { DEFAULT_GROUP_LIST } from "@/lib/hooks/api/list-defaults";
import { LIST_PAGE_SIZE } from "@/lib/hooks/api/list-pages";
import type { ConsumerGroupSummary, ListPage } from "@/lib/types";
import { pageListScope, pageMayRead } from "@/server/auth/pages";
import type { NameScope } from "@/server/clusters/list-pages";
import { withLagStatuses } from "@/server/history/group-page-statuses";
import { getCluster, getQuorum } from "@/server/quorum";

/**
 * The list's first page (with lag statuses), rendered with the page when the cluster's shared
 * snapshot is fresh enough to answer a read now (no Kafka request, no wait); otherwise the page asks as usual.
 */
function firstPage(id: string, scope: NameScope | undefined): ListPage<ConsumerGroupSummary> | null {
  try {
    const cluster = getCluster(id);
    const page = cluster.consumerGroupPageIfFresh({ ...DEFAULT_GROUP_LIST, offset: 0, limit: LIST_PAGE_SIZE }, scope);
    return page && withLagStatuses(page, cluster.id, getQuorum().history?.store ?? null);
  } catch {
    return null;
  }
}

export default async function ConsumerGroupsPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  const id = decodeURIComponent(cluster);
  const may = await pageMayRead("/api/clusters/[cluster]/consumer-groups", { cluster: id });
  return <ConsumerGroupsView cluster={id} initial={may ? firstPage(id, await pageListScope(id, "group")) : null} />;
}
