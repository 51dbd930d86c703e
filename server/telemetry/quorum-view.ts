import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { Quorum } from "../quorum";
import type { ClusterTelemetry, TelemetryView } from "./registry";

/** The file the history is kept in, under the data directory (as server/lifecycle.ts opens it). */
const HISTORY_FILE = "history.sqlite";

/** Size of a file, 0 when it is not there (SQLite's write-ahead log comes and goes). */
function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * What a scrape of `/metrics` reads of Quorum: counters its objects keep anyway (the pools'
 * requests, the monitors' streams and events, the history's row counts, the demo workload's
 * messages) and the size of the history file. Nothing here takes a snapshot or asks Kafka.
 */
export function quorumTelemetry(q: Quorum): TelemetryView {
  const store = q.history?.store ?? null;
  const clusters = [...q.clusters.values()].map((c): ClusterTelemetry => {
    const workload = q.workloads.get(c.id)?.status();
    let historyRows: number | null = null;
    if (store) {
      try {
        historyRows = store.rowCount(c.id);
      } catch {
        // the store is closed (Quorum stopping): no count
      }
    }
    return {
      id: c.id,
      kafkaRequests: c.gateway.requestsSent(),
      eventStreams: c.monitor.status().streams,
      events: c.monitor.eventCounts(),
      drills: q.drills.has(c.id),
      historyRows,
      workload: workload
        ? {
            running: workload.running,
            produced: workload.produced,
            failed: workload.producerErrors,
            consumed: new Map(workload.groups.map((g) => [g.groupId, g.consumed])),
          }
        : null,
    };
  });
  const file = path.join(q.config.dataDir, HISTORY_FILE);
  return {
    clusters,
    historyFileBytes: store ? sizeOf(file) + sizeOf(`${file}-wal`) : null,
  };
}
