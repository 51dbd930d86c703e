import "server-only";
import path from "node:path";
import type { ClusterEntry } from "@/lib/schemas/clusters";
import { type ClusterDefinition, definitionOf, entryOf } from "./clusters/cluster-config";
import { AppError } from "./errors";
import { logger } from "./logger";
import { getCluster, getQuorum, LOCAL_CLUSTER_ID, metricsSamplerFor, samplerFor, serviceFor } from "./quorum";

/**
 * Clusters added and removed while Quorum runs (the clusters page and POST/DELETE /api/clusters),
 * kept in `<data dir>/clusters.json`. Configured clusters and the embedded one are not removable.
 */

/** A definition added at run time with its TLS paths made absolute (from the working directory), so they mean one thing later. */
function withAbsolutePaths(def: ClusterDefinition): ClusterDefinition {
  if (!def.tls) return def;
  const tls = { ...def.tls };
  for (const k of ["ca", "cert", "key"] as const) {
    const p = tls[k];
    if (p !== undefined) tls[k] = path.resolve(p);
  }
  return { ...def, tls };
}

/** What the API says about a cluster's definition: secrets by name only, as stored. */
export type PublicDefinition = ClusterEntry & { origin: ClusterDefinition["origin"] };

function publicDefinition(def: ClusterDefinition): PublicDefinition {
  return { ...entryOf(def), name: def.name, readOnly: def.readOnly, origin: def.origin };
}

/**
 * Adds a cluster at run time: refused when its id is taken (409), or when a TLS file cannot be read
 * or is not PEM, or its password variable is not set or not named QUORUM_SECRET_… (400); otherwise
 * it is stored in `<data dir>/clusters.json` and gets its monitor and history sampler like the others.
 */
export function addRuntimeCluster(entry: ClusterEntry): PublicDefinition {
  const q = getQuorum();
  if (q.clusters.has(entry.id)) {
    throw new AppError("conflict", `A cluster with the id "${entry.id}" already exists: choose another id`, {
      field: "id",
    });
  }
  const def = withAbsolutePaths(definitionOf(entry, "runtime"));
  const service = serviceFor(def, q.config);
  const store = q.runtimeStore;
  const definitions = q.definitions;
  if (!store || !definitions) throw new AppError("conflict", "Quorum keeps no clusters added at run time here");
  const runtime = [...definitions.values()].filter((d) => d.origin === "runtime");
  store.save([...runtime, def].map(entryOf));
  definitions.set(def.id, def);
  q.clusters.set(def.id, service);
  if (q.started) {
    service.monitor.start();
    if (q.history) {
      service.actions = q.history.store.actions;
      const sampler = samplerFor(service, q.history.store, q.config);
      sampler.start();
      q.history.samplers.push(sampler);
      const metrics = metricsSamplerFor(service, q.history.store, q.config, def);
      metrics.start();
      q.history.metrics.push(metrics);
    }
  }
  logger.info(
    {
      action: "cluster.add",
      cluster: def.id,
      bootstrap: def.bootstrap,
      readOnly: def.readOnly,
      tls: def.tls !== null,
      sasl: def.sasl ? `${def.sasl.mechanism} as ${def.sasl.username}` : null,
    },
    "cluster.add",
  );
  return publicDefinition(def);
}

/**
 * Removes a cluster added at run time: its monitor stops, its event streams close, its sampler
 * stops, and it leaves clusters.json. The embedded cluster and configured ones answer 409 with why.
 */
export function removeRuntimeCluster(id: string): void {
  const q = getQuorum();
  const service = getCluster(id);
  const def = q.definitions?.get(id);
  if (def?.origin !== "runtime") {
    const why =
      id === LOCAL_CLUSTER_ID
        ? "it is the cluster Quorum runs"
        : def?.origin === "config-file"
          ? `it comes from the config file ${q.config.configFile ?? ""}: remove it there and restart Quorum`
          : "it comes from QUORUM_CLUSTERS: remove it there and restart Quorum";
    throw new AppError("conflict", `Cluster "${id}" cannot be removed here: ${why}`);
  }
  const definitions = q.definitions;
  const store = q.runtimeStore;
  if (!definitions || !store) throw new AppError("conflict", `Cluster "${id}" cannot be removed here`);
  const rest = [...definitions.values()].filter((d) => d.origin === "runtime" && d.id !== id);
  store.save(rest.map(entryOf));
  definitions.delete(id);
  q.clusters.delete(id);
  service.monitor.close();
  void service.gateway.close();
  if (q.history) {
    const sampler = q.history.samplers.find((s) => s.clusterId === id);
    sampler?.stop();
    q.history.samplers = q.history.samplers.filter((s) => s !== sampler);
    for (const s of q.history.metrics) if (s.clusterId === id) s.stop();
    q.history.metrics = q.history.metrics.filter((s) => s.clusterId !== id);
  }
  logger.info({ action: "cluster.remove", cluster: id }, "cluster.remove");
}
