import { signInSchema } from "@/lib/schemas/auth";
import { authOrRefuse, clientAddress, overTls, sessionInfo } from "@/server/auth/routes";
import { readBody, withRoute } from "@/server/http/with-route";

// POST /api/auth/sign-in  body {user, password}: a local user's sign-in; sets the session cookie.
// 401 unauthenticated on a wrong name or password (which of them is not said), 429 too_many_attempts.
export const POST = withRoute(
  async (req) => {
    const auth = authOrRefuse();
    const { user, password } = await readBody(req, signInSchema);
    const { identity, cookie } = await auth.signIn(user, password, clientAddress(req), overTls(req));
    return Response.json(sessionInfo(auth, identity), {
      headers: { "Set-Cookie": cookie, "Cache-Control": "no-store" },
    });
  },
  { public: true },
);
