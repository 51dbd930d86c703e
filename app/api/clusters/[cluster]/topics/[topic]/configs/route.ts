import { alterTopicConfigsSchema } from "@/lib/schemas/topics";
import { pathParam, readBody, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/topics/:topic/configs
export const GET = withRoute<{ cluster: string; topic: string }>(async (_req, params) => {
  const cluster = getCluster(params.cluster);
  const name = pathParam(params.topic);
  await cluster.topic(name);
  return cluster.topicConfigs(name);
});

// PATCH /api/clusters/:cluster/topics/:topic/configs  body {configs: {name: value | null}}
export const PATCH = withRoute<{ cluster: string; topic: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const { configs } = await readBody(req, alterTopicConfigsSchema);
  return cluster.alterTopicConfigs(pathParam(params.topic), configs);
});
