import { deleteRecordsSchema } from "@/lib/schemas/groups";
import { deleteRecords } from "@/server/clusters/record-commands";
import { pathParam, readBody, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

// POST /api/clusters/:cluster/topics/:topic/delete-records  body {partitions: [{partition, offset}], execute?}:
//   a preview unless execute is true; 409 internal_topic for an internal topic
export const POST = withRoute<{ cluster: string; topic: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const input = await readBody(req, deleteRecordsSchema);
  return deleteRecords(cluster, pathParam(params.topic), input);
});
