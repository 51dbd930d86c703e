import { withRoute } from "@/server/http/with-route";
import { clusterSummary, getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster
export const GET = withRoute<{ cluster: string }>((_req, { cluster }) => clusterSummary(getCluster(cluster)));
