import { addClusterSchema } from "@/lib/schemas/clusters";
import { definitionOf, resolveConnection } from "@/server/clusters/cluster-config";
import { testConnection } from "@/server/clusters/connection-test";
import { readBody, withRoute } from "@/server/http/with-route";

export const dynamic = "force-dynamic";

// POST /api/clusters/test  body as POST /api/clusters: tries the connection step by step, adds nothing
export const POST = withRoute(async (req) => {
  const def = definitionOf(await readBody(req, addClusterSchema), "runtime");
  return testConnection(resolveConnection(def));
});
