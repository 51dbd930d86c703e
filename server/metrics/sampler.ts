import "server-only";
import type { HistoryStore, NodeMetricsRow } from "../history/history-store";
import { GAP_FACTOR } from "../history/series";
import { logger } from "../logger";
import { exposedSamples } from "./exposition";
import { type NodeReading, readingOf, valuesOf } from "./node-values";

/** A node's Prometheus endpoint. */
export interface MetricsTarget {
  node: number;
  role: "broker" | "controller";
  url: string;
}

/** How long one scrape may take before the node counts as not answering this round. */
export const SCRAPE_TIMEOUT_MS = 2000;
/** An endpoint's answer is read up to this size (the lab's exporter answers about 14 KB). */
const MAX_BODY_BYTES = 4 << 20;

/**
 * Scrapes each node's Prometheus endpoint of one cluster every `sampleMs` (in parallel, each
 * bounded by SCRAPE_TIMEOUT_MS) and writes one row per node that answered to the history store. A
 * node that does not answer gets no row, so its chart shows a gap; its next rates wait for two
 * answers in a row. Costs the cluster no Kafka request: the exporter reads the JVM's MBeans. The
 * lag history's sampler prunes these rows with its own (same retention).
 */
export class BrokerMetricsSampler {
  private timer: NodeJS.Timeout | null = null;
  private readonly last = new Map<number, NodeReading>();
  private running = false;
  private lastFailures = "";

  constructor(
    readonly clusterId: string,
    private readonly targets: () => MetricsTarget[],
    private readonly store: HistoryStore,
    readonly sampleMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sample(), this.sampleMs);
    this.timer.unref();
  }

  /** Whether the cluster has any endpoint to scrape. */
  hasTargets(): boolean {
    return this.targets().length > 0;
  }

  /** The brokers expected to answer each round (a stopped one included). */
  brokerTargets(): number {
    return this.targets().filter((t) => t.role === "broker").length;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round: every target scraped, the answers written. Resolves with the rows written. */
  async sample(now = Date.now()): Promise<NodeMetricsRow[]> {
    if (this.running) return [];
    this.running = true;
    try {
      const targets = this.targets();
      const maxGapMs = this.sampleMs * GAP_FACTOR;
      const failures: string[] = [];
      const rows = (
        await Promise.all(
          targets.map(async (t): Promise<NodeMetricsRow | null> => {
            try {
              const reading = await scrape(t.url);
              const values = valuesOf(this.last.get(t.node) ?? null, reading, maxGapMs);
              this.last.set(t.node, reading);
              return { node: t.node, role: t.role, values };
            } catch (err) {
              this.last.delete(t.node);
              failures.push(`${t.node}: ${err instanceof Error ? err.message : String(err)}`);
              return null;
            }
          }),
        )
      ).filter((r): r is NodeMetricsRow => r !== null);
      for (const node of this.last.keys()) if (!targets.some((t) => t.node === node)) this.last.delete(node);
      if (rows.length > 0) this.store.recordNodeMetrics(this.clusterId, now, rows);
      const said = failures.join("; ");
      if (said !== this.lastFailures) {
        if (failures.length > 0)
          logger.info({ cluster: this.clusterId, failures }, "broker metrics: not every node answered");
        this.lastFailures = said;
      }
      return rows;
    } catch (err) {
      logger.warn(
        { cluster: this.clusterId, err: err instanceof Error ? err.message : String(err) },
        "broker metrics sample failed",
      );
      return [];
    } finally {
      this.running = false;
    }
  }
}

/** Reads one endpoint: its samples at the moment the answer arrived. */
export async function scrape(url: string, timeoutMs = SCRAPE_TIMEOUT_MS): Promise<NodeReading> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return readingOf(exposedSamples(await boundedText(res, MAX_BODY_BYTES)), Date.now());
}

/** An answer's body as text, read chunk by chunk and given up past `maxBytes` (a chunked answer has no length to trust). */
export async function boundedText(res: Response, maxBytes: number): Promise<string> {
  if (Number(res.headers.get("content-length") ?? 0) > maxBytes)
    throw new Error(`answer of more than ${maxBytes} bytes`);
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new Error(`answer of more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
