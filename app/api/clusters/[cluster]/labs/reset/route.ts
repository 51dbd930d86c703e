import { labResetSchema } from "@/lib/schemas/labs";
import { readBody, withRoute } from "@/server/http/with-route";
import { resetLabs } from "@/server/labs/labs";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// POST /api/clusters/:cluster/labs/reset — {}: lab consumers stopped, stopped nodes started, every lab-… topic and group deleted
export const POST = withRoute<{ cluster: string }>(async (req, params) => {
  await readBody(req, labResetSchema);
  return resetLabs(getCluster(params.cluster));
});
