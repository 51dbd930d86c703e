import { addClusterSchema } from "@/lib/schemas/clusters";
import { visibleClusters } from "@/server/auth/guard";
import { readBody, withRoute } from "@/server/http/with-route";
import { getQuorum } from "@/server/quorum";
import { addRuntimeCluster } from "@/server/runtime-clusters";

export const dynamic = "force-dynamic";

// GET /api/clusters: with sign-in on, the clusters the caller holds a role on
export const GET = withRoute((_req, _params, who) => {
  const shown = visibleClusters(who);
  return Promise.all([...getQuorum().clusters.values()].filter((c) => shown.has(c.id)).map((c) => c.summary()));
});

// POST /api/clusters  body {id, name?, bootstrap: ["host:port", …], readOnly?, tls?, sasl?}: adds a cluster at run time
export const POST = withRoute(async (req) => {
  const entry = await readBody(req, addClusterSchema);
  return Response.json(addRuntimeCluster(entry), { status: 201 });
});
