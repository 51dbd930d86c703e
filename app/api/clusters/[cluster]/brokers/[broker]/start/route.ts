import { brokerIdSchema } from "@/lib/schemas/brokers";
import { withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

// POST /api/clusters/:cluster/brokers/:broker/start
export const POST = withRoute<{ cluster: string; broker: string }>(async (_req, params) => {
  const cluster = getCluster(params.cluster);
  const id = brokerIdSchema.parse(params.broker);
  await cluster.startBroker(id);
  return Response.json({ broker: id, status: "starting" }, { status: 202 });
});
