import { newTokenSchema, type TokenInfo } from "@/lib/schemas/auth";
import { signedInAdmin } from "@/server/auth/routes";
import { readBody, withRoute } from "@/server/http/with-route";

export const dynamic = "force-dynamic";

// GET /api/auth/tokens: the API tokens, without their secrets.
export const GET = withRoute((_req, _params, who) => {
  const auth = signedInAdmin(who);
  return auth.store.tokens() satisfies TokenInfo[];
});

// POST /api/auth/tokens  body {name, role, clusters?, topics?, groups?, expiresInDays?}: a token for
// scripts carrying that grant. The answer holds the token itself, the only time it is shown.
export const POST = withRoute(async (req, _params, who) => {
  const auth = signedInAdmin(who);
  const t = await readBody(req, newTokenSchema);
  const grant = {
    user: `token:${t.name}`,
    role: t.role,
    clusters: t.clusters,
    ...(t.topics ? { topics: t.topics } : {}),
    ...(t.groups ? { groups: t.groups } : {}),
  };
  const expiresAt = t.expiresInDays ? Date.now() + t.expiresInDays * 86_400_000 : null;
  const made = auth.store.createToken({ name: t.name, grant, createdBy: who?.name ?? "", expiresAt });
  return Response.json(
    { ...made, name: t.name, grant, expiresAt },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
});
