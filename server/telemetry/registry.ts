import "server-only";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { startDrillSchema } from "@/lib/schemas/drills";

/**
 * Quorum's own metrics, served at `/metrics` in Prometheus' text format (app/metrics/route.ts).
 *
 * Two kinds of series. What happens in code that keeps no count of its own is observed where it
 * happens: HTTP requests (`withRoute`, and the boundary's refusals in proxy.ts), snapshots
 * (`SnapshotCache`), drills (`DrillRunner`). What an object already counts (a pool's requests, a
 * monitor's events and streams, the history's rows, the demo workload's messages) is read at
 * scrape time from a `TelemetryView` the route builds, so a scrape costs no snapshot and no Kafka
 * request, and a cluster removed from Quorum drops out.
 *
 * Every label value comes from a bounded set: route patterns (never a raw path), HTTP methods and
 * statuses, cluster ids, event types, drill kinds and outcomes, the demo's group names.
 */

/** What a scrape reads of one cluster: numbers the cluster's objects keep anyway. */
export interface ClusterTelemetry {
  id: string;
  /** Kafka requests this cluster's pool has written since Quorum made it (ApiVersions included). */
  kafkaRequests: number;
  /** Event streams (SSE clients) open on the cluster's monitor now. */
  eventStreams: number;
  /** Events its monitor emitted since Quorum started, by type. */
  events: ReadonlyMap<string, number>;
  /** Whether the cluster can run drills (one Quorum runs): its drill counters start at 0. */
  drills: boolean;
  /** Rows of the cluster in the lag history; null when the history is not recording. */
  historyRows: number | null;
  /** The demo workload's counts, for the cluster that has one. */
  workload: {
    running: boolean;
    produced: number;
    failed: number;
    /** Messages each demo group consumed. */
    consumed: ReadonlyMap<string, number>;
  } | null;
}

/** Everything a scrape reads besides what was observed as it happened. */
export interface TelemetryView {
  clusters: readonly ClusterTelemetry[];
  /** Bytes on disk of the history database (its file and write-ahead log); null (served as 0) when it is not open. */
  historyFileBytes: number | null;
}

/** Route label of a request that matched no route in the table. */
export const UNMATCHED_ROUTE = "unmatched";
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const DRILL_KINDS = startDrillSchema.shape.kind.unwrap().options;
export type DrillKind = (typeof DRILL_KINDS)[number];
const DRILL_OUTCOMES = ["done", "aborted", "failed"] as const;
export type DrillOutcome = (typeof DRILL_OUTCOMES)[number];

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A snapshot is bounded by one 4 s deadline (KAFKA_TIMEOUT_MS). */
const SNAPSHOT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8];
/** At most 3 + 6·B requests for B brokers on a healthy cluster, more pages of ELR off sync. */
const SNAPSHOT_REQUEST_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

