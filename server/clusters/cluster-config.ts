import "server-only";
import fs from "node:fs";
import path from "node:path";
import tls from "node:tls";
import type { z } from "zod";
import type { AuthConfig } from "@/lib/schemas/auth";
import {
  type ClusterEntry,
  clusterConfigFileSchema,
  RUNTIME_SECRET_PREFIX,
  RUNTIME_SECRET_RULE,
} from "@/lib/schemas/clusters";
import type { ClusterOrigin, ClusterSecurity } from "@/lib/types";
import { AppError } from "../errors";
import type { ClusterConnection } from "./connection";

/**
 * One configured cluster as Quorum keeps it: where it comes from, and how it is reached with
 * secrets by name only (file paths, environment variable names). This is the form that is stored
 * and shown; `resolveConnection` turns it into a ClusterConnection with the secrets' values, which
 * stays in memory.
 */
export interface ClusterDefinition {
  id: string;
  name: string;
  bootstrap: string[];
  readOnly: boolean;
  tls: NonNullable<ClusterEntry["tls"]> | null;
  sasl: NonNullable<ClusterEntry["sasl"]> | null;
  /** Each node's Prometheus endpoint (the config file's `metrics`), or null. */
  metrics: NonNullable<ClusterEntry["metrics"]> | null;
  origin: Exclude<ClusterOrigin, "embedded">;
}

export function definitionOf(entry: ClusterEntry, origin: ClusterDefinition["origin"]): ClusterDefinition {
  return {
    id: entry.id,
    name: entry.name ?? entry.id,
    bootstrap: entry.bootstrap,
    readOnly: entry.readOnly ?? false,
    tls: entry.tls ?? null,
    sasl: entry.sasl ?? null,
    metrics: entry.metrics ?? null,
    origin,
  };
}

/** The stored form of a definition: the entry as it was given (names of secrets, never values). */
export function entryOf(def: ClusterDefinition): ClusterEntry {
  return {
    id: def.id,
    ...(def.name !== def.id ? { name: def.name } : {}),
    bootstrap: def.bootstrap,
    ...(def.readOnly ? { readOnly: true } : {}),
    ...(def.tls ? { tls: def.tls } : {}),
    ...(def.sasl ? { sasl: def.sasl } : {}),
    ...(def.metrics ? { metrics: def.metrics } : {}),
  };
}

export interface ResolveOptions {
  env?: Record<string, string | undefined>;
  /** Relative TLS file paths are taken from here (the config file's directory). */
  baseDir?: string;
  readFile?: (file: string) => string;
}

/** The largest PEM file Quorum reads (a CA bundle of a few hundred certificates is well under). */
export const MAX_PEM_BYTES = 1024 * 1024;

/** Reads a regular file of at most MAX_PEM_BYTES: never a device, a FIFO or a directory. */
function readPemFile(file: string): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    if (!fs.fstatSync(fd).isFile())
      throw Object.assign(new Error("not a regular file"), { code: "not a regular file" });
    const buf = Buffer.alloc(MAX_PEM_BYTES + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, length, buf.length - length, null);
      length += n;
      if (n === 0 || length === buf.length) break;
    }
    if (length > MAX_PEM_BYTES)
      throw Object.assign(new Error("too large"), { code: `larger than ${MAX_PEM_BYTES} bytes` });
    return buf.subarray(0, length).toString("utf8");
  } finally {
    fs.closeSync(fd);
  }
}

/** What each TLS file must hold, checked by its PEM header only: a message never quotes a file. */
const PEM_KINDS = {
  ca: { re: /-----BEGIN CERTIFICATE-----/, what: "a PEM certificate (-----BEGIN CERTIFICATE-----)" },
  cert: { re: /-----BEGIN CERTIFICATE-----/, what: "a PEM certificate (-----BEGIN CERTIFICATE-----)" },
  key: {
    re: /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/,
    what: "an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)",
  },
} as const;

/**
 * The connection a definition asks for, with its secrets looked up: TLS files read (and checked
 * to be PEM, and to make a TLS context together), the SASL password taken from its environment
 * variable. A file that cannot be read or is not what it should be, or a variable that is not set,
 * throws 400 `validation_failed` naming the field; neither a file's contents nor the password ever
 * appears in a message. A cluster added at run time may name only QUORUM_SECRET_… variables
 * (RUNTIME_SECRET_PREFIX).
 */
