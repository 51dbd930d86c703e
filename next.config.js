// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages loaded by Node at run time rather than bundled.
  serverExternalPackages: ["kafkajs", "pino", "get-port", "better-sqlite3"],
  poweredByHeader: false,
  reactStrictMode: true,
};

module.exports = nextConfig;
