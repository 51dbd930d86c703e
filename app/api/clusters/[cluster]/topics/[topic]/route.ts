import { pathParam, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/topics/:topic
export const GET = withRoute<{ cluster: string; topic: string }>((_req, { cluster, topic }) =>
  getCluster(cluster).topic(pathParam(topic)),
);

// DELETE /api/clusters/:cluster/topics/:topic
export const DELETE = withRoute<{ cluster: string; topic: string }>(async (_req, { cluster, topic }) => {
  const name = pathParam(topic);
  await getCluster(cluster).deleteTopic(name);
  return { deleted: name };
});
