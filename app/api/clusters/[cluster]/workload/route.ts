import { workloadActionSchema } from "@/lib/schemas/workload";
import { readBody, withRoute } from "@/server/http/with-route";
import { getWorkload } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/workload — the demo workload's state
export const GET = withRoute<{ cluster: string }>((_req, params) => getWorkload(params.cluster).status());

// POST /api/clusters/:cluster/workload  body {action: "start" | "stop"}
export const POST = withRoute<{ cluster: string }>(async (req, params) => {
  const workload = getWorkload(params.cluster);
  const { action } = await readBody(req, workloadActionSchema);
  return action === "start" ? workload.start() : workload.stop();
});
