import { withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/topics
export const GET = withRoute<{ cluster: string }>((_req, { cluster }) => getCluster(cluster).topics());
