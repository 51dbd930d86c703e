import "server-only";
import { ZodError, type z } from "zod";
import { noteBody, recordRequest } from "../audit/record";
import type { Identity } from "../auth/access";
import { allowOrRefuse, identifyRequest } from "../auth/guard";
import { AppError, httpErrorOf } from "../errors";
import { logger } from "../logger";
import { refuseIfReadOnly } from "../quorum";
import { observeHttpRequest, UNMATCHED_ROUTE } from "../telemetry/registry";
import { matchApiRoute } from "./api-routes";
import { MAX_BODY_BYTES, SAFE_METHODS } from "./boundary";
import { pathParam } from "./path-param";

export { pathParam };

type Params = Record<string, string>;
type Handler<P extends Params> = (req: Request, params: P, who: Identity | null) => Promise<unknown> | unknown;

function errorJson(status: number, code: string, message: string, field?: string): Response {
  return Response.json({ error: field ? { code, message, field } : { code, message } }, { status });
}

/** Maps anything a handler throws to the API's error body; internals never leave the server. */
export function toErrorResponse(err: unknown): Response {
  const known = httpErrorOf(err);
  if (known) return errorJson(known.status, known.code, known.message, known.field);
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    const field = issue?.path.length ? issue.path.join(".") : undefined;
    const message = issue ? `${field ? `${field}: ` : ""}${issue.message}` : "Invalid request";
    return errorJson(400, "validation_failed", message, field);
  }
  logger.error(
    { err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) },
    "unhandled error",
  );
  return errorJson(500, "internal", "Something went wrong inside Quorum; the server log has the details.");
}

export interface RouteOptions {
  /**
   * Whether a mutating method (anything but GET, HEAD, OPTIONS) on a route with a `:cluster`
   * param is a change to that cluster, refused with 403 `read_only` on a read-only cluster.
   * On by default, so no future command can forget it; off only for a route that changes
   * Quorum's own list of clusters rather than the cluster (DELETE /api/clusters/:c).
   */
  changesCluster?: boolean;
  /**
   * Whether the route is open without signing in (sign-in itself, and who-am-I). Off by default:
   * with sign-in on, every other route asks the request's session and the user's role first.
   */
  public?: boolean;
}

/**
 * The one wrapper of every route handler: awaits params, asks who is calling and whether their role
 * allows the route (401 / 403, see `authorize` in server/auth/guard.ts) and refuses a mutation of a read-only cluster
 * (403 `read_only`), all before the handler reads anything; returns JSON, maps errors; writes
 * every change and every refusal to the audit trail (see `recordRequest`) and counts every answer,
 * refusals and errors too, by route pattern in /metrics (an event stream when its answer starts).
 */
export function withRoute<P extends Params = Params>(handler: Handler<P>, opts: RouteOptions = {}) {
  return async (req: Request, ctx: { params: Promise<P> }): Promise<Response> => {
    const at = Date.now();
    const began = performance.now();
    let params = {} as P;
    let who: Identity | null = null;
    let res: Response;
    let code: string | null = null;
    try {
      // A route without dynamic segments gets no params at all.
      params = ((await ctx.params) ?? {}) as P;
      if (!opts.public) {
        who = await identifyRequest(req);
        if (who) allowOrRefuse(who, req, params);
      }
      if (opts.changesCluster !== false && !SAFE_METHODS.has(req.method) && typeof params.cluster === "string") {
        refuseIfReadOnly(pathParam(params.cluster));
      }
      const out = await handler(req, params, who);
      res = out instanceof Response ? out : Response.json(out ?? { ok: true });
    } catch (err) {
      res = toErrorResponse(err);
      code = httpErrorOf(err)?.code ?? (err instanceof ZodError ? "validation_failed" : "internal");
    }
    const ms = performance.now() - began;
    recordRequest(req, params, who, { status: res.status, code }, at, ms);
    const route = matchApiRoute(new URL(req.url).pathname)?.pattern ?? UNMATCHED_ROUTE;
    observeHttpRequest(route, req.method, res.status, ms / 1000);
    return res;
  };
}

function tooLarge(): AppError {
  return new AppError("payload_too_large", `The request body is over ${MAX_BODY_BYTES} bytes (1 MiB)`);
}

/**
 * The body as text, read chunk by chunk with a running total: a chunked body has no
 * Content-Length, so the cap is enforced while reading, and never more than it is kept.
 */
export async function readText(req: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** Reads a JSON body (at most 1 MiB) and parses it with `schema`; an empty body counts as `{}`. */
export async function readBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const text = await readText(req);
  let data: unknown = {};
  if (text.trim() !== "") {
    try {
      data = JSON.parse(text);
    } catch {
      throw new AppError("invalid_json", "The request body is not valid JSON");
    }
  }
  noteBody(req, data);
  return schema.parse(data);
}
