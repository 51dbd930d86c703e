import { startReassignmentSchema } from "@/lib/schemas/reassignments";
import { readBody, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";
import * as reassignment from "@/server/reassignment/commands";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/reassignments — Quorum's runs (newest first) and every move Kafka lists as under way
export const GET = withRoute<{ cluster: string }>((_req, params) => reassignment.view(getCluster(params.cluster)));

// POST /api/clusters/:cluster/reassignments  body {partitions: [{topic, partition, replicas}], throttleBytesPerSec?}
// — starts moving the partitions to their new replica lists (kafka-reassign-partitions --execute)
export const POST = withRoute<{ cluster: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const input = await readBody(req, startReassignmentSchema);
  return Response.json(await reassignment.start(cluster, input), { status: 202 });
});
