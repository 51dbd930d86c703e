import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { type ClusterEntry, clusterConfigFileSchema } from "@/lib/schemas/clusters";
import type { ClusterOrigin } from "@/lib/types";
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
  };
}

export interface ResolveOptions {
  env?: Record<string, string | undefined>;
  /** Relative TLS file paths are taken from here (the config file's directory). */
  baseDir?: string;
  readFile?: (file: string) => string;
}

/**
 * The connection a definition asks for, with its secrets looked up: TLS files read, the SASL
 * password taken from its environment variable. A file that cannot be read or a variable that is
 * not set throws 400 `validation_failed` naming the field; the value never appears in a message.
 */
export function resolveConnection(def: ClusterDefinition, opts: ResolveOptions = {}): ClusterConnection {
  const env = opts.env ?? process.env;
  const read = opts.readFile ?? ((file: string) => fs.readFileSync(file, "utf8"));
  const readPem = (field: "ca" | "cert" | "key", file: string | undefined): string | undefined => {
    if (file === undefined) return undefined;
    const full = path.resolve(opts.baseDir ?? process.cwd(), file);
    try {
      return read(full);
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? "unreadable";
      throw new AppError("validation_failed", `tls.${field}: cannot read ${full} (${why})`, { field: `tls.${field}` });
    }
  };
  const tls = def.tls
    ? {
        ca: readPem("ca", def.tls.ca),
        cert: readPem("cert", def.tls.cert),
        key: readPem("key", def.tls.key),
        servername: def.tls.servername,
      }
    : null;
  let sasl: ClusterConnection["sasl"] = null;
  if (def.sasl) {
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
  return { bootstrap: def.bootstrap, tls, sasl };
}

/**
 * The one place that says what this build can reach: plaintext listeners only, until the
 * protocol layer speaks TLS and SASL. Lift it there and every path (config file, QUORUM_CLUSTERS,
 * clusters.json, POST /api/clusters, the connection test) accepts them.
 */
export function refuseUnsupported(def: Pick<ClusterDefinition, "id" | "tls" | "sasl">): void {
  const asked = [def.tls ? "TLS" : null, def.sasl ? `SASL ${def.sasl.mechanism}` : null].filter(Boolean);
  if (asked.length === 0) return;
  throw new AppError(
    "plaintext_only",
    `Cluster "${def.id}" asks for ${asked.join(" and ")}: this build of Quorum reaches plaintext listeners only ` +
      `(no TLS, no SASL). Give a PLAINTEXT listener's bootstrap servers and leave out ${def.tls ? '"tls"' : ""}${def.tls && def.sasl ? " and " : ""}${def.sasl ? '"sasl"' : ""}.`,
    { field: def.tls ? "tls" : "sasl" },
  );
}

/** The first problem zod found, as "field: message" with the path written the way JSON names it. */
export function describeIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  const field = (issue?.path ?? [])
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
  return { field, message: issue?.message ?? "invalid" };
}

/**
 * Reads the cluster config file: a JSON object `{clusters: [...]}`. Every problem throws an Error
 * whose message names the file, the entry (its index and id) and the field, e.g.
 * `quorum.config.json: clusters[1] ("prod"): bootstrap[0]: a bootstrap server is host:port…`.
 * TLS files and SASL variables are resolved here too, so a missing one stops the start.
 */
export function loadClusterConfigFile(
  file: string,
  opts: { env?: Record<string, string | undefined>; readFile?: (file: string) => string } = {},
): ClusterDefinition[] {
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
  return parsed.data.clusters.map((entry, index) => {
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
      resolveConnection(def, { env: opts.env, readFile: read });
      refuseUnsupported(def);
    } catch (err) {
      throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return def;
  });
}
