import { searchQuerySchema } from "@/lib/schemas/messages";
import { eventStreamResponse } from "@/server/http/event-stream";
import { pathParam, withRoute } from "@/server/http/with-route";
import { acquireSearchSlot, planSearch, runSearch } from "@/server/messages/search";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/topics/:topic/messages/search?mode&pattern|path&op&operand&in&partition&seek&offset&timestamp&maxMessages&maxSeconds&maxMatches&…
// Server-Sent Events: start, match (one message each), progress, done (with why it ended), error.
// Closing the request cancels the scan. 503 too_many_subscribers past the per-process cap.
export const GET = withRoute<{ cluster: string; topic: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const query = searchQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const plan = await planSearch(cluster, pathParam(params.topic), query);
  const release = acquireSearchSlot();
  return eventStreamResponse(
    req.signal,
    async (sink) => {
      await runSearch(
        cluster.gateway,
        plan,
        {
          start: (s) => sink.send("start", s),
          match: (m) => sink.send("match", m),
          progress: (p) => sink.send("progress", p),
          done: (d) => sink.send("done", d),
        },
        sink.signal,
      );
    },
    release,
  );
});
