#!/usr/bin/env node
// `npm start`: prepares Kafka if missing, builds the app if its sources changed, serves it on
// 127.0.0.1:$PORT, and reports the embedded cluster's progress until it is up.
// `npm run dev` (--dev) does the same with the Next.js development server.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
// QUORUM_HOST: the address to listen on; loopback (the default) keeps the console on this machine.
const host = process.env.QUORUM_HOST?.trim() || "127.0.0.1";
const wildcard = host === "0.0.0.0" || host === "::";
const loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i.test(host);
// This process asks the server over loopback when it listens everywhere.
const url = `http://${wildcard ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host}:${port}`;
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const began = Date.now();
const elapsed = () => `${((Date.now() - began) / 1000).toFixed(1)}s`;
const say = (line) => console.log(`[quorum] ${line}`);

function run(args, what) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env: process.env });
  if (r.status !== 0) {
    console.error(`[quorum] ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

function needsBuild() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  const sources = [
    "app",
    "components",
    "lib",
    "server",
    "instrumentation.ts",
    "proxy.ts",
    "next.config.js",
    "postcss.config.mjs",
    "package-lock.json",
    "tsconfig.json",
  ];
  return sources.some((s) => newestMtime(path.join(root, s)) > built);
}

/**
 * Why the config file does not turn sign-in on (no file, no `auth` section, no user, no grant), or
 * null when it does; the server checks the section itself in full when it starts.
 */
function signInMissing() {
  const file = process.env.QUORUM_CONFIG
    ? path.resolve(root, process.env.QUORUM_CONFIG)
    : path.join(root, "quorum.config.json");
  let data;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    return `${file} cannot be read (${err.code ?? err.message})`;
  }
  if (!data?.auth) return `${file} has no "auth" section`;
  const users = Array.isArray(data.auth.users) ? data.auth.users.length : 0;
  if (users === 0 && !data.auth.oidc) return `its "auth" section names no user and no OpenID Connect provider`;
  if (!Array.isArray(data.auth.grants) || data.auth.grants.length === 0) return `its "auth" section grants no role`;
  return null;
}

if (!loopback) {
  const missing = signInMissing();
  if (missing) {
    console.error(
      [
        `[quorum] QUORUM_HOST=${host} lets other machines reach the console, so it must ask who they are, but ${missing}.`,
        `[quorum] Add to quorum.config.json (or the file QUORUM_CONFIG names) an "auth" section with a user and a grant:`,
        `[quorum]   {"auth": {"users": [{"name": "ana", "passwordHash": "<npm run hash-password prints it>"}],`,
        `[quorum]             "grants": [{"user": "ana", "role": "admin"}]}}`,
        "[quorum] and list the names browsers use to reach it in QUORUM_ALLOWED_HOSTS. Quorum did not start.",
      ].join("\n"),
    );
    process.exit(1);
  }
}

if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`[quorum] PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(1);
}

const embedded = !["false", "0", "no"].includes(process.env.QUORUM_EMBEDDED ?? "true");
if (embedded) run([path.join(root, "scripts", "kafka-fetch.mjs")], "Preparing Kafka");
if (!dev && needsBuild()) {
  say("building the console (once after each change)…");
  run([nextBin, "build"], "next build");
}

// The production server's V8 heap: a small young generation and a bounded old one keep its
// memory near what it holds (under 250 MB with a 40,000-partition cluster) instead of growing
// with every snapshot's garbage. A NODE_OPTIONS that sets either flag itself is left as it is.
const heapFlags = ["--max-semi-space-size=2", "--max-old-space-size=256"];
const nodeOptions = process.env.NODE_OPTIONS ?? "";
const serverNodeOptions =
  dev || /--max-(old|semi)-space-size/.test(nodeOptions) ? nodeOptions : [nodeOptions, ...heapFlags].join(" ").trim();
const env = {
  ...process.env,
  NODE_OPTIONS: serverNodeOptions,
  NEXT_MANUAL_SIG_HANDLE: "true",
  NEXT_TELEMETRY_DISABLED: "1",
  QUORUM_PORT: String(port),
  // A console on one address answers to it; one listening everywhere, to the names listed.
  ...(loopback || wildcard
    ? {}
    : {
        QUORUM_ALLOWED_HOSTS: [process.env.QUORUM_ALLOWED_HOSTS, `${url.slice("http://".length)}`]
          .filter(Boolean)
          .join(","),
      }),
};
const server = spawn(process.execPath, [nextBin, dev ? "dev" : "start", "-H", host, "-p", String(port)], {
  cwd: root,
  stdio: "inherit",
  env,
});

// The server stops the cluster in order (brokers, then controllers) on its first SIGINT, SIGTERM
// or SIGHUP and ignores repeats. A signal sent to this process alone is passed on once; one sent
// to the whole process group (Ctrl-C, `kill -- -PGID`, systemd) reaches the server directly as
// well, and possibly again through npm: this process then only waits for the server to finish.
let exiting = false;
function shutdown(reason, signal = "SIGTERM") {
  if (exiting) return;
  exiting = true;
  say(`${reason}: stopping the console and the embedded cluster…`);
  server.kill(signal);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => shutdown(signal, signal === "SIGINT" ? "SIGINT" : "SIGTERM"));
}
// After a terminal hangs up, writing to it fails: that must not end this process before the server.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
// npm does not always pass its SIGTERM on to the script it runs: when the process that started
// this one goes away, stop as if signalled.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) shutdown("parent process exited");
}, 500).unref();
server.on("exit", (code, signal) => {
  process.exit(code ?? (signal ? 128 + (signal === "SIGINT" ? 2 : 15) : 1));
});

// Progress: poll the API until every broker is up (or something says it will not be).
let last = "";
const poll = setInterval(async () => {
  let clusters;
  try {
    const res = await fetch(`${url}/api/clusters`);
    if (res.status === 401) {
      clearInterval(poll);
      say(`console ready at ${url} (${elapsed()}); sign in to see the clusters`);
      return;
    }
    if (!res.ok) return;
    clusters = await res.json();
  } catch {
    return;
  }
  const local = clusters.find((c) => c.kind === "embedded");
  if (!local) {
    clearInterval(poll);
    say(`console ready at ${url} (${elapsed()})`);
    return;
  }
  const line = `cluster ${local.status}: ${local.brokersUp}/${local.brokersTotal} brokers up`;
  if (line !== last) say(`${line} (${elapsed()})`);
  last = line;
  if (local.status === "ok") {
    clearInterval(poll);
    say(`ready in ${elapsed()}: console ${url}  ·  bootstrap servers ${local.bootstrap.join(",")}`);
  }
}, 500);
poll.unref();
