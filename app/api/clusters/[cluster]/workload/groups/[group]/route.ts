import { workloadGroupSchema } from "@/lib/schemas/workload";
import { pathParam, readBody, withRoute } from "@/server/http/with-route";
import { getWorkload } from "@/server/quorum";

// POST /api/clusters/:cluster/workload/groups/:group  body {paused: boolean} — pause or resume a demo group
export const POST = withRoute<{ cluster: string; group: string }>(async (req, params) => {
  const workload = getWorkload(params.cluster);
  const { paused } = await readBody(req, workloadGroupSchema);
  return workload.setPaused(pathParam(params.group), paused);
});
