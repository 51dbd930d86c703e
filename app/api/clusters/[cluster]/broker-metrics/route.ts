import { historyMinutes } from "@/server/http/query";
import { withRoute } from "@/server/http/with-route";
import { brokerMetricsHistory } from "@/server/metrics/queries";
import { getCluster, getHistory, getQuorum } from "@/server/quorum";

export const dynamic = "force-dynamic";

// GET /api/clusters/:cluster/broker-metrics?minutes=15 — each node's metrics over time, the Health panel, and event markers
export const GET = withRoute<{ cluster: string }>((req, params) => {
  const cluster = getCluster(params.cluster);
  const store = getHistory();
  const q = getQuorum();
  const sampler = q.history?.metrics.find((s) => s.clusterId === cluster.id);
  return brokerMetricsHistory(store, cluster.id, {
    minutes: historyMinutes(req),
    sampleMs: q.config.metricsSampleMs,
    enabled: sampler?.hasTargets() ?? false,
    brokers: sampler?.brokerTargets() ?? 0,
    events: cluster.monitor.recent(2000),
  });
});
