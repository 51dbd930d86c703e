import { z } from "zod";
import { actor, deleteGroupOffsets } from "@/server/clusters/group-commands";
import { AppError } from "@/server/errors";
import { pathParam, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

const partitionsParam = z
  .string()
  .regex(/^\d{1,10}(,\d{1,10})*$/, "partitions is a comma-separated list of partition numbers, e.g. 0,2");

// DELETE /api/clusters/:cluster/consumer-groups/:group/offsets/:topic[?partitions=0,2]: OffsetDelete
export const DELETE = withRoute<{ cluster: string; group: string; topic: string }>((req, params) => {
  const cluster = getCluster(params.cluster);
  const raw = new URL(req.url).searchParams.get("partitions");
  let partitions: number[] | undefined;
  if (raw !== null) {
    const parsed = partitionsParam.safeParse(raw);
    if (!parsed.success)
      throw new AppError("validation_failed", parsed.error.issues[0]?.message ?? "bad partitions", {
        field: "partitions",
      });
    partitions = [...new Set(parsed.data.split(",").map(Number))];
  }
  return deleteGroupOffsets(cluster, pathParam(params.group), pathParam(params.topic), partitions, actor(req));
});
