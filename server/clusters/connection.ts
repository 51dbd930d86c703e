import "server-only";

/** SASL mechanisms Quorum speaks to a cluster. */
export type SaslMechanism = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";

/**
 * How Quorum reaches one cluster: bootstrap servers, and optionally TLS and SASL. Secrets are
 * resolved values held in memory only (a config file names the environment variable or file they
 * come from); they never go back out through the API or into a log line.
 */
export interface ClusterConnection {
  /** "host:port" of one or more brokers. */
  bootstrap: string[];
  tls: {
    /** PEM contents (not paths): the CA that signed the brokers' certificates; the system's CAs when absent. */
    ca?: string;
    /** PEM contents of a client certificate and its key, for clusters that require mutual TLS. */
    cert?: string;
    key?: string;
    /** Name to check the broker certificate against, when it differs from the host connected to. */
    servername?: string;
  } | null;
  sasl: { mechanism: SaslMechanism; username: string; password: string } | null;
}

/** A plaintext, unauthenticated connection to `bootstrap`: the embedded lab's default listener. */
export function plaintext(bootstrap: string[]): ClusterConnection {
  return { bootstrap, tls: null, sasl: null };
}
