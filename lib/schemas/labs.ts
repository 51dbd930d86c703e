import { z } from "zod";
import { LAB_TOPIC_PREFIX } from "../labs/labs";
import { topicNameSchema } from "./topics";

/** A lab's topic or group: a Kafka name starting with `lab-`, so a lab never reads or resets anything else. */
const labName = (what: string) =>
  topicNameSchema.refine((n) => n.startsWith(LAB_TOPIC_PREFIX), `a lab ${what} is named ${LAB_TOPIC_PREFIX}…`);

/** POST /api/clusters/:c/labs/consumers */
export const labConsumersSchema = z.discriminatedUnion(
  "action",
  [
    z
      .object({
        action: z.literal("start"),
        group: labName("group"),
        topic: labName("topic"),
        count: z.number({ error: "count is a number" }).int().min(1, "count is 1–4").max(4, "count is 1–4"),
      })
      .strict(),
    z
      .object({
        action: z.literal("stop"),
        group: labName("group"),
        member: z.number({ error: "member is a number" }).int().min(1).max(4),
      })
      .strict(),
  ],
  { error: 'action is "start" or "stop"' },
);

/** POST /api/clusters/:c/labs/reset */
export const labResetSchema = z.object({}).strict();
