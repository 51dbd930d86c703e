import "server-only";
import net from "node:net";
import tls from "node:tls";
import type { ConnectionTestResult, ConnectionTestStep } from "@/lib/types";
import { API_VERSIONS } from "../kafka/apis";
import { fetchMetadata } from "../kafka/metadata";
import { type KafkaPool, withPool } from "../kafka/pool";
import { splitHostPort } from "../kafka/wire-error";
import type { ClusterConnection } from "./connection";
import { SASL_REFUSED } from "./gateway";

/** Each step's deadline: a test answers within a few seconds whatever the network does. */
export const STEP_TIMEOUT_MS = 2500;

/**
 * The steps of a connection test, replaceable in tests. The Kafka steps go over one pool of the
 * test's own (closed afterwards), with the connection's TLS and SASL settings: the same layer the
 * cluster's snapshots and admin requests use.
 */
export interface ConnectionProbes {
  /** Resolves once a TCP connection to host:port is open (and closes it); rejects with why not. */
  tcp(host: string, port: number, timeoutMs: number): Promise<void>;
  /** A TLS handshake with host:port, the broker's certificate checked; resolves with what was agreed. */
  tls(host: string, port: number, settings: NonNullable<ClusterConnection["tls"]>, timeoutMs: number): Promise<string>;
  /** Opens the pool's connection to `address` (TCP, TLS and SASL as configured); rejects with why not. */
  authenticate(pool: KafkaPool, address: string, timeoutMs: number): Promise<void>;
  /** How many APIs `address` serves, from its ApiVersions answer; rejects when it gives none in time. */
  apiVersions(pool: KafkaPool, address: string, timeoutMs: number): Promise<number>;
  /** The cluster's id, live brokers and topic count, read from `address`. */
  metadata(
    pool: KafkaPool,
    address: string,
    timeoutMs: number,
  ): Promise<{ clusterId: string | null; brokers: string[]; topics: number }>;
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${host}:${port} did not accept a connection within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const where = `${host}:${port}`;
      if (err.code === "ECONNREFUSED") reject(new Error(`connection refused by ${where}`));
      else if (err.code === "ENOTFOUND" || err.code === "EAI_AGAIN")
        reject(new Error(`the host name ${host} could not be resolved (${err.code})`));
      else if (err.code === "EHOSTUNREACH" || err.code === "ENETUNREACH")
        reject(new Error(`no route to ${where} (${err.code})`));
      else reject(new Error(`${where}: ${err.message}`));
    });
  });
}

/** A TLS handshake with the pool's settings (CA, client certificate, SNI for names only), then closed. */
function tlsHandshake(
  host: string,
  port: number,
  settings: NonNullable<ClusterConnection["tls"]>,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      ca: settings.ca,
      cert: settings.cert,
      key: settings.key,
      servername: settings.servername ?? (net.isIP(host) ? undefined : host),
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${host}:${port} did not complete a TLS handshake within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      const subject = socket.getPeerCertificate().subject?.CN;
      const agreed = `${socket.getProtocol() ?? "TLS"}${subject ? `, certificate of ${subject}` : ""} verified`;
      socket.destroy();
      resolve(agreed);
    });
    socket.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(`${host}:${port}: ${err.message}${err.code ? ` (${err.code})` : ""}`));
    });
  });
}

export const kafkaProbes: ConnectionProbes = {
  tcp: tcpConnect,
  tls: tlsHandshake,
  authenticate: (pool, address, timeoutMs) => pool.connect(address, timeoutMs),
  apiVersions: async (pool, address, timeoutMs) => {
    const answer = await pool.send(address, API_VERSIONS, ["quorum", "1"], timeoutMs);
    if (answer.errorCode !== 0) throw new Error(`${address} answered ApiVersions with error code ${answer.errorCode}`);
    return answer.apiKeys.length;
  },
  metadata: async (pool, address, timeoutMs) => {
    const md = await fetchMetadata(pool, [address], timeoutMs);
    return {
      clusterId: md.clusterId,
      brokers: md.brokers.map((b) => `${b.nodeId} at ${b.host}:${b.port}`),
      topics: md.topics.length,
    };
  },
};

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Tests a connection step by step and says in words which step failed: TCP to the first
 * bootstrap server that accepts one, then (when configured) the TLS handshake and SASL
 * authentication, then ApiVersions and Metadata from that server. A failed step ends the test: the steps after it are
 * not listed. Never throws; messages carry no secret.
 */
