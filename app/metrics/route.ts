import { withRoute } from "@/server/http/with-route";
import { getQuorum } from "@/server/quorum";
import { quorumTelemetry } from "@/server/telemetry/quorum-view";
import { metricsContentType, renderMetrics } from "@/server/telemetry/registry";

export const dynamic = "force-dynamic";

// GET /metrics — Quorum's own metrics in Prometheus' text format (README: "The console's own
// metrics"). Read from counters Quorum keeps anyway: a scrape takes no snapshot and asks Kafka
// nothing. With sign-in on, it asks for a role like any read (a session, or an API token as
// `Authorization: Bearer`).
export const GET = withRoute(
  async () =>
    new Response(await renderMetrics(quorumTelemetry(getQuorum())), {
      headers: { "Content-Type": metricsContentType(), "Cache-Control": "no-store" },
    }),
);
