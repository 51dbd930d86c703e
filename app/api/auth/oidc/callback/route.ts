import { noteOutcome } from "@/server/audit/record";
import { readCookie } from "@/server/auth/cookies";
import { flowCookie, OIDC_COOKIE } from "@/server/auth/oidc";
import { authOrRefuse, consoleUrl, overTls } from "@/server/auth/routes";
import { AppError, httpErrorOf } from "@/server/errors";
import { withRoute } from "@/server/http/with-route";

export const dynamic = "force-dynamic";

// GET /api/auth/oidc/callback?code=…&state=…: where the provider sends the browser back. A good
// answer opens a session and goes to the console; anything else goes back to /sign-in saying why.
export const GET = withRoute(
  async (req) => {
    const auth = authOrRefuse();
    const secure = overTls(req);
    const headers = new Headers({ "Cache-Control": "no-store" });
    headers.append("Set-Cookie", flowCookie("", 0, secure));
    try {
      if (!auth.oidc) throw new AppError("conflict", 'The "auth" section names no "oidc" provider');
      const callback = consoleUrl(req, `/api/auth/oidc/callback${new URL(req.url).search}`);
      const who = await auth.oidc.finish(callback, readCookie(req.headers.get("cookie"), OIDC_COOKIE));
      const { cookie } = await auth.openSession(who, secure);
      headers.append("Set-Cookie", cookie);
      headers.set("Location", consoleUrl(req, "/").href);
      noteOutcome(req, { user: who.name, code: null });
    } catch (err) {
      const known = httpErrorOf(err);
      const message = known?.message ?? "The sign-in could not be finished";
      headers.set("Location", consoleUrl(req, `/sign-in?error=${encodeURIComponent(message)}`).href);
      noteOutcome(req, { user: null, code: known?.code ?? "internal" });
    }
    return new Response(null, { status: 303, headers });
  },
  { public: true },
);
