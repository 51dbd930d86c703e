import "server-only";
import { type Reader, sendToAnyFrom, Writer } from "./wire";

const METADATA = 3;
const VERSION = 6;

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface MetadataPartition {
  partition: number;
  errorCode: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface MetadataTopic {
  name: string;
  errorCode: number;
  internal: boolean;
  partitions: MetadataPartition[];
}

export interface ClusterMetadata {
  /** The broker that answered. */
  from: string;
  clusterId: string | null;
  /** Live (registered, unfenced) brokers only: a stopped or fenced broker is absent. */
  brokers: MetadataBroker[];
  topics: MetadataTopic[];
}

function parse(r: Reader, from: string): ClusterMetadata {
  r.int32(); // throttle_time_ms
  const brokers = r.array((b) => ({ nodeId: b.int32(), host: b.string() ?? "", port: b.int32(), rack: b.string() }));
  const clusterId = r.string();
  r.int32(); // controller_id: in KRaft a random live broker, not the controller
  const ints = (x: Reader) => x.array((y) => y.int32());
  const topics = r.array((t) => ({
    errorCode: t.int16(),
    name: t.string() ?? "",
    internal: t.bool(),
    partitions: t.array((p) => ({
      errorCode: p.int16(),
      partition: p.int32(),
      leader: p.int32(),
      replicas: ints(p),
      isr: ints(p),
      offlineReplicas: ints(p),
    })),
  }));
  r.end();
  for (const t of topics) t.partitions.sort((a, b) => a.partition - b.partition);
  topics.sort((a, b) => a.name.localeCompare(b.name));
  return { from, clusterId, brokers: brokers.sort((a, b) => a.nodeId - b.nodeId), topics };
}

/**
 * One Metadata request (all topics, or the named ones) to the first of `bootstrap` that answers,
 * within `timeoutMs` in all. Throws a WireError of kind "timeout" or "connection" when none does,
 * "protocol" when the answer is not a valid Metadata v6 response.
 */
export async function fetchMetadata(
  bootstrap: string[],
  timeoutMs: number,
  topics: string[] | null = null,
): Promise<ClusterMetadata> {
  const body = new Writer()
    .array(topics, (w, name) => w.string(name))
    .int8(0) // allow_auto_topic_creation: never
    .bytes();
  const { reader, from } = await sendToAnyFrom(bootstrap, { apiKey: METADATA, version: VERSION, body }, timeoutMs);
  return parse(reader, from);
}
