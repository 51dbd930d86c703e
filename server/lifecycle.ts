import "server-only";
import { EventEmitter } from "node:events";
import path from "node:path";
import pino from "pino";
import { hardExitReason } from "./embedded/stop-progress";
import { HistoryStore } from "./history/history-store";
import { stopAllLabConsumers } from "./labs/labs";
import { logger } from "./logger";
import { getQuorum, LOCAL_CLUSTER_ID, metricsSamplerFor, samplerFor } from "./quorum";

/** Starting and stopping Quorum: the embedded cluster, monitors, history sampling, and the stop signals. */

let stopping: Promise<void> | null = null;

/**
 * Stops everything Quorum runs: monitors, the demo workload, history sampling, then the embedded
 * cluster (brokers, then controllers). Safe to call more than once.
 */
export function stopQuorum(): Promise<void> {
  stopping ??= (async () => {
    for (const cluster of getQuorum().clusters.values()) cluster.monitor.stop();
    await Promise.all([
      ...[...getQuorum().workloads.values()].map((w) => w.stop().catch(() => undefined)),
      stopAllLabConsumers().catch(() => undefined),
    ]);
    const history = getQuorum().history;
    if (history) {
      for (const s of history.samplers) s.stop();
      for (const s of history.metrics) s.stop();
      history.store.close();
    }
    const embedded = getQuorum().embedded;
    if (embedded) await embedded.stop();
  })();
  return stopping;
}

/** The signals that stop Quorum: a terminal's Ctrl-C, `kill`, systemd, a closed terminal. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/**
 * Stops everything on the first of SIGINT, SIGTERM or SIGHUP, then exits. The handlers stay: a
 * signal sent to the whole process group arrives more than once (directly, and passed on by
 * `npm start`), and a repeat must not fall through to Node's default action, which would end this
 * process at once and leave every node to its parent-gone watchdog in no particular order.
 */
function handleStopSignals(): void {
  let first: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (first) {
      logger.info({ signal }, `${signal} while stopping on ${first}: the stop goes on`);
      return;
    }
    first = signal;
    logger.info({ signal }, "stopping the embedded cluster");
    // After a terminal hangs up, writing to it fails (EIO); that must not end the stop.
    const logStream: unknown = Reflect.get(logger, pino.symbols.streamSym);
    for (const stream of [process.stdout, process.stderr, logStream])
      if (stream instanceof EventEmitter) stream.on("error", () => {});
    const began = Date.now();
    const hardExit = setInterval(() => {
      const reason = hardExitReason(began, getQuorum().embedded?.stopProgressAt() ?? null, Date.now());
      if (reason === null) return;
      logger.error({ ms: Date.now() - began }, `stopping is stuck (${reason}): exiting anyway`);
      process.exit(1);
    }, 1000);
    hardExit.unref();
    stopQuorum()
      .catch((err: unknown) => logger.error({ err: String(err) }, "stopping the embedded cluster failed"))
      .finally(() => process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGHUP" ? 1 : 15)));
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
}

/**
 * Starts the embedded cluster in the background (the console serves meanwhile and shows the
 * progress) and makes SIGINT/SIGTERM/SIGHUP stop every node, in order, before the process exits.
 */
export function startQuorum(): void {
  const q = getQuorum();
  handleStopSignals();
  q.started = true;
  for (const cluster of q.clusters.values()) cluster.monitor.start();
  try {
    const { sampleMs, maxRows } = q.config.history;
    const store = new HistoryStore(path.join(q.config.dataDir, "history.sqlite"), sampleMs, { maxRows });
    const samplers = [...q.clusters.values()].map((c) => samplerFor(c, store, q.config));
    // The group actions' history is kept there too, across restarts.
    for (const c of q.clusters.values()) c.actions = store.actions;
    const metrics = [...q.clusters.values()].map((c) =>
      metricsSamplerFor(c, store, q.config, q.definitions?.get(c.id)),
    );
    for (const s of samplers) s.start();
    for (const s of metrics) s.start();
    q.history = { store, samplers, metrics };
  } catch (err) {
    logger.error(
      { err: err instanceof Error ? err.message : String(err) },
      "lag history is off, and group actions are kept in memory only: its database did not open",
    );
  }
  if (!q.embedded) return;
  const embedded = q.embedded;
  embedded.on("change", (nodes) => {
    const up = nodes.filter((n) => n.status === "up").length;
    logger.debug({ up, total: nodes.length }, "node status changed");
  });
  const workload = q.workloads.get(LOCAL_CLUSTER_ID);
  embedded.start().then(
    () => {
      if (workload?.enabled) void workload.start();
    },
    (err: unknown) => {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, "the embedded cluster did not start");
    },
  );
}
