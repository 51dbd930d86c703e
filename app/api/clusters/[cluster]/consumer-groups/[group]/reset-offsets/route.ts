import { resetOffsetsSchema } from "@/lib/schemas/groups";
import { actor, resetOffsets } from "@/server/clusters/group-commands";
import { pathParam, readBody, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

// POST /api/clusters/:cluster/consumer-groups/:group/reset-offsets
//   body {topics: [{topic, partitions?}], mode, timestamp|offset|shift|fromGroup, execute?}:
//   a preview (--dry-run) unless execute is true; 409 on execute while the group has members
export const POST = withRoute<{ cluster: string; group: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const input = await readBody(req, resetOffsetsSchema);
  return resetOffsets(cluster, pathParam(params.group), input, actor(req));
});
