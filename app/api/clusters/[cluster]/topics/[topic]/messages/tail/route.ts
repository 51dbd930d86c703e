import { tailQuerySchema } from "@/lib/schemas/messages";
import { eventStreamResponse } from "@/server/http/event-stream";
import { pathParam, withRoute } from "@/server/http/with-route";
import { acquireTailSlot, planTail, runTail } from "@/server/messages/tail";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/topics/:topic/messages/tail?partition&maxRate&isolation&keyFormat&valueFormat&maxValueBytes
// Server-Sent Events from the log end: start, message (at most maxRate a second), stats ({sent, skipped, …}), error.
// Ends when the client closes it. 503 too_many_subscribers past the per-process cap.
export const GET = withRoute<{ cluster: string; topic: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const query = tailQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const release = acquireTailSlot();
  try {
    const plan = await planTail(cluster, pathParam(params.topic), query);
    return eventStreamResponse(
      req.signal,
      (sink) =>
        runTail(
          cluster,
          plan,
          {
            start: (s) => sink.send("start", s),
            message: (m) => sink.send("message", m),
            stats: (s) => sink.send("stats", s),
          },
          sink.signal,
        ),
      release,
    );
  } catch (err) {
    release();
    throw err;
  }
});
