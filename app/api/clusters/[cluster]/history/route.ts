import { clusterHistory } from "@/server/history/queries";
import { historyMinutes } from "@/server/http/query";
import { withRoute } from "@/server/http/with-route";
import { getCluster, getHistory } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/history?minutes=15 — total lag and produce rate over time
export const GET = withRoute<{ cluster: string }>((req, params) =>
  clusterHistory(getHistory(), getCluster(params.cluster).id, historyMinutes(req)),
);