function create() {
  const registry = new Registry();
  // Process CPU, memory, file descriptors, event loop lag and GC (prom-client's defaults): read
  // from the process itself, nothing from Kafka.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let view: TelemetryView | null = null;
  const clusters = () => view?.clusters ?? [];

  const http = {
    requests: new Counter({
      name: "quorum_http_requests_total",
      help: "HTTP requests answered by Quorum's routes or refused at its boundary, by route pattern, method and status (an event stream counts when its answer starts)",
      labelNames: ["route", "method", "status"] as const,
      registers,
    }),
    duration: new Histogram({
      name: "quorum_http_request_duration_seconds",
      help: "Time from a request reaching its route (or the boundary) to its answer starting, by route pattern, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: HTTP_BUCKETS,
      registers,
    }),
  };
  const snapshot = {
    duration: new Histogram({
      name: "quorum_snapshot_duration_seconds",
      help: "Time one snapshot of a cluster took (Metadata, offsets, groups, quorum), shared by every reader",
      labelNames: ["cluster"] as const,
      buckets: SNAPSHOT_BUCKETS,
      registers,
    }),
    requests: new Histogram({
      name: "quorum_snapshot_kafka_requests",
      help: "Kafka requests one snapshot of a cluster made",
      labelNames: ["cluster"] as const,
      buckets: SNAPSHOT_REQUEST_BUCKETS,
      registers,
    }),
    failures: new Counter({
      name: "quorum_snapshot_failures_total",
      help: "Snapshots that failed because no broker of the cluster answered Metadata in time",
      labelNames: ["cluster"] as const,
      registers,
    }),
  };
  const drills = {
    started: new Counter({
      name: "quorum_drills_started_total",
      help: "Drills started, by cluster and kind",
      labelNames: ["cluster", "kind"] as const,
      registers,
    }),
    finished: new Counter({
      name: "quorum_drills_finished_total",
      help: "Drills ended, by cluster, kind and outcome (done, aborted, failed)",
      labelNames: ["cluster", "kind", "outcome"] as const,
      registers,
    }),
  };

  // Read from the view at scrape time. A counter read this way is set to the object's own total:
  // it starts over (as Prometheus expects of a counter) only when the object does.
  new Counter({
    name: "quorum_kafka_requests_total",
    help: "Kafka requests written by Quorum's connection pool of each cluster (reads, snapshots, commands; not the demo workload's or drills' clients)",
    labelNames: ["cluster"] as const,
    registers,
    collect() {
      this.reset();
      for (const c of clusters()) this.inc({ cluster: c.id }, c.kafkaRequests);
    },
  });
  new Gauge({
    name: "quorum_event_stream_subscribers",
    help: "Event streams (GET /api/clusters/:c/events) open on each cluster now",
    labelNames: ["cluster"] as const,
    registers,
    collect() {
      this.reset();
      for (const c of clusters()) this.set({ cluster: c.id }, c.eventStreams);
    },
  });
  new Counter({
    name: "quorum_events_total",
    help: "Events each cluster's monitor emitted, by type",
    labelNames: ["cluster", "type"] as const,
    registers,
    collect() {
      this.reset();
      for (const c of clusters()) for (const [type, n] of c.events) this.inc({ cluster: c.id, type }, n);
    },
  });
  new Gauge({
    name: "quorum_history_rows",
    help: "Rows each cluster holds in the lag history (bounded by QUORUM_HISTORY_MAX_ROWS)",
    labelNames: ["cluster"] as const,
    registers,
    collect() {
      this.reset();
      for (const c of clusters()) if (c.historyRows !== null) this.set({ cluster: c.id }, c.historyRows);
    },
  });
  new Gauge({
    name: "quorum_history_file_bytes",
    help: "Bytes on disk of the history database (history.sqlite and its write-ahead log)",
    registers,
    collect() {
      this.set(view?.historyFileBytes ?? 0);
    },
  });
  new Gauge({
    name: "quorum_workload_running",
    help: "1 while the demo workload runs on the cluster, else 0",
    labelNames: ["cluster"] as const,
    registers,
    collect() {
      this.reset();
      for (const c of clusters()) if (c.workload) this.set({ cluster: c.id }, c.workload.running ? 1 : 0);
    },
  });
  new Counter({
    name: "quorum_workload_messages_produced_total",
    help: "Messages the demo workload's producer had acknowledged (acks=all)",
    labelNames: ["cluster"] as const,
    registers,
    collect() {
      this.reset();
      for (const c of clusters()) if (c.workload) this.inc({ cluster: c.id }, c.workload.produced);
    },
  });
  new Counter({
    name: "quorum_workload_messages_failed_total",
    help: "Messages of the demo workload's batches that failed to produce",
    labelNames: ["cluster"] as const,
    registers,
    collect() {
      this.reset();
      for (const c of clusters()) if (c.workload) this.inc({ cluster: c.id }, c.workload.failed);
    },
  });
  new Counter({
    name: "quorum_workload_messages_consumed_total",
    help: "Messages each demo group consumed",
    labelNames: ["cluster", "group"] as const,
    registers,
    collect() {
      this.reset();
      for (const c of clusters())
        for (const [group, n] of c.workload?.consumed ?? []) this.inc({ cluster: c.id, group }, n);
    },
  });

  return {
    registry,
    http,
    snapshot,
    drills,
    /** The text of every series, reading `current` for those read at scrape time. */
    async render(current: TelemetryView): Promise<string> {
      // Every collect callback runs synchronously inside metrics(), before any other scrape can
      // set another view.
      view = current;
      // Series of things that have not happened yet are there at 0, so a rate over them starts at once.
      for (const c of current.clusters) {
        snapshot.failures.inc({ cluster: c.id }, 0);
        if (!c.drills) continue;
        for (const kind of DRILL_KINDS) {
          drills.started.inc({ cluster: c.id, kind }, 0);
          for (const outcome of DRILL_OUTCOMES) drills.finished.inc({ cluster: c.id, kind, outcome }, 0);
        }
      }
      try {
        return await registry.metrics();
      } finally {
        view = null;
      }
    },
  };
}

type Telemetry = ReturnType<typeof create>;

// The production bundle can hold more than one copy of this module (each route's, the
// instrumentation's): the registry and its metrics are made once per process, on globalThis.
const KEY = Symbol.for("quorum.telemetry");
type WithTelemetry = typeof globalThis & { [KEY]?: Telemetry };

export function telemetry(): Telemetry {
  const g = globalThis as WithTelemetry;
  g[KEY] ??= create();
  return g[KEY];
}

/** Prometheus' text format, as `/metrics` answers it. */
export function metricsContentType(): string {
  return telemetry().registry.contentType;
}

/** Every series in Prometheus' text format, those read at scrape time taken from `view`. */
export function renderMetrics(view: TelemetryView): Promise<string> {
  return telemetry().render(view);
}

/** One answer of a route: `route` is its pattern from the route table (or UNMATCHED_ROUTE). */
export function observeHttpRequest(route: string, method: string, status: number, seconds: number): void {
  const labels = { route, method: METHODS.has(method) ? method : "OTHER", status: String(status) };
  const t = telemetry();
  t.http.requests.inc(labels);
  t.http.duration.observe(labels, seconds);
}

/** One snapshot taken: how long it took and how many Kafka requests it made. */
export function observeSnapshot(cluster: string, seconds: number, kafkaRequests: number): void {
  const t = telemetry();
  t.snapshot.duration.observe({ cluster }, seconds);
  t.snapshot.requests.observe({ cluster }, kafkaRequests);
}

/** One snapshot that failed (no broker answered Metadata). */
export function countSnapshotFailure(cluster: string): void {
  telemetry().snapshot.failures.inc({ cluster });
}

export function countDrillStarted(cluster: string, kind: DrillKind): void {
  telemetry().drills.started.inc({ cluster, kind });
}

export function countDrillFinished(cluster: string, kind: DrillKind, outcome: DrillOutcome): void {
  telemetry().drills.finished.inc({ cluster, kind, outcome });
}
