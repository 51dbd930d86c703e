import { identifyRequest } from "@/server/auth/guard";
import { eventStream } from "@/server/http/sse";
import { withRoute } from "@/server/http/with-route";
import { getCluster, getQuorum } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/events — Server-Sent Events: event = type, id = "<epoch>-<n>", data = JSON with ts.
// Resumes after the Last-Event-ID header (or ?lastEventId=) from the ring of recent events; an id of
// an earlier run replays the whole ring. 503 too_many_subscribers past the per-cluster stream cap.
export const GET = withRoute<{ cluster: string }>((req, params, who) => {
  const cluster = getCluster(params.cluster);
  const raw = req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("lastEventId");
  const lastEventId = raw?.trim() ? raw.trim() : null;
  return eventStream(cluster.monitor, {
    lastEventId,
    heartbeatMs: getQuorum().config.heartbeatMs,
    signal: req.signal,
    // A stream outlives no sign-out and no revoked token: the caller is asked again at each heartbeat.
    stillAllowed: who ? () => identifyRequest(req).then(() => true) : undefined,
  });
});
