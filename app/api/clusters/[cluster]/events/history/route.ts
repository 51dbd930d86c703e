import { z } from "zod";
import { withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

const query = z.object({ limit: z.coerce.number().int().min(1).max(2000).default(500) });

// GET /api/clusters/:cluster/events/history?limit=N — the most recent events, oldest first (the timeline after a reload)
export const GET = withRoute<{ cluster: string }>((req, params) => {
  const cluster = getCluster(params.cluster);
  const { limit } = query.parse(Object.fromEntries(new URL(req.url).searchParams));
  return { lastEventId: cluster.monitor.lastEventId, events: cluster.monitor.recent(limit) };
});
