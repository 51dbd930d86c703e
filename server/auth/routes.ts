import "server-only";
import type { SessionInfo } from "@/lib/schemas/auth";
import { AppError } from "../errors";
import { getQuorum } from "../quorum";
import { allows, grantsOf, type Identity, roleOn } from "./access";
import { policyFor, type RoutePolicy } from "./policy";
import type { AuthService } from "./service";

/** The client's address as the request says it (the first X-Forwarded-For entry), for sign-in limits. */
export function clientAddress(req: Request): string {
  return req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}

/** Whether the console was reached over TLS (directly, or through a proxy that says so). */
export function overTls(req: Request): boolean {
  return new URL(req.url).protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
}

/** The sign-in service, or 409 when the config file has no `auth` section. */
export function authOrRefuse(): AuthService {
  const auth = getQuorum().auth;
  if (!auth) {
    throw new AppError(
      "conflict",
      'Sign-in is off: this Quorum has no "auth" section in its config file, and everyone on its own machine may do everything',
    );
  }
  return auth;
}

/** What GET /api/auth/session answers for `who` (null: not signed in). */
export function sessionInfo(auth: AuthService | null, who: Identity | null): SessionInfo {
  if (!auth) return { enabled: false, user: null, roles: {}, audit: true };
  if (!who) return { enabled: true, user: null, roles: {}, audit: false };
  const grants = grantsOf(who, auth.config);
  const roles: SessionInfo["roles"] = {};
  for (const id of getQuorum().clusters.keys()) {
    const role = roleOn(grants, id);
    if (role) roles[id] = role;
  }
  const audit = allows(grants, policyFor("/api/audit", "GET") as RoutePolicy, { cluster: null });
  return { enabled: true, user: { name: who.name, via: who.via }, roles, audit };
}

/**
 * The sign-in service for a token route, whose caller the route's policy has found to be an admin
 * on every cluster: 409 with sign-in off; 403 for an API token (tokens are made and revoked by a
 * person signed in, never by another token).
 */
export function signedInAdmin(who: Identity | null): AuthService {
  const auth = authOrRefuse();
  if (who?.via === "token")
    throw new AppError("forbidden", "API tokens are made and revoked by an admin signed in, not by another token");
  return auth;
}

/**
 * `pathAndQuery` on the console's address as the browser reached it: its Host header (already
 * checked against the allowed names at the boundary), over https when the console was reached over
 * TLS. The redirect URI given to an OpenID Connect provider must be the one the browser comes back to.
 */
export function consoleUrl(req: Request, pathAndQuery: string): URL {
  const host = req.headers.get("host") ?? new URL(req.url).host;
  return new URL(pathAndQuery, `${overTls(req) ? "https" : "http"}://${host}`);
}
