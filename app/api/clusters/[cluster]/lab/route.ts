import { recreateLabSchema } from "@/lib/schemas/brokers";
import { recreateLab } from "@/server/clusters/lab-commands";
import { readBody, withRoute } from "@/server/http/with-route";
import { getCluster, getQuorum } from "@/server/quorum";

export const dynamic = "force-dynamic";

// POST /api/clusters/:cluster/lab  body {brokers: 1–9, controllers: 1 | 3, confirm: true}
// — a fresh lab of that size in place of the current one (its topics and messages deleted); 202, then "starting"
export const POST = withRoute<{ cluster: string }>(async (req, params) => {
  const cluster = getCluster(params.cluster);
  const { confirm, ...shape } = await readBody(req, recreateLabSchema);
  // The demo workload writes into the lab: it stops first, and starts again on the new lab if it ran.
  const workload = getQuorum().workloads.get(cluster.id);
  const running = workload?.status().running ?? false;
  const answer = await recreateLab(cluster, shape, {
    confirm,
    before: async () => {
      if (running) await workload?.stop();
    },
    after: () => {
      if (running) void workload?.start();
    },
  });
  return Response.json(answer, { status: 202 });
});
