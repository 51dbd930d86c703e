import { type AuditPage, auditQuerySchema } from "@/lib/schemas/audit";
import { auditTrail } from "@/server/audit/record";
import { withRoute } from "@/server/http/with-route";

export const dynamic = "force-dynamic";

/** The most entries one export holds. */
const EXPORT_MAX = 100_000;

// GET /api/audit?user=&action=&cluster=&refused=&since=&until=&before=&limit=&format=json|jsonl
// The audit trail, newest first; `format=jsonl` downloads every match as JSON lines. Admins only.
export const GET = withRoute(async (req) => {
  const q = auditQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const filter = {
    user: q.user,
    action: q.action,
    cluster: q.cluster,
    refused: q.refused === undefined ? undefined : q.refused === "true",
    since: q.since,
    until: q.until,
    before: q.before,
  };
  if (q.format === "jsonl") {
    const entries = auditTrail().query({ ...filter, limit: EXPORT_MAX });
    return new Response(entries.map((e) => `${JSON.stringify(e)}\n`).join(""), {
      headers: {
        "Content-Type": "application/x-ndjson; charset=utf-8",
        "Content-Disposition": `attachment; filename="quorum-audit-${new Date().toISOString().slice(0, 19).replace(/:/g, "")}.jsonl"`,
        "Cache-Control": "no-store",
      },
    });
  }
  const entries = auditTrail().query({ ...filter, limit: q.limit + 1 });
  const page: AuditPage = {
    entries: entries.slice(0, q.limit),
    nextBefore: entries.length > q.limit ? (entries[q.limit - 1]?.id ?? null) : null,
  };
  return page;
});
