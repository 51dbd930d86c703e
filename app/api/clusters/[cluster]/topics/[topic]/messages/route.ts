import { messagesQuerySchema, produceSchema } from "@/lib/schemas/messages";
import { pathParam, readBody, withRoute } from "@/server/http/with-route";
import { browseMessages } from "@/server/messages/browse";
import { produceMessage } from "@/server/messages/produce";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/topics/:topic/messages?partition&seek&offset&timestamp&limit&isolation&cursor&keyFormat&valueFormat&maxValueBytes
export const GET = withRoute<{ cluster: string; topic: string }>((req, params) => {
  const cluster = getCluster(params.cluster);
  const query = messagesQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return browseMessages(cluster, pathParam(params.topic), query, req.signal);
});

// POST /api/clusters/:cluster/topics/:topic/messages  body {key?, value, valueType?, headers?, partition?, acks?}
export const POST = withRoute<{ cluster: string; topic: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const input = await readBody(req, produceSchema);
  return Response.json(await produceMessage(cluster, pathParam(params.topic), input), { status: 201 });
});
