import { authOrRefuse, overTls } from "@/server/auth/routes";
import { withRoute } from "@/server/http/with-route";

// POST /api/auth/sign-out: ends the request's session (if any) and clears its cookie.
export const POST = withRoute(
  async (req) => {
    const cookie = await authOrRefuse().signOut(req.headers.get("cookie"), overTls(req));
    return Response.json({ ok: true }, { headers: { "Set-Cookie": cookie, "Cache-Control": "no-store" } });
  },
  { public: true },
);
