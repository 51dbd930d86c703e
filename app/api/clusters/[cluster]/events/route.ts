import { eventStream } from "@/server/http/sse";
import { withRoute } from "@/server/http/with-route";
import { getCluster, getQuorum } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/events — Server-Sent Events: event = type, id = rising number, data = JSON with ts.
// Resumes after the Last-Event-ID header (or ?lastEventId=) from the ring of recent events.
export const GET = withRoute<{ cluster: string }>((req, params) => {
  const cluster = getCluster(params.cluster);
  const raw = req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("lastEventId");
  const lastEventId = raw !== null && /^\d+$/.test(raw) ? Number(raw) : null;
  return eventStream(cluster.monitor, { lastEventId, heartbeatMs: getQuorum().config.heartbeatMs, signal: req.signal });
});
