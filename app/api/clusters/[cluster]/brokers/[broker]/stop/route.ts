import { brokerIdSchema, stopBrokerSchema } from "@/lib/schemas/brokers";
import { readBody, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

// POST /api/clusters/:cluster/brokers/:broker/stop  body {mode: "graceful" | "kill", confirm?: boolean}
export const POST = withRoute<{ cluster: string; broker: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const id = brokerIdSchema.parse(params.broker);
  const { mode, confirm } = await readBody(req, stopBrokerSchema);
  await cluster.stopBroker(id, mode, { confirm });
  return { broker: id, mode, status: "down" };
});
