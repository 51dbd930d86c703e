import { groupStatuses } from "@/server/history/queries";
import { withRoute } from "@/server/http/with-route";
import { getCluster, getQuorum } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/consumer-groups — with each group's lag status when history is recording
export const GET = withRoute<{ cluster: string }>(async (_req, params) => {
  const cluster = getCluster(params.cluster);
  const groups = await cluster.consumerGroups();
  const history = getQuorum().history;
  if (!history) return groups;
  const statuses = groupStatuses(history.store, cluster.id);
  return groups.map((g) => {
    const verdict = statuses.get(g.groupId);
    return verdict ? { ...g, status: verdict.status, statusReason: verdict.reason } : g;
  });
});
