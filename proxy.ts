import { type NextRequest, NextResponse } from "next/server";
import { matchApiRoute } from "@/server/http/api-routes";
import { boundaryError, boundarySettingsFromEnv, SECURITY_HEADERS } from "@/server/http/boundary";
import { observeHttpRequest, UNMATCHED_ROUTE } from "@/server/telemetry/registry";

// Next.js 16 runs this (the former middleware) on the Node.js runtime for every request: pages,
// static files, API reads and the event stream. The policy lives in server/http/boundary.ts.
const settings = boundarySettingsFromEnv(process.env);

export function proxy(req: NextRequest): NextResponse {
  const began = performance.now();
  const path = req.nextUrl.pathname;
  const refused = boundaryError({ method: req.method, path, headers: req.headers }, settings);
  const res = refused
    ? NextResponse.json(
        { error: { code: refused.code, message: refused.message } },
        { status: refused.status, headers: refused.allow ? { Allow: refused.allow } : undefined },
      )
    : NextResponse.next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.headers.set(name, value);
  // A refusal here never reaches a route: counted in /metrics under the route it aimed at, if any.
  if (refused) {
    const route = matchApiRoute(path)?.pattern ?? UNMATCHED_ROUTE;
    observeHttpRequest(route, req.method, refused.status, (performance.now() - began) / 1000);
  }
  return res;
}
