import { groupActions } from "@/server/clusters/group-actions-log";
import { pathParam, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/consumer-groups/:group/actions: resets and deletions done through Quorum, oldest first
export const GET = withRoute<{ cluster: string; group: string }>((_req, { cluster, group }) =>
  groupActions(getCluster(cluster), pathParam(group)),
);
