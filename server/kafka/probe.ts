import "server-only";
import { sendRequest } from "./wire";

const API_VERSIONS = 18;

/**
 * Asks one Kafka node for its API versions (ApiVersions v0, which every Kafka version answers,
 * brokers and KRaft controllers alike). True when the node answered without error within
 * `timeoutMs`: its request handlers are serving, not merely its process alive.
 */
export async function probeApiVersions(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  try {
    const r = await sendRequest(host, port, { apiKey: API_VERSIONS, version: 0, body: Buffer.alloc(0) }, timeoutMs);
    return r.int16() === 0;
  } catch {
    return false;
  }
}