export function resolveConnection(def: ClusterDefinition, opts: ResolveOptions = {}): ClusterConnection {
  const env = opts.env ?? process.env;
  const read = opts.readFile ?? readPemFile;
  const readPem = (field: "ca" | "cert" | "key", file: string | undefined): string | undefined => {
    if (file === undefined) return undefined;
    const full = path.resolve(opts.baseDir ?? process.cwd(), file);
    let text: string;
    try {
      text = read(full);
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? "unreadable";
      throw new AppError("validation_failed", `tls.${field}: cannot read ${full} (${why})`, { field: `tls.${field}` });
    }
    if (!PEM_KINDS[field].re.test(text)) {
      throw new AppError("validation_failed", `tls.${field}: ${full} is not ${PEM_KINDS[field].what}`, {
        field: `tls.${field}`,
      });
    }
    return text;
  };
  let tlsSettings: ClusterConnection["tls"] = null;
  if (def.tls) {
    tlsSettings = {
      ca: readPem("ca", def.tls.ca),
      cert: readPem("cert", def.tls.cert),
      key: readPem("key", def.tls.key),
      servername: def.tls.servername,
    };
    try {
      tls.createSecureContext({ ca: tlsSettings.ca, cert: tlsSettings.cert, key: tlsSettings.key });
    } catch (err) {
      // OpenSSL's reason ("key values mismatch", "no start line"), never the files' bytes.
      const e = err as { reason?: unknown; code?: unknown };
      const why = typeof e.reason === "string" ? e.reason : typeof e.code === "string" ? e.code : "invalid";
      const field = def.tls.key !== undefined ? "tls.key" : "tls.ca";
      throw new AppError("validation_failed", `tls: these files do not make a TLS client context (${why})`, { field });
    }
  }
  let sasl: ClusterConnection["sasl"] = null;
  if (def.sasl) {
    if (def.origin === "runtime" && !def.sasl.passwordEnv.startsWith(RUNTIME_SECRET_PREFIX)) {
      throw new AppError("validation_failed", `sasl.passwordEnv: ${def.sasl.passwordEnv}: ${RUNTIME_SECRET_RULE}`, {
        field: "sasl.passwordEnv",
      });
    }
    const password = env[def.sasl.passwordEnv];
    if (password === undefined || password === "") {
      throw new AppError(
        "validation_failed",
        `sasl.passwordEnv: the environment variable ${def.sasl.passwordEnv} is not set in Quorum's environment`,
        { field: "sasl.passwordEnv" },
      );
    }
    sasl = { mechanism: def.sasl.mechanism, username: def.sasl.username, password };
  }
  return { bootstrap: def.bootstrap, tls: tlsSettings, sasl };
}

/** What the API may say about how a cluster is reached: whether TLS is on, the SASL mechanism and user; never a secret. */
export function securityOf(def: Pick<ClusterDefinition, "tls" | "sasl">): ClusterSecurity | null {
  if (!def.tls && !def.sasl) return null;
  return {
    tls: def.tls !== null,
    sasl: def.sasl ? { mechanism: def.sasl.mechanism, username: def.sasl.username } : null,
  };
}

/** The first problem zod found, as "field: message" with the path written the way JSON names it. */
export function describeIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  const field = (issue?.path ?? [])
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
  return { field, message: issue?.message ?? "invalid" };
}

type ConfigFileOptions = { env?: Record<string, string | undefined>; readFile?: (file: string) => string };

/** The config file's clusters (see `loadConfigFile`). */
export function loadClusterConfigFile(file: string, opts: ConfigFileOptions = {}): ClusterDefinition[] {
  return loadConfigFile(file, opts).clusters;
}

/**
 * Reads the config file: a JSON object `{clusters: [...], auth?: {...}}`. Every problem throws an
 * Error whose message names the file, the entry (its index and id) and the field, e.g.
 * `quorum.config.json: clusters[1] ("prod"): bootstrap[0]: a bootstrap server is host:port…` or
 * `quorum.config.json: auth.users[0].passwordHash: an Argon2id hash…`. TLS files and SASL
 * variables are resolved here too, so a missing one stops the start. `auth` is null when the
 * file has no such section: sign-in is off.
 */
export function loadConfigFile(
  file: string,
  opts: ConfigFileOptions = {},
): { clusters: ClusterDefinition[]; auth: AuthConfig | null } {
  const read = opts.readFile ?? ((f: string) => fs.readFileSync(f, "utf8"));
  let text: string;
  try {
    text = read(file);
  } catch (err) {
    throw new Error(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = clusterConfigFileSchema.safeParse(data);
  if (!parsed.success) {
    const { field, message } = describeIssue(parsed.error);
    const m = /^clusters\[(\d+)\](?:\.(.*)|(\[.*))?$/.exec(field);
    if (m) {
      const index = Number(m[1]);
      const raw = (data as { clusters?: unknown[] }).clusters?.[index];
      const id = typeof raw === "object" && raw && "id" in raw && typeof raw.id === "string" ? ` ("${raw.id}")` : "";
      const inner = m[2] ?? m[3] ?? "";
      throw new Error(`${file}: clusters[${index}]${id}: ${inner ? `${inner}: ` : ""}${message}`);
    }
    throw new Error(`${file}: ${field ? `${field}: ` : ""}${message}`);
  }
  const seen = new Set<string>();
  const clusters = parsed.data.clusters.map((entry, index) => {
    const where = `${file}: clusters[${index}] ("${entry.id}")`;
    if (seen.has(entry.id)) throw new Error(`${where}: id: another entry already has the id "${entry.id}"`);
    seen.add(entry.id);
    const def = definitionOf(entry, "config-file");
    // TLS paths are relative to the file's directory: kept absolute, so they mean one thing later.
    if (def.tls) {
      const abs = (p: string | undefined) => (p === undefined ? undefined : path.resolve(path.dirname(file), p));
      def.tls = { ...def.tls, ca: abs(def.tls.ca), cert: abs(def.tls.cert), key: abs(def.tls.key) };
      for (const k of ["ca", "cert", "key"] as const) if (def.tls[k] === undefined) delete def.tls[k];
    }
    try {
      resolveConnection(def, { env: opts.env, readFile: opts.readFile });
    } catch (err) {
      throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return def;
  });
  return { clusters, auth: parsed.data.auth ?? null };
}
