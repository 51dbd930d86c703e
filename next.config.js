// @ts-check
const createNextIntlPlugin = require("next-intl/plugin");

// The console's languages (lib/i18n): next-intl reads each request's language and catalog here.
const withNextIntl = createNextIntlPlugin("./server/i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages loaded by Node at run time rather than bundled.
  serverExternalPackages: ["kafkajs", "@platformatic/kafka", "pino", "get-port", "better-sqlite3", "prom-client"],
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: {
    // With proxy.ts, Next.js buffers each request body (10 MB by default) so both the proxy and
    // the route can read it. Quorum reads at most 1 MiB (server/http/with-route.ts answers 413 past
    // it); 2 MiB keeps a larger body visible as larger to the route while bounding that buffer.
    proxyClientMaxBodySize: 2 * 1024 * 1024,
  },
};

module.exports = withNextIntl(nextConfig);
