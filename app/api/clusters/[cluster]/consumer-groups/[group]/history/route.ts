import { groupHistory } from "@/server/history/queries";
import { historyMinutes } from "@/server/http/query";
import { pathParam, withRoute } from "@/server/http/with-route";
import { getCluster, getHistory } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/consumer-groups/:group/history?minutes=15 — lag, consume rate and status
export const GET = withRoute<{ cluster: string; group: string }>((req, params) =>
  groupHistory(getHistory(), getCluster(params.cluster).id, pathParam(params.group), historyMinutes(req)),
);
