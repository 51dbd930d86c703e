import { actor, deleteGroup } from "@/server/clusters/group-commands";
import { withTimeLag } from "@/server/clusters/group-time-lag";
import { pathParam, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/consumer-groups/:group: with lag in time per partition (group-time-lag.ts)
export const GET = withRoute<{ cluster: string; group: string }>(async (_req, { cluster, group }) => {
  const service = getCluster(cluster);
  return withTimeLag(service, await service.consumerGroup(pathParam(group)));
});

// DELETE /api/clusters/:cluster/consumer-groups/:group: the group and its committed offsets (409 while it has members)
export const DELETE = withRoute<{ cluster: string; group: string }>((req, { cluster, group }) =>
  deleteGroup(getCluster(cluster), pathParam(group), actor(req)),
);
