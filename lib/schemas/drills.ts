import { z } from "zod";
import { topicNameSchema } from "./topics";

/** POST /api/clusters/:c/drills — a failover drill on one topic. */
export const startDrillSchema = z
  .object({
    topic: topicNameSchema,
    /** failover: stop the leader of partition 0, cycle after cycle; rolling-restart: every broker once, in turn, each back in every ISR before the next. */
    kind: z
      .enum(["failover", "rolling-restart"], { error: 'kind is "failover" or "rolling-restart"' })
      .default("failover"),
    mode: z.enum(["graceful", "kill"], { error: 'mode is "graceful" or "kill"' }).default("graceful"),
    cycles: z.number().int().min(1).max(10).default(3),
    /** How long each stopped broker stays down. */
    downMs: z.number().int().min(500).max(60_000).default(3000),
    /** Messages per second the drill's producer aims for. */
    rate: z.number().int().min(10).max(1000).default(100),
  })
  .strict();

export type StartDrillInput = z.input<typeof startDrillSchema>;
