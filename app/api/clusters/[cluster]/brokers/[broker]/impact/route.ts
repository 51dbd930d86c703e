import { brokerIdSchema } from "@/lib/schemas/brokers";
import { withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/brokers/:broker/impact — what stopping this broker would take offline
export const GET = withRoute<{ cluster: string; broker: string }>((_req, params) =>
  getCluster(params.cluster).stopImpact(brokerIdSchema.parse(params.broker)),
);
