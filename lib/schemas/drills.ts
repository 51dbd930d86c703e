import { z } from "zod";
import { topicNameSchema } from "./topics";

/** POST /api/clusters/:c/drills — a failover drill on one topic. */
export const startDrillSchema = z
  .object({
    topic: topicNameSchema,
    mode: z.enum(["graceful", "kill"], { error: 'mode is "graceful" or "kill"' }).default("graceful"),
    cycles: z.number().int().min(1).max(10).default(3),
    /** How long each stopped broker stays down. */
    downMs: z.number().int().min(500).max(60_000).default(3000),
    /** Messages per second the drill's producer aims for. */
    rate: z.number().int().min(10).max(1000).default(100),
  })
  .strict();

export type StartDrillInput = z.input<typeof startDrillSchema>;
