import "server-only";
import { logger } from "../logger";
import type { ClusterContext } from "./context";

/**
 * Runs one mutation and writes its one structured log line: what, where, result, duration. Then
 * (success or not) forgets the cached snapshot, so the caller's next read sees the effect.
 */
export async function audit<T>(
  ctx: Pick<ClusterContext, "id" | "invalidate">,
  action: string,
  target: Record<string, unknown>,
  fn: () => Promise<T> | T,
): Promise<T> {
  const began = Date.now();
  try {
    const out = await fn();
    logger.info({ action, cluster: ctx.id, ...target, result: "ok", ms: Date.now() - began }, action);
    return out;
  } catch (err) {
    const e = err as { code?: unknown; type?: unknown; message?: unknown };
    logger.warn(
      {
        action,
        cluster: ctx.id,
        ...target,
        result: String(e.type ?? e.code ?? "error"),
        message: String(e.message ?? err),
        ms: Date.now() - began,
      },
      action,
    );
    throw err;
  } finally {
    ctx.invalidate();
  }
}
