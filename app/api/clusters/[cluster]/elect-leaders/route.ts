import { electLeadersSchema } from "@/lib/schemas/topics";
import { readBody, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

// POST /api/clusters/:cluster/elect-leaders  body {topic?}: preferred leader election, one topic or all
export const POST = withRoute<{ cluster: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const { topic } = await readBody(req, electLeadersSchema);
  return cluster.electPreferredLeaders(topic);
});
