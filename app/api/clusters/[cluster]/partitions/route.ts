import { partitionsQuerySchema } from "@/lib/schemas/leadership";
import { readPartitions } from "@/server/clusters/leadership";
import { withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/partitions?internal=true&topic&offset&limit — partitions' leader, replicas and ISR; every one without topic/offset/limit, else that page (the total in X-Total-Count)
export const GET = withRoute<{ cluster: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const query = partitionsQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const { rows, total } = await readPartitions(cluster.read, query);
  return Response.json(rows, { headers: { "X-Total-Count": String(total) } });
});
