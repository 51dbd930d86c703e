import { z } from "zod";
import { topicNameSchema } from "./topics";

const brokerId = z
  .number({ error: "a broker id is a number" })
  .int("a broker id is a whole number")
  .min(0, "a broker id is not negative")
  .max(2_147_483_647);

/** "1,2,3" as a query parameter. */
const brokerList = z
  .string({ error: "brokers is a list of broker ids, e.g. 2,3,4" })
  .regex(/^\s*\d{1,10}(\s*,\s*\d{1,10})*\s*$/, "brokers is a list of broker ids, e.g. 2,3,4")
  .transform((s) => s.split(",").map((x) => Number(x.trim())))
  .pipe(z.array(brokerId).max(1000, "at most 1000 brokers"));

const wholeParam = (what: string, min: number, max: number) =>
  z
    .string({ error: `${what} is required` })
    .regex(/^\d{1,10}$/, `${what} is a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${what} is at least ${min}`).max(max, `${what} is at most ${max}`));

/** GET /api/clusters/:c/reassignments/plan?goal=… — what the planner is asked to reach. */
export const planQuerySchema = z.discriminatedUnion(
  "goal",
  [
    z.object({ goal: z.literal("balance") }).strict(),
    z.object({ goal: z.literal("drain"), broker: wholeParam("broker", 0, 2_147_483_647) }).strict(),
    z.object({ goal: z.literal("topic"), topic: topicNameSchema, brokers: brokerList }).strict(),
    z
      .object({
        goal: z.literal("replication-factor"),
        topic: topicNameSchema,
        replicationFactor: wholeParam("replicationFactor", 1, 32_767),
      })
      .strict(),
  ],
  { error: 'goal is "balance", "drain", "topic" or "replication-factor"' },
);

export type PlanQuery = z.infer<typeof planQuerySchema>;

/** The goal a plan reaches, as the planner and the answer name it. */
export type ReassignmentGoal =
  | { kind: "balance" }
  | { kind: "drain"; broker: number }
  | { kind: "topic"; topic: string; brokers: number[] }
  | { kind: "replication-factor"; topic: string; replicationFactor: number };

export function goalOf(q: PlanQuery): ReassignmentGoal {
  switch (q.goal) {
    case "balance":
      return { kind: "balance" };
    case "drain":
      return { kind: "drain", broker: q.broker };
    case "topic":
      return { kind: "topic", topic: q.topic, brokers: q.brokers };
    case "replication-factor":
      return { kind: "replication-factor", topic: q.topic, replicationFactor: q.replicationFactor };
  }
}

/** At most this many bytes per second, Kafka's throttle for a reassignment: 1 KiB/s up to 10 GiB/s. */
export const MAX_THROTTLE = 10 * 1024 ** 3;

/** POST /api/clusters/:c/reassignments — the new replica lists (kafka-reassign-partitions' JSON), and a throttle. */
export const startReassignmentSchema = z
  .object({
    partitions: z
      .array(
        z
          .object({
            topic: topicNameSchema,
            partition: z.number({ error: "partition is a number" }).int().min(0).max(2_147_483_647),
            replicas: z
              .array(brokerId)
              .min(1, "replicas names at least one broker")
              .max(1000)
              .refine((r) => new Set(r).size === r.length, "replicas names each broker once"),
          })
          .strict(),
      )
      .min(1, "name at least one partition")
      .max(100_000, "at most 100,000 partitions at once")
      .refine(
        (ps) => new Set(ps.map((p) => `${p.topic}\u0000${p.partition}`)).size === ps.length,
        "each partition is named once",
      ),
    /** Replication traffic of the move, per broker, in bytes per second; absent: unthrottled. */
    throttleBytesPerSec: z
      .number({ error: "throttleBytesPerSec is a number of bytes per second" })
      .int("throttleBytesPerSec is a whole number")
      .min(1024, "throttleBytesPerSec is at least 1024 (1 KiB/s)")
      .max(MAX_THROTTLE, `throttleBytesPerSec is at most ${MAX_THROTTLE} (10 GiB/s)`)
      .optional(),
  })
  .strict();

export type StartReassignmentInput = z.infer<typeof startReassignmentSchema>;
