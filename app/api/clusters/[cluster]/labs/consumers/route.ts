import { labConsumersSchema } from "@/lib/schemas/labs";
import { readBody, withRoute } from "@/server/http/with-route";
import { labConsumersOf } from "@/server/labs/labs";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/labs/consumers — the guided labs' consumers running now
export const GET = withRoute<{ cluster: string }>((_req, params) => labConsumersOf(getCluster(params.cluster)).list());

// POST /api/clusters/:cluster/labs/consumers — {action: "start", group, topic, count} or {action: "stop", group, member}
export const POST = withRoute<{ cluster: string }>(async (req, params) => {
  const consumers = labConsumersOf(getCluster(params.cluster));
  const input = await readBody(req, labConsumersSchema);
  if (input.action === "start") {
    const started = await consumers.start(input.group, input.topic, input.count);
    return Response.json({ started, running: consumers.list() }, { status: 201 });
  }
  await consumers.stop(input.group, input.member);
  return { stopped: { group: input.group, member: input.member }, running: consumers.list() };
});
