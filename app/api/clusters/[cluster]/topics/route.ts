import { topicListQuerySchema } from "@/lib/schemas/lists";
import { createTopicSchema } from "@/lib/schemas/topics";
import { listScope } from "@/server/auth/guard";
import { readBody, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/topics?q=&sort=&dir=&offset=&limit=&internal= — one page of the list
// (with a grant scoped by a name pattern, the topics it covers alone)
export const GET = withRoute<{ cluster: string }>((req, params, who) => {
  const cluster = getCluster(params.cluster);
  const query = topicListQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return cluster.topicPage(query, listScope(who, cluster.id, "topic"));
});

// POST /api/clusters/:cluster/topics  body {name, partitions, replicationFactor, configs?}
export const POST = withRoute<{ cluster: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const input = await readBody(req, createTopicSchema);
  const topic = await cluster.createTopic({ ...input, configs: input.configs ?? {} });
  return Response.json(topic, { status: 201 });
});
