import { leadershipQuerySchema } from "@/lib/schemas/leadership";
import { readLeadership } from "@/server/clusters/leadership";
import { withRoute } from "@/server/http/with-route";
import { getCluster, getQuorum } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/leadership?q&offset&limit&sort&internal — leaders and replicas per broker and per topic × broker, one page of topics
export const GET = withRoute<{ cluster: string }>((req, params) => {
  const cluster = getCluster(params.cluster);
  const query = leadershipQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return readLeadership(cluster.read, query, getQuorum().config.leadershipMapMaxPartitions);
});
