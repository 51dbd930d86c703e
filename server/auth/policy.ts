import "server-only";
import { covers, ROLES, type Role } from "@/lib/schemas/auth";

export { covers, ROLES, type Role };

/** The resource of a request a grant may be scoped to, besides its cluster. */
export type ScopedBy = "topic" | "group" | null;

export interface RoutePolicy {
  /** The least role that may make this request. */
  role: Role;
  /** What the request does, as the audit trail names it (`topic.create`); reads are `read`. */
  action: string;
  /** The path parameter naming the topic or group a scoped grant is checked against. */
  scopedBy: ScopedBy;
}

const read = (scopedBy: ScopedBy = null): RoutePolicy => ({ role: "viewer", action: "read", scopedBy });
const operator = (action: string, scopedBy: ScopedBy = null): RoutePolicy => ({ role: "operator", action, scopedBy });
const admin = (action: string, scopedBy: ScopedBy = null): RoutePolicy => ({ role: "admin", action, scopedBy });

/**
 * Who may do what, per API route (as in api-routes.ts) and method: `viewer` reads everything
 * (sensitive config values are masked for everyone); `operator` changes topics, configs,
 * partitions, messages and group offsets; `admin` controls the lab's nodes, drills and workload,
 * Quorum's list of clusters, and deletes (topics, records, groups), reads the audit trail and
 * manages API tokens. `policy.test.ts` fails when a route or method has no entry here.
 */
export const POLICY: Readonly<Record<string, Readonly<Record<string, RoutePolicy>>>> = {
  "/api/audit": { GET: admin("audit.read") },
  "/api/auth/tokens": { GET: admin("auth.tokens.read"), POST: admin("auth.tokens.create") },
  "/api/auth/tokens/[token]": { DELETE: admin("auth.tokens.revoke") },
  "/api/clusters": { GET: read(), POST: admin("cluster.add") },
  "/api/clusters/test": { POST: admin("cluster.test") },
  "/api/clusters/[cluster]": { GET: read(), DELETE: admin("cluster.remove") },
  "/api/clusters/[cluster]/brokers": { GET: read(), POST: admin("broker.add") },
  "/api/clusters/[cluster]/brokers/[broker]": { DELETE: admin("broker.remove") },
  "/api/clusters/[cluster]/brokers/[broker]/impact": { GET: read() },
  "/api/clusters/[cluster]/brokers/[broker]/start": { POST: admin("broker.start") },
  "/api/clusters/[cluster]/brokers/[broker]/stop": { POST: admin("broker.stop") },
  "/api/clusters/[cluster]/consumer-groups": { GET: read() },
  "/api/clusters/[cluster]/consumer-groups/[group]": {
    GET: read("group"),
    DELETE: admin("group.delete", "group"),
  },
  "/api/clusters/[cluster]/consumer-groups/[group]/actions": { GET: read("group") },
  "/api/clusters/[cluster]/consumer-groups/[group]/history": { GET: read("group") },
  "/api/clusters/[cluster]/consumer-groups/[group]/offsets/[topic]": {
    DELETE: operator("group.offsets.delete", "group"),
  },
  "/api/clusters/[cluster]/consumer-groups/[group]/reset-offsets": {
    POST: operator("group.offsets.reset", "group"),
  },
  "/api/clusters/[cluster]/controllers": { GET: read() },
  "/api/clusters/[cluster]/controllers/[controller]/start": { POST: admin("controller.start") },
  "/api/clusters/[cluster]/controllers/[controller]/stop": { POST: admin("controller.stop") },
  "/api/clusters/[cluster]/quorum": { GET: read() },
  "/api/clusters/[cluster]/lab": { POST: admin("lab.recreate") },
  "/api/clusters/[cluster]/drills": { GET: read(), POST: admin("drill.start") },
  "/api/clusters/[cluster]/drills/[drill]": { GET: read() },
  "/api/clusters/[cluster]/drills/[drill]/abort": { POST: admin("drill.abort") },
  "/api/clusters/[cluster]/elect-leaders": { POST: operator("partitions.elect-leaders") },
  "/api/clusters/[cluster]/events": { GET: read() },
  "/api/clusters/[cluster]/events/history": { GET: read() },
  "/api/clusters/[cluster]/history": { GET: read() },
  "/api/clusters/[cluster]/broker-metrics": { GET: read() },
  "/api/clusters/[cluster]/leadership": { GET: read() },
  "/api/clusters/[cluster]/monitor": { GET: read() },
  "/api/clusters/[cluster]/overview": { GET: read() },
  "/api/clusters/[cluster]/partitions": { GET: read() },
  "/api/clusters/[cluster]/reassignments": { GET: read(), POST: operator("partitions.reassign") },
  "/api/clusters/[cluster]/reassignments/plan": { GET: read() },
  "/api/clusters/[cluster]/reassignments/[run]": {
    GET: read(),
    DELETE: operator("partitions.reassign.cancel"),
  },
  "/api/clusters/[cluster]/topics": { GET: read(), POST: operator("topic.create") },
  "/api/clusters/[cluster]/topics/[topic]": { GET: read("topic"), DELETE: admin("topic.delete", "topic") },
  "/api/clusters/[cluster]/topics/[topic]/configs": {
    GET: read("topic"),
    PATCH: operator("topic.configs.alter", "topic"),
  },
  "/api/clusters/[cluster]/topics/[topic]/delete-records": { POST: admin("topic.records.delete", "topic") },
  "/api/clusters/[cluster]/topics/[topic]/history": { GET: read("topic") },
  "/api/clusters/[cluster]/topics/[topic]/messages": {
    GET: read("topic"),
    POST: operator("topic.messages.produce", "topic"),
  },
  "/api/clusters/[cluster]/topics/[topic]/messages/partition": { GET: read("topic") },
  "/api/clusters/[cluster]/topics/[topic]/messages/search": { GET: read("topic") },
  "/api/clusters/[cluster]/topics/[topic]/messages/tail": { GET: read("topic") },
  "/api/clusters/[cluster]/topics/[topic]/partitions": { POST: operator("topic.partitions.add", "topic") },
  "/api/clusters/[cluster]/labs/consumers": { GET: read(), POST: operator("lab.consumers") },
  "/api/clusters/[cluster]/labs/reset": { POST: admin("lab.reset") },
  "/api/clusters/[cluster]/workload": { GET: read(), POST: admin("workload.set") },
  "/api/clusters/[cluster]/workload/groups/[group]": { POST: admin("workload.group", "group") },
  // Quorum's own metrics (every cluster's series): any role on any cluster, as for the cluster list.
  "/metrics": { GET: read() },
};

/** Routes open without signing in: signing in (with a password or a provider) and out, and asking who one is. */
export const PUBLIC_ROUTES: Readonly<Record<string, readonly string[]>> = {
  "/api/auth/oidc/callback": ["GET"],
  "/api/auth/oidc/start": ["GET"],
  "/api/auth/session": ["GET"],
  "/api/auth/sign-in": ["POST"],
  "/api/auth/sign-out": ["POST"],
};

/** The policy of a request to `pattern` (an API route) with `method`; HEAD is read as GET. */
export function policyFor(pattern: string, method: string): RoutePolicy | null {
  const m = method === "HEAD" ? "GET" : method;
  return POLICY[pattern]?.[m] ?? null;
}
