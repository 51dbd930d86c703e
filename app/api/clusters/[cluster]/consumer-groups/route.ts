import { groupListQuerySchema } from "@/lib/schemas/lists";
import { groupStatuses } from "@/server/history/queries";
import { withRoute } from "@/server/http/with-route";
import { getCluster, getQuorum } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/consumer-groups?q=&sort=&dir=&offset=&limit= — one page of the list,
// each group with its lag status when history is recording
export const GET = withRoute<{ cluster: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const query = groupListQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const page = await cluster.consumerGroupPage(query);
  const history = getQuorum().history;
  if (!history || page.items.length === 0) return page;
  const statuses = groupStatuses(
    history.store,
    cluster.id,
    Date.now(),
    page.items.map((g) => g.groupId),
  );
  return {
    ...page,
    items: page.items.map((g) => {
      const verdict = statuses.get(g.groupId);
      return verdict ? { ...g, status: verdict.status, statusReason: verdict.reason } : g;
    }),
  };
});
