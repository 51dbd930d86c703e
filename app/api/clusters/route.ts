import { withRoute } from "@/server/http/with-route";
import { clusterSummary, getQuorum } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters
export const GET = withRoute(() => Promise.all([...getQuorum().clusters.values()].map((c) => clusterSummary(c))));
