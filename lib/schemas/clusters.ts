import { z } from "zod";
import { authConfigSchema } from "./auth";

/** The embedded cluster's id: no configured or added cluster may take it. */
export const RESERVED_CLUSTER_ID = "local";

/** Ids that are paths of their own: `/api/clusters/test` (the connection test) and `/clusters/new` (the form). */
export const PATH_CLUSTER_IDS = ["test", "new"] as const;

/** A cluster id: what appears in `/clusters/:id` and `/api/clusters/:id` (as in QUORUM_CLUSTERS). */
export const clusterIdSchema = z
  .string({ error: "id is required" })
  .min(1, "id is required")
  .max(41, "an id has at most 41 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "an id uses lower-case letters, digits and '-', and starts with a letter or digit")
  .refine((id) => id !== RESERVED_CLUSTER_ID, `the id "${RESERVED_CLUSTER_ID}" is the embedded cluster's`)
  .refine(
    (id) => !(PATH_CLUSTER_IDS as readonly string[]).includes(id),
    `the ids ${PATH_CLUSTER_IDS.map((i) => `"${i}"`).join(" and ")} are taken by Quorum's own paths`,
  );

/** "host:port" or "[v6]:port", the port 1–65535. */
export const bootstrapServerSchema = z
  .string({ error: "a bootstrap server is a string host:port" })
  .trim()
  .regex(
    /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?):[0-9]{1,5}$/,
    "a bootstrap server is host:port, e.g. kafka-1.example.com:9092",
  )
  .refine((s) => {
    const port = Number(s.slice(s.lastIndexOf(":") + 1));
    return port >= 1 && port <= 65535;
  }, "a port is 1–65535");

export const bootstrapSchema = z
  .array(bootstrapServerSchema, { error: "bootstrap is a list of host:port" })
  .min(1, "bootstrap lists at least one host:port")
  .max(50, "bootstrap lists at most 50 servers");

/** The name of an environment variable (a secret is named, never written inline). */
export const envVarNameSchema = z
  .string({ error: "the name of an environment variable is required" })
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "the name of an environment variable, e.g. QUORUM_SECRET_PROD");

const filePath = z.string().min(1, "a file path is required").max(4096);

/** TLS to the brokers: PEM files by path; the system's CAs when `ca` is absent. */
export const clusterTlsSchema = z
  .object({
    ca: filePath.optional(),
    cert: filePath.optional(),
    key: filePath.optional(),
    servername: z.string().min(1).max(253).optional(),
  })
  .strict()
  .refine((t) => (t.cert === undefined) === (t.key === undefined), {
    message: "cert and key go together: give both or neither",
    path: ["key"],
  });

export const SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] as const;

/** SASL credentials: the password only by the name of the environment variable holding it. */
export const clusterSaslSchema = z
  .object({
    password: z
      .never({
        error: "a password is never written here: name the environment variable that holds it with passwordEnv",
      })
      .optional(),
    mechanism: z.enum(SASL_MECHANISMS, { error: 'mechanism is "PLAIN", "SCRAM-SHA-256" or "SCRAM-SHA-512"' }),
    username: z.string({ error: "username is required" }).min(1, "username is required").max(255),
    passwordEnv: envVarNameSchema,
  })
  .strict();

/**
 * Each node's Prometheus endpoint, by node id (e.g. `{"1": "http://kafka-1:7071/metrics"}`): Quorum
 * scrapes them for the broker charts. They should serve the names of kafka/jmx-exporter.yaml.
 */
export const clusterMetricsSchema = z
  .record(
    z.string().regex(/^\d{1,9}$/, "each key of metrics is a node id"),
    z.url({ protocol: /^https?$/, error: "each metrics endpoint is an http(s) URL" }),
    { error: 'metrics maps node ids to URLs: {"1": "http://host:port/metrics"}' },
  )
  .refine((m) => Object.keys(m).length <= 200, "at most 200 metrics endpoints");

/** How one cluster is reached, as written in the config file or sent by the add-cluster form. */
export const clusterEntrySchema = z
  .object({
    id: clusterIdSchema,
    name: z.string().trim().min(1, "name must not be empty").max(100, "a name has at most 100 characters").optional(),
    bootstrap: bootstrapSchema,
    readOnly: z.boolean({ error: "readOnly is true or false" }).optional(),
    tls: clusterTlsSchema.optional(),
    sasl: clusterSaslSchema.optional(),
    metrics: clusterMetricsSchema.optional(),
  })
  .strict();

export type ClusterEntry = z.infer<typeof clusterEntrySchema>;
export type ClusterEntryInput = z.input<typeof clusterEntrySchema>;

/** The config file (`QUORUM_CONFIG`, default `quorum.config.json`). */
export const clusterConfigFileSchema = z
  .object({
    clusters: z.array(clusterEntrySchema, { error: "clusters is a list" }).max(100, "at most 100 clusters").optional(),
    /** Sign-in and roles; without it, Quorum serves only its own machine (see server/auth). */
    auth: authConfigSchema.optional(),
  })
  .strict()
  .refine((f) => f.clusters !== undefined || f.auth !== undefined, {
    error: 'the file names "clusters", an "auth" section, or both',
  })
  .transform((f) => ({ ...f, clusters: f.clusters ?? [] }));

/**
 * The prefix of every environment variable a cluster added at run time (the API, the clusters
 * page, `clusters.json`) may take its SASL password from. Whoever reaches the form must not be able
 * to have Quorum send any of the server's variables (a cloud key, say) to a broker of their choice
 * as a SASL PLAIN password; the operator opts variables in by naming them so. Clusters of the config
 * file and QUORUM_CLUSTERS, written by the operator, may name any variable.
 */
export const RUNTIME_SECRET_PREFIX = "QUORUM_SECRET_";

/** The rule for clusters added at run time, in words (the API's 400 and the form's hint). */
export const RUNTIME_SECRET_RULE = `a cluster added at run time takes its password from a variable whose name starts with ${RUNTIME_SECRET_PREFIX} (e.g. ${RUNTIME_SECRET_PREFIX}PROD), set in Quorum's environment`;

/** POST /api/clusters and POST /api/clusters/test: an entry whose password variable follows the run-time rule. */
export const addClusterSchema = clusterEntrySchema.superRefine((entry, ctx) => {
  const name = entry.sasl?.passwordEnv;
  if (name !== undefined && !name.startsWith(RUNTIME_SECRET_PREFIX)) {
    ctx.addIssue({ code: "custom", path: ["sasl", "passwordEnv"], message: `${name}: ${RUNTIME_SECRET_RULE}` });
  }
  // Quorum would fetch those URLs every few seconds from its own network: the operator names them.
  if (entry.metrics !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["metrics"],
      message: "metrics endpoints are named in the config file only, not by a cluster added at run time",
    });
  }
});

/** The bootstrap servers as the form's text box holds them: separated by commas, spaces or new lines. */
export function splitBootstrap(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
