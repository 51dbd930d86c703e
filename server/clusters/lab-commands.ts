import "server-only";
import { AppError } from "../errors";
import { logger } from "../logger";
import { audit } from "./audit";
import { control } from "./broker-commands";
import type { ClusterContext } from "./context";

/** The lab as a whole: starting over with a fresh one of another size. */

export interface LabShape {
  brokers: number;
  controllers: 1 | 3;
}

/**
 * Replaces the lab with a fresh one of `shape` (e.g. three controllers, for the quorum lab): 409
 * `confirmation_required` unless `confirm`, since its topics and messages are deleted; 409 `busy`
 * while a drill, stop or start holds the cluster. Answers at once; the lab is "starting" until every
 * node answers (its start error, if any, is the cluster's). `around` runs before (stopping what
 * uses the lab) and after.
 */
export async function recreateLab(
  ctx: ClusterContext,
  shape: LabShape,
  opts: { confirm?: boolean; before?: () => Promise<void>; after?: () => void } = {},
): Promise<{ brokers: number; controllers: number; status: "starting" }> {
  const supervisor = control(ctx);
  const was = supervisor.labShape;
  if (!opts.confirm)
    throw new AppError(
      "confirmation_required",
      `Recreating the lab as ${shape.brokers} broker(s) and ${shape.controllers} controller(s) (now ${was.brokers} and ${was.controllers}) deletes every topic and message in it. Send "confirm": true to go ahead.`,
    );
  const release = ctx.lock.tryAcquire(() => `a recreation of the lab as ${shape.brokers}+${shape.controllers}`);
  await audit(ctx, "lab.recreate", { ...shape }, async () => {
    try {
      await opts.before?.();
    } catch (err) {
      release();
      throw err;
    }
    void supervisor
      .recreate(shape)
      .catch((err: unknown) =>
        logger.warn(
          { cluster: ctx.id, err: err instanceof Error ? err.message : String(err) },
          "lab recreation failed",
        ),
      )
      .finally(() => {
        release();
        ctx.invalidate();
        opts.after?.();
      });
  });
  return { ...shape, status: "starting" };
}
