import { controllerIdSchema } from "@/lib/schemas/brokers";
import { startController } from "@/server/clusters/controller-commands";
import { withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

// POST /api/clusters/:cluster/controllers/:controller/start
export const POST = withRoute<{ cluster: string; controller: string }>(async (_req, params) => {
  const cluster = getCluster(params.cluster);
  const id = controllerIdSchema.parse(params.controller);
  await startController(cluster, id);
  return Response.json({ controller: id, status: "starting" }, { status: 202 });
});
