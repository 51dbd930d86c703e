import { withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/monitor — the monitor's pace, subscribers and event count
export const GET = withRoute<{ cluster: string }>((_req, params) => getCluster(params.cluster).monitor.status());
