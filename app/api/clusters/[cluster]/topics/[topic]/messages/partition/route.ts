import { partitionForKeySchema } from "@/lib/schemas/messages";
import { pathParam, withRoute } from "@/server/http/with-route";
import { choosePartition } from "@/server/messages/produce";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/topics/:topic/messages/partition?key=…  the partition a keyed message goes to
export const GET = withRoute<{ cluster: string; topic: string }>((req, params) => {
  const cluster = getCluster(params.cluster);
  const { key } = partitionForKeySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return choosePartition(cluster, pathParam(params.topic), key);
});
