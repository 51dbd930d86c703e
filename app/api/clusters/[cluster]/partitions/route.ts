import { withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/partitions?internal=true — every partition's leader, replicas and ISR (the leadership map)
export const GET = withRoute<{ cluster: string }>((req, params) =>
  getCluster(params.cluster).partitions(new URL(req.url).searchParams.get("internal") === "true"),
);
