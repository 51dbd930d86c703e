import { z } from "zod";
import { addBroker } from "@/server/clusters/broker-commands";
import { readBody, withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/brokers
export const GET = withRoute<{ cluster: string }>((_req, { cluster }) => getCluster(cluster).brokers());

// POST /api/clusters/:cluster/brokers  body {} — adds a broker to the lab Quorum runs; 201 once it answers
export const POST = withRoute<{ cluster: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  await readBody(req, z.object({}).strict());
  const broker = await addBroker(cluster);
  return Response.json({ broker, status: "up" }, { status: 201 });
});
