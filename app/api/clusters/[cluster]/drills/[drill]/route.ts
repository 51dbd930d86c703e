import { pathParam, withRoute } from "@/server/http/with-route";
import { getDrills } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/drills/:drill — one drill's report (live while it runs)
export const GET = withRoute<{ cluster: string; drill: string }>((_req, params) =>
  getDrills(params.cluster).get(pathParam(params.drill)),
);
