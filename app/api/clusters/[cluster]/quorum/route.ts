import { quorum } from "@/server/clusters/controller-commands";
import { withRoute } from "@/server/http/with-route";
import { getCluster } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/quorum — the KRaft controller quorum: leader, epoch, high watermark, each voter's lag, majority
export const GET = withRoute<{ cluster: string }>((_req, params) => quorum(getCluster(params.cluster)));
