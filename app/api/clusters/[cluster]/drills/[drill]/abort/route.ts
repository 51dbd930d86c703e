import { pathParam, withRoute } from "@/server/http/with-route";
import { getDrills } from "@/server/quorum";

// POST /api/clusters/:cluster/drills/:drill/abort — ends a running drill once the broker it restarts is back
export const POST = withRoute<{ cluster: string; drill: string }>((_req, params) =>
  Response.json(getDrills(params.cluster).abort(pathParam(params.drill)), { status: 202 }),
);
