import { sessionInfo } from "@/server/auth/routes";
import { withRoute } from "@/server/http/with-route";
import { getQuorum } from "@/server/quorum";

// GET /api/auth/session: {enabled, user, roles}: whether sign-in is on, who is signed in, their role per cluster.
export const GET = withRoute(
  async (req) => {
    const auth = getQuorum().auth ?? null;
    const who = auth ? await auth.identify(req.headers.get("cookie")) : null;
    return Response.json(sessionInfo(auth, who), { headers: { "Cache-Control": "no-store" } });
  },
  { public: true },
);
