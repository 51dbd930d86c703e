import { addClusterSchema } from "@/lib/schemas/clusters";
import { readBody, withRoute } from "@/server/http/with-route";
import { getQuorum } from "@/server/quorum";
import { addRuntimeCluster } from "@/server/runtime-clusters";

export const dynamic = "force-dynamic";

// GET /api/clusters
export const GET = withRoute(() => Promise.all([...getQuorum().clusters.values()].map((c) => c.summary())));

// POST /api/clusters  body {id, name?, bootstrap: ["host:port", …], readOnly?, tls?, sasl?}: adds a cluster at run time
export const POST = withRoute(async (req) => {
  const entry = await readBody(req, addClusterSchema);
  return Response.json(addRuntimeCluster(entry), { status: 201 });
});
