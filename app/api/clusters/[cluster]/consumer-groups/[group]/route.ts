import { pathParam, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/consumer-groups/:group
export const GET = withRoute<{ cluster: string; group: string }>((_req, { cluster, group }) =>
  getCluster(cluster).consumerGroup(pathParam(group)),
);
