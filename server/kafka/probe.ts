import "server-only";
import { API_VERSIONS } from "./apis";
import { KafkaPool } from "./pool";

/**
 * The nodes of the embedded lab are asked every QUORUM_PROBE_INTERVAL_MS whether they answer:
 * over one pooled plaintext connection per node, not a new one per probe.
 */
const probes = new KafkaPool({ tls: null, sasl: null }, "quorum-probe");

/**
 * Asks one Kafka node for its API versions (ApiVersions, which brokers and KRaft controllers alike
 * answer). True when the node answered without error within `timeoutMs`: its request handlers are
 * serving, not merely its process alive.
 */
export async function probeApiVersions(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  try {
    const answer = await probes.send(`${host}:${port}`, API_VERSIONS, ["quorum", "1"], timeoutMs);
    return answer.errorCode === 0;
  } catch {
    return false;
  }
}
