import "server-only";

/**
 * Every API route and the methods its `route.ts` exports, and `/metrics` (Quorum's own metrics,
 * outside /api for Prometheus, asked for a role like the API). Under /api, the proxy answers 404
 * for a path no route serves and 405 (with `Allow`) for a method a route does not export: Next.js
 * itself would answer an empty 405. `api-routes.test.ts` reads `app/**\/route.ts` and fails when
 * this table and the files disagree.
 */
export const API_ROUTES: readonly { pattern: string; methods: readonly string[] }[] = [
  { pattern: "/api/audit", methods: ["GET"] },
  { pattern: "/api/auth/oidc/callback", methods: ["GET"] },
  { pattern: "/api/auth/oidc/start", methods: ["GET"] },
  { pattern: "/api/auth/session", methods: ["GET"] },
  { pattern: "/api/auth/sign-in", methods: ["POST"] },
  { pattern: "/api/auth/sign-out", methods: ["POST"] },
  { pattern: "/api/auth/tokens", methods: ["GET", "POST"] },
  { pattern: "/api/auth/tokens/[token]", methods: ["DELETE"] },
  { pattern: "/api/clusters", methods: ["GET", "POST"] },
  { pattern: "/api/clusters/test", methods: ["POST"] },
  { pattern: "/api/clusters/[cluster]", methods: ["DELETE", "GET"] },
  { pattern: "/api/clusters/[cluster]/brokers", methods: ["GET", "POST"] },
  { pattern: "/api/clusters/[cluster]/brokers/[broker]", methods: ["DELETE"] },
  { pattern: "/api/clusters/[cluster]/brokers/[broker]/impact", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/brokers/[broker]/start", methods: ["POST"] },
  { pattern: "/api/clusters/[cluster]/brokers/[broker]/stop", methods: ["POST"] },
  { pattern: "/api/clusters/[cluster]/consumer-groups", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/consumer-groups/[group]", methods: ["DELETE", "GET"] },
  { pattern: "/api/clusters/[cluster]/consumer-groups/[group]/actions", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/consumer-groups/[group]/history", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/consumer-groups/[group]/offsets/[topic]", methods: ["DELETE"] },
  { pattern: "/api/clusters/[cluster]/consumer-groups/[group]/reset-offsets", methods: ["POST"] },
  { pattern: "/api/clusters/[cluster]/controllers", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/controllers/[controller]/start", methods: ["POST"] },
  { pattern: "/api/clusters/[cluster]/controllers/[controller]/stop", methods: ["POST"] },
  { pattern: "/api/clusters/[cluster]/quorum", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/lab", methods: ["POST"] },
  { pattern: "/api/clusters/[cluster]/drills", methods: ["GET", "POST"] },
  { pattern: "/api/clusters/[cluster]/drills/[drill]", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/drills/[drill]/abort", methods: ["POST"] },
  { pattern: "/api/clusters/[cluster]/reassignments", methods: ["GET", "POST"] },
  { pattern: "/api/clusters/[cluster]/reassignments/plan", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/reassignments/[run]", methods: ["GET", "DELETE"] },
  { pattern: "/api/clusters/[cluster]/elect-leaders", methods: ["POST"] },
  { pattern: "/api/clusters/[cluster]/events", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/events/history", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/history", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/broker-metrics", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/leadership", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/monitor", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/overview", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/partitions", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/topics", methods: ["GET", "POST"] },
  { pattern: "/api/clusters/[cluster]/topics/[topic]", methods: ["DELETE", "GET"] },
  { pattern: "/api/clusters/[cluster]/topics/[topic]/configs", methods: ["GET", "PATCH"] },
  { pattern: "/api/clusters/[cluster]/topics/[topic]/delete-records", methods: ["POST"] },
  { pattern: "/api/clusters/[cluster]/topics/[topic]/history", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/topics/[topic]/messages", methods: ["GET", "POST"] },
  { pattern: "/api/clusters/[cluster]/topics/[topic]/messages/partition", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/topics/[topic]/messages/search", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/topics/[topic]/messages/tail", methods: ["GET"] },
  { pattern: "/api/clusters/[cluster]/topics/[topic]/partitions", methods: ["POST"] },
  { pattern: "/api/clusters/[cluster]/labs/consumers", methods: ["GET", "POST"] },
  { pattern: "/api/clusters/[cluster]/labs/reset", methods: ["POST"] },
  { pattern: "/api/clusters/[cluster]/workload", methods: ["GET", "POST"] },
  { pattern: "/api/clusters/[cluster]/workload/groups/[group]", methods: ["POST"] },
  { pattern: "/metrics", methods: ["GET"] },
];

const isDynamic = (segment: string) => segment.startsWith("[") && segment.endsWith("]");

const compiled = API_ROUTES.map((r) => ({ ...r, segments: r.pattern.split("/").filter(Boolean) }));

/**
 * The route that serves `pathname` as Next.js picks it (a static segment wins over a dynamic one
 * at the same place), or null. A dynamic segment matches one non-empty path segment.
 */
export function matchApiRoute(pathname: string): { pattern: string; methods: readonly string[] } | null {
  const parts = pathname.split("/").filter(Boolean);
  let best: (typeof compiled)[number] | null = null;
  let bestRank = "";
  for (const route of compiled) {
    if (route.segments.length !== parts.length) continue;
    if (!route.segments.every((s, i) => isDynamic(s) || s === parts[i])) continue;
    // "0" for a static segment sorts before "1" for a dynamic one: the smallest rank is the most specific.
    const rank = route.segments.map((s) => (isDynamic(s) ? "1" : "0")).join("");
    if (best === null || rank < bestRank) {
      best = route;
      bestRank = rank;
    }
  }
  return best && { pattern: best.pattern, methods: best.methods };
}

/** The `Allow` header of a route: its methods, HEAD where GET is (Next.js serves it), and OPTIONS. */
export function allowedMethods(methods: readonly string[]): string[] {
  const all = new Set([...methods, "OPTIONS"]);
  if (all.has("GET")) all.add("HEAD");
  return [...all].sort();
}
