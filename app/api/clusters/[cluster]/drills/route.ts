import { startDrillSchema } from "@/lib/schemas/drills";
import { startDrill } from "@/server/clusters/drill-commands";
import { readBody, withRoute } from "@/server/http/with-route";
import { getCluster, getDrills } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/drills — every drill report, newest first
export const GET = withRoute<{ cluster: string }>((_req, params) => getDrills(params.cluster).list());

// POST /api/clusters/:cluster/drills  body {topic, mode?, cycles?, downMs?, rate?} — starts a failover drill
export const POST = withRoute<{ cluster: string }>(async (req, params) => {
  const drills = getDrills(params.cluster);
  const plan = await readBody(req, startDrillSchema);
  return Response.json(await startDrill(getCluster(params.cluster), drills, plan), { status: 202 });
});