export async function testConnection(
  conn: ClusterConnection,
  probes: ConnectionProbes = kafkaProbes,
  timeoutMs = STEP_TIMEOUT_MS,
): Promise<ConnectionTestResult> {
  const steps: ConnectionTestStep[] = [];
  // Whatever a library or a broker puts in an error, the answer never carries a secret.
  const secrets = [conn.sasl?.password, conn.tls?.key, conn.tls?.cert, conn.tls?.ca].filter(
    (x): x is string => typeof x === "string" && x.length >= 4,
  );
  const redact = (text: string) => secrets.reduce((t, secret) => t.split(secret).join("[redacted]"), text);
  const run = async (step: ConnectionTestStep["step"], label: string, fn: () => Promise<string>): Promise<boolean> => {
    const began = Date.now();
    try {
      const message = await fn();
      steps.push({ step, ok: true, ms: Date.now() - began, message: redact(`${label}: ${message}`) });
      return true;
    } catch (err) {
      steps.push({ step, ok: false, ms: Date.now() - began, message: redact(`${label}: ${errText(err)}`) });
      return false;
    }
  };

  let reached: { address: string; host: string; port: number } | null = null;
  const tcpOk = await run("tcp", "TCP", async () => {
    const failures: string[] = [];
    for (const address of conn.bootstrap) {
      const [host, port] = splitHostPort(address);
      try {
        await probes.tcp(host, Number(port), timeoutMs);
        reached = { address, host, port: Number(port) };
        return failures.length ? `connected to ${address} (${failures.join("; ")})` : `connected to ${address}`;
      } catch (err) {
        failures.push(errText(err));
      }
    }
    throw new Error(failures.join("; "));
  });
  if (!tcpOk || !reached) return { ok: false, steps };
  const target: { address: string; host: string; port: number } = reached;

  if (conn.tls) {
    const settings = conn.tls;
    const tlsOk = await run("tls", "TLS", async () => {
      const agreed = await probes.tls(target.host, target.port, settings, timeoutMs);
      return `${target.address}: ${agreed}`;
    });
    if (!tlsOk) return { ok: false, steps };
  }

  return withPool(conn, async (pool) => {
    if (conn.sasl) {
      const { mechanism, username } = conn.sasl;
      const saslOk = await run("sasl", "SASL", async () => {
        try {
          await probes.authenticate(pool, target.address, timeoutMs);
        } catch (err) {
          const text = errText(err);
          throw new Error(
            SASL_REFUSED.test(text)
              ? `authentication failed for user ${username} with mechanism ${mechanism}: ${text}`
              : text,
          );
        }
        return `${target.address} accepted ${username} (${mechanism})`;
      });
      if (!saslOk) return { ok: false, steps };
    }

    const versionsOk = await run("api-versions", "ApiVersions", async () => {
      try {
        const apis = await probes.apiVersions(pool, target.address, timeoutMs);
        return `${target.address} answered (${apis} APIs)`;
      } catch (err) {
        const listener = conn.tls || conn.sasl ? "" : ": is it a Kafka PLAINTEXT listener (not TLS or SASL)?";
        throw new Error(
          `${target.address} accepted the connection but did not answer ApiVersions (${errText(err)})${listener}`,
        );
      }
    });
    if (!versionsOk) return { ok: false, steps };

    const metadataOk = await run("metadata", "Metadata", async () => {
      const md = await probes.metadata(pool, target.address, timeoutMs);
      const brokers = md.brokers.length;
      return `cluster ${md.clusterId ?? "(no id)"}, ${brokers} live broker${brokers === 1 ? "" : "s"} (${md.brokers.join(", ")}), ${md.topics} topic${md.topics === 1 ? "" : "s"}`;
    });
    return { ok: metadataOk, steps };
  });
}
