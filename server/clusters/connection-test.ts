import "server-only";
import net from "node:net";
import type { ConnectionTestResult, ConnectionTestStep } from "@/lib/types";
import { fetchMetadata } from "../kafka/metadata";
import { probeApiVersions } from "../kafka/probe";
import { splitHostPort } from "../kafka/wire";
import type { ClusterConnection } from "./connection";

/** Each step's deadline: a test answers within a few seconds whatever the network does. */
export const STEP_TIMEOUT_MS = 2500;

/** The Kafka requests a connection test makes, replaceable in tests and by the next protocol layer. */
export interface ConnectionProbes {
  /** Resolves once a TCP connection to host:port is open (and closes it); rejects with why not. */
  tcp(host: string, port: number, timeoutMs: number): Promise<void>;
  /** True when the node answered ApiVersions without error in time. */
  apiVersions(host: string, port: number, timeoutMs: number): Promise<boolean>;
  /** The cluster's id, live brokers and topic count, read from `address`. */
  metadata(
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

export const kafkaProbes: ConnectionProbes = {
  tcp: tcpConnect,
  apiVersions: (host, port, timeoutMs) => probeApiVersions(host, port, timeoutMs),
  metadata: async (address, timeoutMs) => {
    const md = await fetchMetadata([address], timeoutMs);
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
 * bootstrap server that accepts one, then (when asked for) the TLS handshake and SASL, then
 * ApiVersions and Metadata from that server. A failed step ends the test: the steps after it are
 * not listed. Never throws; messages carry no secret.
 */
export async function testConnection(
  conn: ClusterConnection,
  probes: ConnectionProbes = kafkaProbes,
  timeoutMs = STEP_TIMEOUT_MS,
): Promise<ConnectionTestResult> {
  const steps: ConnectionTestStep[] = [];
  const run = async (step: ConnectionTestStep["step"], label: string, fn: () => Promise<string>): Promise<boolean> => {
    const began = Date.now();
    try {
      const message = await fn();
      steps.push({ step, ok: true, ms: Date.now() - began, message: `${label}: ${message}` });
      return true;
    } catch (err) {
      steps.push({ step, ok: false, ms: Date.now() - began, message: `${label}: ${errText(err)}` });
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

  // The "tls" and "sasl" steps go here once the protocol layer speaks them; until then a
  // connection that asks for either is refused before it is tested (refuseUnsupported).

  const versionsOk = await run("api-versions", "ApiVersions", async () => {
    if (await probes.apiVersions(target.host, target.port, timeoutMs)) return `${target.address} answered`;
    throw new Error(
      `${target.address} accepted the connection but did not answer ApiVersions within ${timeoutMs} ms: is it a Kafka PLAINTEXT listener (not TLS or SASL)?`,
    );
  });
  if (!versionsOk) return { ok: false, steps };

  const metadataOk = await run("metadata", "Metadata", async () => {
    const md = await probes.metadata(target.address, timeoutMs);
    const brokers = md.brokers.length;
    return `cluster ${md.clusterId ?? "(no id)"}, ${brokers} live broker${brokers === 1 ? "" : "s"} (${md.brokers.join(", ")}), ${md.topics} topic${md.topics === 1 ? "" : "s"}`;
  });
  return { ok: metadataOk, steps };
}
