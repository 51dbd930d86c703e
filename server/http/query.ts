import "server-only";
import { z } from "zod";

const minutesSchema = z.object({
  minutes: z.coerce
    .number()
    .min(1)
    .max(24 * 60)
    .default(15),
});

/** `?minutes=N` (1–1440, default 15): how far back a history reaches. */
export function historyMinutes(req: Request): number {
  return minutesSchema.parse(Object.fromEntries(new URL(req.url).searchParams)).minutes;
}
