import { type NextRequest, NextResponse } from "next/server";
import { boundaryError, boundarySettingsFromEnv, SECURITY_HEADERS } from "@/server/http/boundary";

// Next.js 16 runs this (the former middleware) on the Node.js runtime for every request: pages,
// static files, API reads and the event stream. The policy lives in server/http/boundary.ts.
const settings = boundarySettingsFromEnv(process.env);

export function proxy(req: NextRequest): NextResponse {
  const refused = boundaryError({ method: req.method, path: req.nextUrl.pathname, headers: req.headers }, settings);
  const res = refused
    ? NextResponse.json(
        { error: { code: refused.code, message: refused.message } },
        { status: refused.status, headers: refused.allow ? { Allow: refused.allow } : undefined },
      )
    : NextResponse.next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.headers.set(name, value);
  return res;
}
