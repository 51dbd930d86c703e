import { z } from "zod";

/** One entry of the audit trail: a change, or a refused attempt at anything. */
export interface AuditEntry {
  id: number;
  /** When the request arrived (ms since the epoch). */
  ts: number;
  /** Who asked: a user's name (for a sign-in, the name tried); null with sign-in off. */
  user: string | null;
  via: "password" | "oidc" | "token" | null;
  /** The highest role the user held on the cluster then; null when none (or sign-in off). */
  role: string | null;
  cluster: string | null;
  /** The route's action (`topic.create`, `broker.stop`, `auth.sign-in`; `read` for a refused read). */
  action: string;
  /** The method and path asked. */
  request: string;
  /** What the request's path named: cluster, topic, group, broker… */
  target: Record<string, string>;
  /** The request body without secrets and record contents; null without one. */
  summary: unknown;
  /** `ok`, or the error code answered. */
  result: string;
  status: number;
  durationMs: number;
  /** The client's address as the request gave it. */
  address: string;
}

/** The answers that are refusals: no session, no role, too many attempts. */
export const REFUSED_STATUSES: readonly number[] = [401, 403, 429];

const optionalText = z.string().trim().min(1).max(200).optional();
const time = z.coerce.number().int().min(0).optional();

/** GET /api/audit */
export const auditQuerySchema = z
  .object({
    user: optionalText,
    action: optionalText,
    cluster: optionalText,
    /** `true`: only refused attempts (401, 403, 429); `false`: only what went through. */
    refused: z.enum(["true", "false"]).optional(),
    since: time,
    until: time,
    /** Entries older than this id: the next page, newest first. */
    before: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** `jsonl`: every matching entry (up to 100,000) as JSON lines, to download. */
    format: z.enum(["json", "jsonl"]).default("json"),
  })
  .strict();
export type AuditQueryInput = z.input<typeof auditQuerySchema>;

export interface AuditPage {
  entries: AuditEntry[];
  /** `before` for the next page, or null when this one holds the oldest match. */
  nextBefore: number | null;
}
