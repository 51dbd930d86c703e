import { topicHistory } from "@/server/history/queries";
import { historyMinutes } from "@/server/http/query";
import { pathParam, withRoute } from "@/server/http/with-route";
import { getCluster, getHistory } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/topics/:topic/history?minutes=15 — produce rate and message count over time
export const GET = withRoute<{ cluster: string; topic: string }>((req, params) =>
  topicHistory(getHistory(), getCluster(params.cluster).id, pathParam(params.topic), historyMinutes(req)),
);
