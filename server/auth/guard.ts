import "server-only";
import { AppError } from "../errors";
import { matchApiRoute } from "../http/api-routes";
import { getQuorum } from "../quorum";
import { allows, grantsOf, type Identity, roleOn, type Target } from "./access";
import { policyFor } from "./policy";

const decoded = (value: string | undefined): string | null => {
  if (value === undefined) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/**
 * Who may make this API request: with sign-in off (no `auth` in the config file), everyone (null);
 * with it on, the request's session must be good (else 401 `unauthenticated`) and one of its
 * user's grants must allow the route's action on its cluster, topic or group (else 403
 * `forbidden`, naming the role needed and the role held). A route without a policy is refused.
 */
export async function authorize(req: Request, params: Record<string, string>): Promise<Identity | null> {
  const who = await identifyRequest(req);
  if (who) allowOrRefuse(who, req, params);
  return who;
}

/**
 * Who the request is: an API token (`Authorization: Bearer qrm_…`), else the session's user; null
 * with sign-in off; 401 `unauthenticated` for a token that is not good, or without a good session.
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

/** 403 `forbidden` unless one of `who`'s grants allows the request's route on what it names. */
export function allowOrRefuse(who: Identity, req: Request, params: Record<string, string>): void {
  const auth = getQuorum().auth;
  if (!auth) return;
  const route = matchApiRoute(new URL(req.url).pathname);
  const policy = route ? policyFor(route.pattern, req.method) : null;
  if (!policy) throw new AppError("forbidden", `${req.method} ${new URL(req.url).pathname} is not open to anyone`);
  const target: Target = {
    cluster: decoded(params.cluster),
    topic: decoded(params.topic),
    group: decoded(params.group),
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
export async function visibleClusters(who: Identity | null): Promise<Set<string>> {
  const quorum = getQuorum();
  const ids = [...quorum.clusters.keys()];
  if (!quorum.auth || !who) return new Set(ids);
  const grants = grantsOf(who, quorum.auth.config);
  return new Set(ids.filter((id) => roleOn(grants, id) !== null));
}
