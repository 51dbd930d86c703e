import { addPartitionsSchema } from "@/lib/schemas/topics";
import { pathParam, readBody, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

// POST /api/clusters/:cluster/topics/:topic/partitions  body {count}: the new total
export const POST = withRoute<{ cluster: string; topic: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const { count } = await readBody(req, addPartitionsSchema);
  return cluster.addPartitions(pathParam(params.topic), count);
});
