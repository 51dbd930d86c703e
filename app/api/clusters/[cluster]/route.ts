import { pathParam, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";
import { removeRuntimeCluster } from "@/server/runtime-clusters";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster
export const GET = withRoute<{ cluster: string }>((_req, { cluster }) => getCluster(cluster).summary());

// DELETE /api/clusters/:cluster — removes a cluster added at run time (Quorum's list changes, not
// the cluster: allowed on a read-only one)
export const DELETE = withRoute<{ cluster: string }>(
  (_req, { cluster }) => {
    const id = pathParam(cluster);
    removeRuntimeCluster(id);
    return { removed: id };
  },
  { changesCluster: false },
);
