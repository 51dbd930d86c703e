import { z } from "zod";

/** POST /api/clusters/:c/workload */
export const workloadActionSchema = z
  .object({ action: z.enum(["start", "stop"], { error: 'action is "start" or "stop"' }) })
  .strict();

/** POST /api/clusters/:c/workload/groups/:g */
export const workloadGroupSchema = z.object({ paused: z.boolean({ error: "paused is true or false" }) }).strict();
