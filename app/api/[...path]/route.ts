import { AppError } from "@/server/errors";
import { toErrorResponse } from "@/server/http/with-route";

export const dynamic = "force-dynamic";

// Any method on /api/<anything no route serves> — 404 in the API's JSON shape (the proxy answers
// first from its route table; this catches whatever reaches the router anyway).
function notFound(req: Request): Response {
  return toErrorResponse(new AppError("not_found", `No API route at ${new URL(req.url).pathname}`));
}

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
