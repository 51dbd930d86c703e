import { controllerIdSchema, stopBrokerSchema } from "@/lib/schemas/brokers";
import { stopController } from "@/server/clusters/controller-commands";
import { readBody, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

// POST /api/clusters/:cluster/controllers/:controller/stop  body {mode: "graceful" | "kill", confirm?: boolean}
export const POST = withRoute<{ cluster: string; controller: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const id = controllerIdSchema.parse(params.controller);
  const { mode, confirm } = await readBody(req, stopBrokerSchema);
  await stopController(cluster, id, mode, { confirm });
  return { controller: id, mode, status: "down" };
});
