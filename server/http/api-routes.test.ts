import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_ROUTES, allowedMethods, matchApiRoute } from "./api-routes";

const appDir = path.resolve(__dirname, "../../app");

/** Every `route.ts` under app (/api's catch-all aside) and the HTTP methods it exports. */
function routesOnDisk(): { pattern: string; methods: string[] }[] {
  const found: { pattern: string; methods: string[] }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith("[...")) walk(full);
      } else if (entry.name === "route.ts") {
        const source = fs.readFileSync(full, "utf8");
        const methods = [
          ...source.matchAll(
            /export\s+(?:const|async\s+function|function)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g,
          ),
        ].map((m) => m[1] ?? "");
        // A route group's folder, "(name)", is no part of the path.
        const rel = path
          .relative(appDir, dir)
          .split(path.sep)
          .filter((s) => !/^\(.*\)$/.test(s))
          .join("/");
        found.push({ pattern: `/${rel}`, methods: methods.sort() });
      }
    }
  };
  walk(appDir);
  return found.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

describe("API route table", () => {
  it("lists exactly the routes and methods of app/**/route.ts: the API and /metrics", () => {
    const table = API_ROUTES.map((r) => ({ pattern: r.pattern, methods: [...r.methods].sort() })).sort((a, b) =>
      a.pattern.localeCompare(b.pattern),
    );
    const disk = routesOnDisk();
    expect(disk.length).toBeGreaterThan(20);
    expect(table).toEqual(disk);
  });

  it.each([
    ["/api/clusters", "/api/clusters"],
    ["/api/clusters/local", "/api/clusters/[cluster]"],
    ["/api/clusters/local/events/history", "/api/clusters/[cluster]/events/history"],
    ["/api/clusters/local/topics/a%2Fb/configs", "/api/clusters/[cluster]/topics/[topic]/configs"],
    ["/api/clusters/local/brokers/1/stop", "/api/clusters/[cluster]/brokers/[broker]/stop"],
    ["/api/clusters/local/", "/api/clusters/[cluster]"],
    ["/metrics", "/metrics"],
  ])("matches %s to %s", (pathname, pattern) => {
    expect(matchApiRoute(pathname)?.pattern).toBe(pattern);
  });

  it.each(["/api", "/api/nope", "/api/clusters/local/nope", "/api/clusters/local/topics/t/x/y"])(
    "matches nothing at %s",
    (pathname) => {
      expect(matchApiRoute(pathname)).toBeNull();
    },
  );

  it("allows HEAD with GET and always OPTIONS", () => {
    expect(allowedMethods(["POST"])).toEqual(["OPTIONS", "POST"]);
    expect(allowedMethods(["GET", "PATCH"])).toEqual(["GET", "HEAD", "OPTIONS", "PATCH"]);
  });
});
