import { groupListQuerySchema } from "@/lib/schemas/lists";
import { withLagStatuses } from "@/server/history/group-page-statuses";
import { withRoute } from "@/server/http/with-route";
import { getCluster, getQuorum } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/consumer-groups?q=&sort=&dir=&offset=&limit= — one page of the list,
// each group with its lag status when history is recording
export const GET = withRoute<{ cluster: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const query = groupListQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return withLagStatuses(await cluster.consumerGroupPage(query), cluster.id, getQuorum().history?.store ?? null);
});
