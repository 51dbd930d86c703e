import { pathParam, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";
import * as reassignment from "@/server/reassignment/commands";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/reassignments/:run — one run, per partition (live while it moves)
export const GET = withRoute<{ cluster: string; run: string }>((_req, params) =>
  reassignment.run(getCluster(params.cluster), pathParam(params.run)),
);

// DELETE /api/clusters/:cluster/reassignments/:run — cancels its moves still under way (Kafka puts them back)
export const DELETE = withRoute<{ cluster: string; run: string }>((_req, params) =>
  reassignment.cancel(getCluster(params.cluster), pathParam(params.run)),
);
