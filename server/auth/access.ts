import "server-only";
import type { AuthConfig, Grant, Role } from "@/lib/schemas/auth";
import { covers, type RoutePolicy } from "./policy";

/** Who is asking: a signed-in user (and, through OpenID Connect, their groups) or an API token. */
export interface Identity {
  /** A user's name, or `token:<id>` for an API token. */
  name: string;
  groups: readonly string[];
  via: "password" | "oidc" | "token";
  /** A token carries its own role (and scope) instead of its owner's grants. */
  grants?: readonly Grant[];
}

const patterns = new Map<string, RegExp>();

/** Whether `name` matches `pattern`, where `*` stands for any run of characters. */
export function matches(pattern: string, name: string): boolean {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(
      `^${pattern
        .split("*")
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
      "s",
    );
    if (patterns.size > 10_000) patterns.clear();
    patterns.set(pattern, re);
  }
  return re.test(name);
}

/** The grants that apply to `who`: a token's own, else those naming the user or one of their groups. */
export function grantsOf(who: Identity, auth: Pick<AuthConfig, "grants">): readonly Grant[] {
  if (who.grants) return who.grants;
  return auth.grants.filter((g) =>
    g.user !== undefined ? g.user === who.name : g.group !== undefined && who.groups.includes(g.group),
  );
}

/** What a request touches: its cluster, and the topic or group its path names (see `RoutePolicy.scopedBy`). */
export interface Target {
  cluster: string | null;
  topic?: string | null;
  group?: string | null;
}

/**
 * Whether one of `grants` allows `policy` on `target`. The grant's role covers the route's; its
 * clusters match the target's (a route of no cluster, like the cluster list, takes a grant on all
 * clusters for a change and any grant for a read). A grant scoped by name patterns covers, on a
 * route naming a topic (or group), that topic (or group) when its pattern for that kind matches,
 * and nothing when it has a pattern only for the other kind; on a route naming neither, reads only:
 * creating a topic or electing leaders takes a grant without patterns.
 */
export function allows(grants: readonly Grant[], policy: RoutePolicy, target: Target): boolean {
  return grants.some((g) => {
    if (!covers(g.role, policy.role)) return false;
    if (target.cluster === null) {
      if (policy.role !== "viewer" && !g.clusters.includes("*")) return false;
    } else if (!g.clusters.some((c) => matches(c, target.cluster as string))) return false;
    const scoped = g.topics !== undefined || g.groups !== undefined;
    if (!scoped) return true;
    if (policy.scopedBy === "topic") return g.topics !== undefined && matches(g.topics, target.topic ?? "");
    if (policy.scopedBy === "group") return g.groups !== undefined && matches(g.groups, target.group ?? "");
    return policy.role === "viewer";
  });
}

/** The highest role `grants` hold on `cluster` (scoped grants count), or null: what the UI shows and hides. */
export function roleOn(grants: readonly Grant[], cluster: string): Role | null {
  let best: Role | null = null;
  for (const g of grants)
    if (g.clusters.some((c) => matches(c, cluster)) && (best === null || covers(g.role, best))) best = g.role;
  return best;
}

/**
 * The name patterns of the `kind` (topics or groups) `grants` let their holder list on `cluster`:
 * null when one grant there names no pattern at all (it covers every name), else each grant's
 * pattern for that kind (none, for grants that name only the other kind: nothing to list).
 */
export function listPatterns(grants: readonly Grant[], cluster: string, kind: "topic" | "group"): string[] | null {
  const patterns: string[] = [];
  for (const g of grants) {
    if (!g.clusters.some((c) => matches(c, cluster))) continue;
    if (g.topics === undefined && g.groups === undefined) return null;
    const pattern = kind === "topic" ? g.topics : g.groups;
    if (pattern !== undefined && !patterns.includes(pattern)) patterns.push(pattern);
  }
  return patterns;
}
