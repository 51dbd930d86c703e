import { goalOf, planQuerySchema } from "@/lib/schemas/reassignments";
import { withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";
import * as reassignment from "@/server/reassignment/commands";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/reassignments/plan?goal=balance | drain&broker= | topic&topic=&brokers=2,3,4 |
// replication-factor&topic=&replicationFactor= — the moves that reach the goal, before and after, with the bytes they copy
export const GET = withRoute<{ cluster: string }>((req, params) => {
  const cluster = getCluster(params.cluster);
  const query = planQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return reassignment.plan(cluster, goalOf(query));
});
