import { z } from "zod";

/** A node id in a path: Kafka node ids are non-negative 32-bit integers. */
const nodeIdSchema = (role: "broker" | "controller") =>
  z.coerce
    .number({ error: `${role} id must be a number` })
    .int(`${role} id must be a whole number`)
    .min(0, `${role} id must not be negative`)
    .max(2147483647);

export const brokerIdSchema = nodeIdSchema("broker");

/**
 * POST /api/clusters/:c/brokers/:id/stop. `confirm: true` is required when the stop would leave
 * partitions without a leader or no broker up at all.
 */
export const stopBrokerSchema = z
  .object({
    mode: z.enum(["graceful", "kill"], { error: 'mode is "graceful" (controlled shutdown) or "kill" (SIGKILL)' }),
    confirm: z.boolean({ error: "confirm is true or false" }),
  })
  .strict()
  .partial()
  .transform((b) => ({ mode: b.mode ?? "graceful", confirm: b.confirm ?? false }));

export type StopBrokerInput = z.input<typeof stopBrokerSchema>;

/** A controller id in a path (the lab's are 101, 102, 103). */
export const controllerIdSchema = nodeIdSchema("controller");

/** POST /api/clusters/:c/lab — a fresh lab of this size in place of the current one. */
export const recreateLabSchema = z
  .object({
    brokers: z
      .number({ error: "brokers is a number" })
      .int("brokers is a whole number")
      .min(1, "brokers is at least 1")
      .max(9, "brokers is at most 9"),
    controllers: z.union([z.literal(1), z.literal(3)], { error: "controllers is 1 or 3" }),
    /** The lab's topics and messages are deleted: true says so was read. */
    confirm: z.boolean({ error: "confirm is true or false" }).optional(),
  })
  .strict();
