import { TopicsView } from "@/components/topics-view";
import { DEFAULT_TOPIC_LIST } from "@/lib/hooks/api/list-defaults";
import { LIST_PAGE_SIZE } from "@/lib/hooks/api/list-pages";
import type { ListPage, TopicSummary } from "@/lib/types";
import { pageListScope, pageMayRead } from "@/server/auth/pages";
import type { NameScope } from "@/server/clusters/list-pages";
import { getCluster } from "@/server/quorum";

/**
 * The list's first page, rendered with the page when the cluster's shared snapshot is fresh enough
 * to answer a read now (no Kafka request, no wait): the first rows arrive with the HTML instead of
 * after the scripts have loaded and asked. Otherwise (an unknown cluster, none yet) the page asks as usual.
 */
function firstPage(id: string, scope: NameScope | undefined): ListPage<TopicSummary> | null {
  try {
    return getCluster(id).topicPageIfFresh({ ...DEFAULT_TOPIC_LIST, offset: 0, limit: LIST_PAGE_SIZE }, scope);
  } catch {
    return null;
  }
}

export default async function TopicsPage({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  const id = decodeURIComponent(cluster);
  const may = await pageMayRead("/api/clusters/[cluster]/topics", { cluster: id });
  return <TopicsView cluster={id} initial={may ? firstPage(id, await pageListScope(id, "topic")) : null} />;
}
