import { groupListQuerySchema } from "@/lib/schemas/lists";
import { listScope } from "@/server/auth/guard";
import { withLagStatuses } from "@/server/history/group-page-statuses";
import { withRoute } from "@/server/http/with-route";
import { getCluster, getQuorum } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/consumer-groups?q=&sort=&dir=&offset=&limit= — one page of the list,
// each group with its lag status when history is recording (with a grant scoped by a name pattern,
// the groups it covers alone)
export const GET = withRoute<{ cluster: string }>(async (req, params, who) => {
  const cluster = getCluster(params.cluster);
  const query = groupListQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const page = await cluster.consumerGroupPage(query, listScope(who, cluster.id, "group"));
  return withLagStatuses(page, cluster.id, getQuorum().history?.store ?? null);
});
