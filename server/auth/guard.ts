import "server-only";
import type { NameScope } from "../clusters/list-pages";
import { AppError } from "../errors";
import { matchApiRoute } from "../http/api-routes";
import { pathParam } from "../http/path-param";
import { getQuorum } from "../quorum";
import { allows, grantsOf, type Identity, listPatterns, matches, roleOn, type Target } from "./access";
import { policyFor } from "./policy";

/**
 * Who the request is: an API token (`Authorization: Bearer qrm_…`), else the session's user; null
 * with sign-in off (no `auth` in the config file): everyone may do everything. 401
 * `unauthenticated` for a token that is not good, or without a good session. `withRoute` asks this,
 * then `allowOrRefuse`, before any handler runs.
 */
export async function identifyRequest(req: Request): Promise<Identity | null> {
  const auth = getQuorum().auth;
  if (!auth) return null;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  if (bearer) {
    const token = auth.store.findToken(bearer[1] as string);
    if (!token) throw new AppError("unauthenticated", "This API token is not valid: unknown, revoked or expired");
    return token;
  }
  const who = await auth.identify(req.headers.get("cookie"));
  if (!who)
    throw new AppError("unauthenticated", "Sign in first: this Quorum asks who you are (POST /api/auth/sign-in)");
  return who;
}

/**
 * 403 `forbidden` unless one of `who`'s grants allows the route's action on its cluster, topic or
 * group, naming the role needed and the role held. A route without a policy is refused.
 */
export function allowOrRefuse(who: Identity, req: Request, params: Record<string, string>): void {
  const auth = getQuorum().auth;
  if (!auth) return;
  const route = matchApiRoute(new URL(req.url).pathname);
  const policy = route ? policyFor(route.pattern, req.method) : null;
  if (!policy) throw new AppError("forbidden", `${req.method} ${new URL(req.url).pathname} is not open to anyone`);
  const target: Target = {
    cluster: params.cluster === undefined ? null : pathParam(params.cluster),
    topic: params.topic === undefined ? null : pathParam(params.topic),
    group: params.group === undefined ? null : pathParam(params.group),
  };
  const grants = grantsOf(who, auth.config);
  if (allows(grants, policy, target)) return;
  const where = target.cluster === null ? "every cluster" : `cluster "${target.cluster}"`;
  const scope =
    policy.scopedBy === "topic"
      ? ` for topic "${target.topic}"`
      : policy.scopedBy === "group"
        ? ` for group "${target.group}"`
        : "";
  const held = target.cluster === null ? null : roleOn(grants, target.cluster);
  throw new AppError(
    "forbidden",
    `${policy.action === "read" ? "Reading this" : `"${policy.action}"`} needs the ${policy.role} role on ${where}${scope}; ${who.name} has ${held ? `the ${held} role` : "no role"} there`,
  );
}

/** The ids of the clusters `who` holds a role on (every cluster with sign-in off). */
export function visibleClusters(who: Identity | null): Set<string> {
  const quorum = getQuorum();
  const ids = [...quorum.clusters.keys()];
  if (!quorum.auth || !who) return new Set(ids);
  const grants = grantsOf(who, quorum.auth.config);
  return new Set(ids.filter((id) => roleOn(grants, id) !== null));
}

/**
 * What of a topic or group list `who` may see on `cluster`: undefined for everything (sign-in off,
 * or a grant without name patterns there), else the names their grants' patterns match.
 */
export function listScope(who: Identity | null, cluster: string, kind: "topic" | "group"): NameScope | undefined {
  const auth = getQuorum().auth;
  if (!auth || !who) return undefined;
  const patterns = listPatterns(grantsOf(who, auth.config), cluster, kind);
  if (patterns === null) return undefined;
  return { patterns, covers: (name) => patterns.some((p) => matches(p, name)) };
}
