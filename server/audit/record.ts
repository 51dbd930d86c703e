import "server-only";
import fs from "node:fs";
import path from "node:path";
import { REFUSED_STATUSES } from "@/lib/schemas/audit";
import { grantsOf, type Identity, roleOn } from "../auth/access";
import { PUBLIC_ROUTES, policyFor } from "../auth/policy";
import { clientAddress } from "../auth/routes";
import { matchApiRoute } from "../http/api-routes";
import { SAFE_METHODS } from "../http/boundary";
import { pathParam } from "../http/path-param";
import { logger } from "../logger";
import { getQuorum } from "../quorum";
import { summarize } from "./summarize";
import { AuditTrail } from "./trail";

/** The audit trail of this Quorum, opened at its first use in `<data dir>/audit.sqlite`. */
export function auditTrail(): AuditTrail {
  const quorum = getQuorum();
  if (!quorum.audit) {
    fs.mkdirSync(quorum.config.dataDir, { recursive: true });
    quorum.audit = new AuditTrail(
      path.join(quorum.config.dataDir, "audit.sqlite"),
      quorum.config.auditRetentionDays * 86_400_000,
    );
  }
  return quorum.audit;
}

/**
 * What a route notes on its request for the trail: the body as it read it (readBody), and, for a
 * route that answers with a redirect, who signed in or why not. Kept on the request itself under
 * registered symbols, since Next.js may bundle this module more than once (see errors.ts).
 */
const BODY = Symbol.for("quorum.audit.body");
const OUTCOME = Symbol.for("quorum.audit.outcome");
type Noted = Request & { [BODY]?: unknown; [OUTCOME]?: { user: string | null; code: string | null } };

export function noteBody(req: Request, body: unknown): void {
  (req as Noted)[BODY] = body;
}

/** The actions of the routes open without signing in: each is written to the trail, read or not. */
const PUBLIC_ACTIONS: Record<string, string> = {
  "/api/auth/sign-in": "auth.sign-in",
  "/api/auth/sign-out": "auth.sign-out",
  "/api/auth/oidc/callback": "auth.sign-in.oidc",
};

/** What a route that answers with a redirect says happened: who signed in, or why not. */
export function noteOutcome(req: Request, outcome: { user: string | null; code: string | null }): void {
  (req as Noted)[OUTCOME] = outcome;
}

const decoded = (params: Record<string, string>) =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, pathParam(v)]));

/**
 * Writes one API request to the audit trail and the JSON log when it is a change (any method but
 * GET, HEAD and OPTIONS: through or not) or was refused (401, 403, 429: reads too): who, their
 * role on the cluster, the action, what it named, the body without secrets, the result, how long
 * it took and from where. A sign-in is written under the name it was attempted with. A trail that
 * cannot be written is logged, and the answer goes out all the same.
 */
export function recordRequest(
  req: Request,
  params: Record<string, string>,
  who: Identity | null,
  outcome: { status: number; code: string | null },
  at: number,
  durationMs: number,
): void {
  try {
    const url = new URL(req.url);
    const route = matchApiRoute(url.pathname);
    if (!route) return;
    if (SAFE_METHODS.has(req.method) && !REFUSED_STATUSES.includes(outcome.status) && !PUBLIC_ACTIONS[route.pattern])
      return;
    const noted = (req as Noted)[OUTCOME];
    const target = decoded(params);
    const cluster = target.cluster ?? null;
    const body = (req as Noted)[BODY];
    const isPublic = PUBLIC_ROUTES[route.pattern]?.includes(req.method) ?? false;
    const action = isPublic
      ? (PUBLIC_ACTIONS[route.pattern] ?? "read")
      : (policyFor(route.pattern, req.method)?.action ?? `${req.method} ${route.pattern}`);
    const attempted =
      noted?.user ??
      (action === "auth.sign-in" &&
      body &&
      typeof body === "object" &&
      typeof (body as { user?: unknown }).user === "string"
        ? (body as { user: string }).user
        : null);
    const auth = getQuorum().auth;
    const entry = {
      ts: at,
      user: who?.name ?? attempted,
      via: who?.via ?? (action === "auth.sign-in.oidc" && attempted ? "oidc" : null),
      role: auth && who && cluster ? roleOn(grantsOf(who, auth.config), cluster) : null,
      cluster,
      action,
      request: `${req.method} ${url.pathname}`,
      target,
      summary: body === undefined ? null : summarize(body),
      result: outcome.code ?? noted?.code ?? "ok",
      status: outcome.status,
      durationMs,
      address: clientAddress(req),
    };
    const id = auditTrail().append(entry);
    logger.info({ audit: { id, ...entry } }, "audit");
  } catch (err) {
    logger.error({ err: err instanceof Error ? err.message : String(err) }, "audit trail not written");
  }
}
