import path from "node:path";
import { ClusterService } from "@/server/cluster-service";
import { DrillRunner } from "@/server/drill/drill";
import type { EmbeddedCluster } from "@/server/embedded/embedded-cluster";
import type { Quorum } from "@/server/quorum";
import { DemoWorkload } from "@/server/workload/demo";

/** Any route handler: each takes its own params shape, all of which a `Promise<never>` satisfies. */
export type Handler = (req: Request, ctx: { params: Promise<never> }) => Promise<Response>;

/** Makes the route handlers serve `cluster` as "local", as the running app's one Quorum would. */
export function serveThroughRoutes(cluster: EmbeddedCluster): ClusterService {
  const service = new ClusterService("local", "Local lab", [], cluster);
  const quorum: Quorum = {
    config: {
      dataDir: cluster.config.dataDir,
      embedded: cluster.config,
      external: [],
      configFile: null,
      auth: null,
      auditRetentionDays: 90,
      monitorIntervalMs: 500,
      readMaxAgeMs: 5000,
      heartbeatMs: 200,
      maxStreams: 100,
      leadershipMapMaxPartitions: 200,
      demo: { enabled: false, rate: 20 },
      history: { sampleMs: 500, retentionHours: 1, maxRows: 100_000 },
      metricsSampleMs: 5000,
    },
    embedded: cluster,
    clusters: new Map([["local", service]]),
    drills: new Map([["local", new DrillRunner(service, path.join(cluster.config.dataDir, "drills"))]]),
    workloads: new Map([["local", new DemoWorkload(service, false, 20)]]),
    history: null,
  };
  (globalThis as Record<symbol, unknown>)[Symbol.for("quorum.instance")] = quorum;
  return service;
}

/**
 * Calls a route handler as Next.js would, with a raw body (a string is sent as is, anything else as
 * JSON) and an optional query string (`?goal=balance`).
 */
export async function call(
  handler: Handler,
  params: Record<string, string>,
  init: { method?: string; body?: unknown; query?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const raw =
    init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body);
  const url = `http://127.0.0.1/api${init.query ?? ""}`;
  const res = await handler(new Request(url, { method: init.method ?? "POST", body: raw }), {
    params: Promise.resolve(params) as Promise<never>,
  });
  return { status: res.status, body: await res.json() };
}
