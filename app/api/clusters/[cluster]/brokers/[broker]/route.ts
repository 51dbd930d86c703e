import { brokerIdSchema } from "@/lib/schemas/brokers";
import { removeBroker } from "@/server/clusters/broker-commands";
import { withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// DELETE /api/clusters/:cluster/brokers/:broker — takes a drained broker out of the lab for good
export const DELETE = withRoute<{ cluster: string; broker: string }>(async (_req, params) => {
  const cluster = getCluster(params.cluster);
  const id = brokerIdSchema.parse(params.broker);
  await removeBroker(cluster, id);
  return { broker: id, removed: true };
});
