import "server-only";
import type { ClusterService } from "../cluster-service";
import type { ClusterDefinition } from "../clusters/cluster-config";
import type { MetricsTarget } from "./sampler";

/**
 * Where a cluster's broker metrics are read: the lab's JMX exporters, or the endpoints its entry
 * names (`metrics` in the config file). A named node that the latest snapshot does not list as a
 * broker is taken for a controller. Empty: the cluster has no metrics endpoints.
 */
export function metricsTargets(service: ClusterService, def: ClusterDefinition | undefined): () => MetricsTarget[] {
  const embedded = service.embedded;
  if (embedded) return () => embedded.metricsEndpoints();
  const named = Object.entries(def?.metrics ?? {}).map(([id, url]) => ({ node: Number(id), url }));
  return () => {
    const brokers = service.read.cache.known;
    return named.map((n) => ({
      ...n,
      role: brokers.size > 0 && !brokers.has(n.node) ? ("controller" as const) : ("broker" as const),
    }));
  };
}
