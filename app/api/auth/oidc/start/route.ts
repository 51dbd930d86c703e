import { authOrRefuse, consoleUrl, overTls } from "@/server/auth/routes";
import { AppError } from "@/server/errors";
import { withRoute } from "@/server/http/with-route";

export const dynamic = "force-dynamic";

// GET /api/auth/oidc/start: sends the browser to the OpenID Connect provider to sign in
// (authorization code flow with PKCE); 409 when the config file names no provider.
export const GET = withRoute(
  async (req) => {
    const oidc = authOrRefuse().oidc;
    if (!oidc)
      throw new AppError(
        "conflict",
        'Sign-in through OpenID Connect is off: the "auth" section names no "oidc" provider',
      );
    const redirectUri = consoleUrl(req, "/api/auth/oidc/callback").href;
    const { location, cookie } = await oidc.start(redirectUri, overTls(req));
    return new Response(null, {
      status: 302,
      headers: { Location: location, "Set-Cookie": cookie, "Cache-Control": "no-store" },
    });
  },
  { public: true },
);
