import { signedInAdmin } from "@/server/auth/routes";
import { AppError } from "@/server/errors";
import { pathParam, withRoute } from "@/server/http/with-route";

// DELETE /api/auth/tokens/:id: revokes the token for good (404 when there is none, or it was revoked).
export const DELETE = withRoute<{ token: string }>((_req, params, who) => {
  const auth = signedInAdmin(who);
  const id = pathParam(params.token);
  if (!auth.store.revokeToken(id)) throw new AppError("not_found", `No API token "${id}" is in use`);
  return { revoked: id };
});
