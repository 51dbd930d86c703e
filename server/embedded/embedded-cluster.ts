import "server-only";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import getPort from "get-port";
import type { LabListener, NodeRuntime, NodeStatus } from "@/lib/types";
import type { EmbeddedConfig } from "../config";
import { AppError } from "../errors";
import { probeApiVersions } from "../kafka/probe";
import { logger } from "../logger";
import { type KafkaDist, resolveKafkaDist } from "./kafka-dist";
import {
  credentialRecorded,
  ensureCertificates,
  type LabSecurity,
  labSecrets,
  recordCredential,
  redact,
  scramConfigFile,
  scramFormatArg,
} from "./lab-security";
import { CONTROLLER_ID_BASE, type NodeSpec, nodeProperties, toPropertiesFile } from "./node-config";
import { cpuTimeMs, diskWriteBytes, LogFollower, NodeProcess, reapOrphan, type StopMode } from "./node-process";
import { startFailure } from "./start-failure";
import {
  beginStop,
  DEFAULT_START_LIMITS,
  describeStop,
  NewLineCounter,
  observeStop,
  START_REPORT_MS,
  STOP_SAMPLE_MS,
  type StopLimits,
  shortLine,
  stopVerdict,
} from "./stop-progress";

const execFileAsync = promisify(execFile);
const HOST = "127.0.0.1";
/**
 * How many times one start (all its nodes together) gives a node a new port after another process
 * took the one Quorum chose for it (between choosing it and the node listening on it).
 */
const PORT_RETRIES = 3;
/** How much of a node's latest output a failed start reads for the reason. */
const START_FAILURE_BYTES = 256 * 1024;

/** A node's ports in the layout: Kafka, SASL_SSL (brokers) and JMX exporter. */
interface NodePorts {
  id: number;
  port: number;
  saslPort?: number;
  metricsPort?: number;
}

interface Layout {
  clusterId: string;
  /** Brokers were added or removed, or the lab recreated, at run time: the lists below, not QUORUM_BROKERS and QUORUM_CONTROLLERS, are the lab's. */
  changed?: true;
  /** The size the lab was created at (its nodes' defaults, e.g. the offsets topic's replication factor, follow it). */
  shape?: { brokers: number; controllers: 1 | 3 };
  /** saslPort: the broker's SASL_SSL listener, when QUORUM_LAB_SASL is (or was last) on. */
  brokers: { id: number; port: number; saslPort?: number; metricsPort?: number }[];
  /** metricsPort: the node's JMX exporter, when QUORUM_LAB_METRICS is (or was last) on. */
  controllers: { id: number; port: number; metricsPort?: number }[];
}

/** Every port the lab's nodes listen on: Kafka, SASL_SSL and JMX exporter ports. */
function usedPorts(layout: Layout): number[] {
  const nodes: NodePorts[] = [...layout.brokers, ...layout.controllers];
  return nodes.flatMap((n) => [n.port, ...(n.saslPort ? [n.saslPort] : []), ...(n.metricsPort ? [n.metricsPort] : [])]);
}

/** A random Kafka cluster id: 16 bytes, URL-safe base64 without padding, never starting with '-'. */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

async function pickPorts(wanted: number[] | "auto", count: number, stored: (number | undefined)[], taken: Set<number>) {
  if (wanted !== "auto") return wanted;
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const prefer = stored[i];
    const port = await getPort({ port: prefer, exclude: [...taken, ...ports] });
    ports.push(port);
  }
  return ports;
}

/**
 * The embedded KRaft cluster: dedicated controller(s) and brokers as child JVMs on 127.0.0.1, with
 * storage formatted once under the data directory so topics survive restarts. Emits "change" when
 * any node's status changes.
 */
export class EmbeddedCluster extends EventEmitter<{ change: [NodeRuntime[]] }> {
  private nodes = new Map<number, NodeProcess>();
  private answering = new Map<number, boolean>();
  private layout: Layout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private probing = false;
  private startPromise: Promise<void> | null = null;
  private lastStatuses = "";
  kafkaVersion = "unknown";
  /** Why the last start failed, for the API and the page to say. */
  startError: string | null = null;
  private phase: "idle" | "starting" | "running" | "stopped" = "idle";
  /** The lab's certificates and SCRAM credentials, when QUORUM_LAB_SASL is on (secrets: never log it). */
  private security: LabSecurity | null = null;
  /** Whether this start runs each node with the JMX exporter (asked for, and prepared by kafka:fetch). */
  private exporters = false;
  /** When stop() began (see stopProgressAt). */
  private stopActivityAt: number | null = null;
  /**
   * Each node's output since it was last launched (Kafka's log, the JVM's stdout and stderr): what a
   * node that ends while the lab starts wrote about why. The last 256 KiB: a broker fails late,
   * after loading its logs.
   */
  private launchLogs = new Map<number, { serverLog: LogFollower; stdout: LogFollower }>();

  /** The lab's size: QUORUM_BROKERS and QUORUM_CONTROLLERS, or what it was recreated as (kept in its layout). */
  private shape: { brokers: number; controllers: 1 | 3 };

  constructor(readonly config: EmbeddedConfig) {
    super();
    this.shape = { brokers: config.brokers, controllers: config.controllers };
  }

  get clusterId(): string | null {
    return this.layout?.clusterId ?? null;
  }

  get bootstrap(): string[] {
    return this.brokerSpecs().map((b) => `${b.host}:${b.port}`);
  }

  /** The brokers' SASL_SSL listeners (empty when QUORUM_LAB_SASL is off). */
  get saslBootstrap(): string[] {
    if (!this.config.sasl) return [];
    return (this.layout?.brokers ?? []).flatMap((b) => (b.saslPort ? [`${HOST}:${b.saslPort}`] : []));
  }

  /** How a client reaches the SASL_SSL listener (nothing secret), or null when it is off or not started. */
  saslListener(): LabListener | null {
    if (!this.config.sasl || !this.security || this.saslBootstrap.length === 0) return null;
    return {
      bootstrap: this.saslBootstrap,
      securityProtocol: "SASL_SSL",
      mechanism: "SCRAM-SHA-512",
      user: this.config.sasl.user,
      caFile: this.security.caPem,
    };
  }

  /**
   * The resolved connection to the SASL_SSL listener (CA as PEM contents, user and password), in
   * the shape of server/clusters/connection.ts's ClusterConnection, for Quorum's own clients and the
   * tests. Holds secrets: never log it or send it out.
   */
  saslConnection(): {
    bootstrap: string[];
    tls: { ca: string };
    sasl: { mechanism: "SCRAM-SHA-512"; username: string; password: string };
  } | null {
    const security = this.security;
    if (!security || this.saslBootstrap.length === 0) return null;
    return {
      bootstrap: this.saslBootstrap,
      tls: { ca: fs.readFileSync(security.caPem, "utf8") },
      sasl: { mechanism: "SCRAM-SHA-512", username: security.user, password: security.password },
    };
  }

  brokerSpecs(): NodeSpec[] {
    return (this.layout?.brokers ?? []).map((b) => ({ id: b.id, port: b.port, role: "broker" as const, host: HOST }));
  }

  controllerSpecs(): NodeSpec[] {
    return (this.layout?.controllers ?? []).map((c) => ({ ...c, role: "controller" as const, host: HOST }));
  }

  nodeDir(spec: { id: number; role: string }): string {
    return path.join(this.config.dataDir, `${spec.role}-${spec.id}`);
  }

  get isStarting(): boolean {
    return this.phase === "starting";
  }

  /**
   * Starts every node; resolves once all answer Kafka requests. Rejects only when the nodes show no
   * progress (no new log line, no CPU work) for the idle limit, or at the ceiling (DEFAULT_START_LIMITS):
   * a broker recovering tens of thousands of logs after a crash takes minutes and is not failed for it.
   */
  start(limits: StopLimits = DEFAULT_START_LIMITS): Promise<void> {
    this.phase = "starting";
    this.startError = null;
    this.startPromise ??= this.doStart(limits).then(
      () => {
        this.phase = "running";
      },
      (err: unknown) => {
        this.startPromise = null;
        if (this.phase !== "stopped") this.phase = "idle";
        this.startError = err instanceof Error ? err.message : String(err);
        throw err;
      },
    );
    return this.startPromise;
  }

  private async doStart(limits: StopLimits): Promise<void> {
    const began = Date.now();
    const dist = resolveKafkaDist();
    this.kafkaVersion = dist.version;
    fs.mkdirSync(this.config.dataDir, { recursive: true });
    this.layout = await this.prepareLayout();
    this.exporters = this.config.metrics && dist.exporter !== null;
    if (this.exporters) await this.assignMetricsPorts(this.layout, false);
    this.security = this.config.sasl ? labSecrets(this.config.dataDir, this.config.sasl) : null;
    const security = this.security;
    // keytool's JVMs (first start only) run while the storage is formatted.
    const certificates = security ? this.timed("lab certificates ready", ensureCertificates(security)) : null;
    // Awaited below; if something fails first, its failure must not be an unhandled rejection.
    certificates?.catch(() => {});
    const all = [...this.controllerSpecs(), ...this.brokerSpecs()];
    await Promise.all(all.map((spec) => reapOrphan(this.nodeDir(spec))));
    for (const spec of all) this.configure(spec);
    await Promise.all([this.format(all, dist.classpath), certificates]);
    for (const spec of all) {
      if (this.phase === "stopped") throw new Error("The embedded cluster was stopped while it was starting");
      this.launch(spec, dist);
    }
    this.publish();
    this.probeTimer = setInterval(() => void this.probe(), this.config.probeIntervalMs);
    this.probeTimer.unref();
    await this.awaitEveryNodeUp(limits, dist);
    if (security && !credentialRecorded(security)) await this.addScramUser(security, dist.classpath);
    logger.info({ ms: Date.now() - began, bootstrap: this.bootstrap.join(",") }, "embedded cluster up");
  }

  /** Writes a node's server.properties (0600: with SASL on it holds the keystore's password). */
  private configure(spec: NodeSpec): void {
    const dir = this.nodeDir(spec);
    fs.mkdirSync(dir, { recursive: true });
    const security = this.security;
    const saslPort = this.layout?.brokers.find((b) => spec.role === "broker" && b.id === spec.id)?.saslPort;
    const props = nodeProperties(spec, {
      controllers: this.controllerSpecs(),
      brokerCount: this.shape.brokers,
      logDir: path.join(dir, "data"),
      timings: this.config,
      sasl:
        security && saslPort
          ? {
              port: saslPort,
              keystore: security.keystore,
              truststore: security.truststore,
              storePassword: security.storePassword,
            }
          : null,
    });
    const file = path.join(dir, "server.properties");
    fs.writeFileSync(file, toPropertiesFile(props), { mode: 0o600 });
    fs.chmodSync(file, 0o600);
  }

  /**
   * Gives each node without one a free loopback port for its JMX exporter (the port it had before
   * when still free), kept in the layout so that the same node answers at the same address.
   */
  private async assignMetricsPorts(layout: Layout, onlyMissing: boolean): Promise<void> {
    const nodes = [...layout.controllers, ...layout.brokers];
    const taken = new Set(usedPorts(layout));
    for (const n of nodes) {
      // A running node's exporter holds its port: only a node without one gets a port now.
      if (onlyMissing && n.metricsPort !== undefined) continue;
      if (n.metricsPort !== undefined) taken.delete(n.metricsPort);
      n.metricsPort = await getPort({ port: n.metricsPort, exclude: [...taken], host: HOST });
      taken.add(n.metricsPort);
    }
    this.writeLayout(layout);
  }

  /**
   * Where each node's JMX exporter answers (Prometheus text format), by node id; empty when the
   * lab runs without it (QUORUM_LAB_METRICS off, or no exporter prepared by `kafka:fetch`).
   */
  metricsEndpoints(): { node: number; role: "broker" | "controller"; url: string }[] {
    if (!this.exporters) return [];
    const layout = this.layout;
    const nodes = [
      ...(layout?.controllers ?? []).map((n) => ({ ...n, role: "controller" as const })),
      ...(layout?.brokers ?? []).map((n) => ({ ...n, role: "broker" as const })),
    ];
    return nodes.flatMap((n) =>
      n.metricsPort && this.nodes.has(n.id)
        ? [{ node: n.id, role: n.role, url: `http://${HOST}:${n.metricsPort}/metrics` }]
        : [],
    );
  }

  /** Starts a node's JVM and follows it. */
  private launch(spec: NodeSpec, dist: KafkaDist): void {
    const metricsPort = [...(this.layout?.controllers ?? []), ...(this.layout?.brokers ?? [])].find(
      (n) => n.id === spec.id,
    )?.metricsPort;
    const node = new NodeProcess(spec, {
      javaAgent:
        this.config.metrics && dist.exporter && metricsPort
          ? `-javaagent:${dist.exporter.jar}=${HOST}:${metricsPort}:${dist.exporter.config}`
          : undefined,
      dir: this.nodeDir(spec),
      classpath: dist.classpath,
      log4jConfig: dist.log4jConfig,
      heapMb: spec.role === "broker" ? this.config.brokerHeapMb : this.config.controllerHeapMb,
      awaitClosed: spec.role === "controller" ? this.bootstrap : undefined,
      stopPeers:
        spec.role === "broker" ? () => [...this.nodes.values()].filter((n) => n.spec.role === "controller") : undefined,
    });
    node.on("exit", () => {
      this.answering.set(spec.id, false);
      this.publish();
    });
    this.nodes.set(spec.id, node);
    this.launchLogs.set(spec.id, {
      serverLog: new LogFollower([node.logFile], START_FAILURE_BYTES),
      // logFiles: Kafka's log, then the JVM's own stdout and stderr.
      stdout: new LogFollower(node.logFiles.slice(1), START_FAILURE_BYTES),
    });
    node.start();
  }

  /**
   * A node ended while the lab started. When another process took a port Quorum had chosen for it
   * (not one set in QUORUM_*_PORTS), it gets a free one and is launched again; otherwise the start
   * fails with what the node wrote. A controller keeps its port: every node's quorum settings and
   * its formatted storage name it.
   */
  private async relaunchOrFail(node: NodeProcess, dist: KafkaDist, retries: { left: number }): Promise<void> {
    const spec = node.spec;
    const logs = this.launchLogs.get(spec.id);
    const failure = startFailure({
      serverLog: logs?.serverLog.read().join("\n") ?? "",
      stdout: logs?.stdout.read().join("\n") ?? "",
    });
    const layout = this.layout;
    const entry: NodePorts | undefined = (spec.role === "broker" ? layout?.brokers : layout?.controllers)?.find(
      (n) => n.id === spec.id,
    );
    const chosen = (ports: number[] | "auto" | undefined, port: number) =>
      !(Array.isArray(ports) && ports.includes(port));
    let move: "port" | "saslPort" | "metricsPort" | null = null;
    if (failure.kind === "exporter" && entry?.metricsPort !== undefined) move = "metricsPort";
    else if (failure.kind === "port" && entry && spec.role === "broker") {
      if (entry.port === failure.port && chosen(this.config.brokerPorts, failure.port)) move = "port";
      else if (entry.saslPort === failure.port && chosen(this.config.sasl?.ports, failure.port)) move = "saslPort";
    }
    const exit = node.lastExit;
    const ended = `${node.name} ended while starting (${exit?.signal ?? `exit code ${exit?.code ?? "unknown"}`})`;
    if (!move || !layout || !entry || retries.left <= 0) {
      const held =
        failure.kind === "port" ? `: 127.0.0.1:${failure.port} is held by another process (${failure.line})` : "";
      const said = failure.kind !== "port" && failure.line ? `: ${failure.line}` : "";
      throw new Error(redact(`${ended}${held || said}; its log: ${node.logFile}`, this.secrets()));
    }
    retries.left -= 1;
    const old = entry[move];
    const port = await getPort({ exclude: usedPorts(layout), host: HOST });
    if (this.phase === "stopped") throw new Error("The embedded cluster was stopped while it was starting");
    entry[move] = port;
    this.writeLayout(layout);
    logger.warn(
      { node: spec.id, role: spec.role, was: old, now: port },
      `${ended}: another process took its ${move === "port" ? "Kafka" : move === "saslPort" ? "SASL_SSL" : "JMX exporter"} port; starting it again on a free one`,
    );
    const next: NodeSpec = move === "port" ? { ...spec, port } : spec;
    this.configure(next);
    this.launch(next, dist);
    this.publish();
  }

  private writeLayout(layout: Layout): void {
    fs.writeFileSync(path.join(this.config.dataDir, "cluster.json"), `${JSON.stringify(layout, null, 2)}\n`);
  }

  /**
   * Adds a broker to the running lab: the next id, a free port, its storage formatted with the
   * cluster's id; resolves with its id once it answers. The lab's layout in the data directory
   * keeps it for every later start.
   */
  async addBroker(timeoutMs = 120_000): Promise<number> {
    const layout = this.layout;
    if (this.phase !== "running" || !layout) throw new AppError("conflict", "The lab is not running: start it first");
    const dist = resolveKafkaDist();
    const taken = new Set(usedPorts(layout));
    const id = Math.max(0, ...layout.brokers.map((b) => b.id)) + 1;
    const port = await getPort({ exclude: [...taken] });
    taken.add(port);
    const saslPort = this.security ? await getPort({ exclude: [...taken] }) : undefined;
    layout.brokers.push({ id, port, ...(saslPort ? { saslPort } : {}) });
    layout.changed = true;
    if (this.config.metrics && dist.exporter) await this.assignMetricsPorts(layout, true);
    this.writeLayout(layout);
    const spec: NodeSpec = { id, port, role: "broker", host: HOST };
    this.configure(spec);
    await this.format([spec], dist.classpath);
    this.launch(spec, dist);
    this.publish();
    logger.info({ broker: id, port }, "broker added to the lab");
    await this.waitUntil(() => this.answering.get(id) === true, timeoutMs, `broker ${id} to answer`);
    return id;
  }

  /**
   * Removes a stopped broker from the lab: out of the layout (kept in the data directory) and its
   * storage deleted. The caller has moved every replica off it and unregistered it from the quorum.
   */
  async removeBroker(id: number): Promise<void> {
    const layout = this.layout;
    const node = this.node(id, "broker");
    if (!layout) throw new AppError("conflict", "The lab is not running: start it first");
    if (node.state !== "stopped") throw new AppError("conflict", `Broker ${id} is still running: stop it first`);
    if (layout.brokers.length <= 1) throw new AppError("conflict", `Broker ${id} is the lab's last broker`);
    this.nodes.delete(id);
    this.answering.delete(id);
    layout.brokers = layout.brokers.filter((b) => b.id !== id);
    layout.changed = true;
    this.writeLayout(layout);
    fs.rmSync(this.nodeDir({ id, role: "broker" }), { recursive: true, force: true });
    this.publish();
    logger.info({ broker: id }, "broker removed from the lab");
  }

  private async prepareLayout(): Promise<Layout> {
    const file = path.join(this.config.dataDir, "cluster.json");
    let stored: Layout | null = null;
    if (fs.existsSync(file)) {
      stored = JSON.parse(fs.readFileSync(file, "utf8")) as Layout;
      if (stored.changed) {
        // Grown, shrunk or recreated at run time: its nodes are the ones it had, on the ports they had.
        this.shape = stored.shape ?? {
          brokers: stored.brokers.length,
          controllers: stored.controllers.length === 3 ? 3 : 1,
        };
        return stored;
      }
      if (stored.brokers.length !== this.shape.brokers || stored.controllers.length !== this.shape.controllers) {
        throw new Error(
          `${this.config.dataDir} holds a cluster of ${stored.brokers.length} broker(s) and ${stored.controllers.length} controller(s), ` +
            `not ${this.config.brokers} and ${this.config.controllers}: choose another QUORUM_DATA_DIR or delete that folder.`,
        );
      }
    }
    const taken = new Set<number>();
    // Explicit ports fit the size they were given for; a lab recreated at another size takes free ones.
    const fits = (ports: number[] | "auto", n: number) => (ports !== "auto" && ports.length === n ? ports : "auto");
    const brokerPorts = await pickPorts(
      fits(this.config.brokerPorts, this.shape.brokers),
      this.shape.brokers,
      stored?.brokers.map((b) => b.port) ?? [],
      taken,
    );
    for (const p of brokerPorts) taken.add(p);
    const controllerPorts = await pickPorts(
      fits(this.config.controllerPorts, this.shape.controllers),
      this.shape.controllers,
      stored?.controllers.map((c) => c.port) ?? [],
      taken,
    );
    for (const p of controllerPorts) taken.add(p);
    const saslPorts = this.config.sasl
      ? await pickPorts(
          fits(this.config.sasl.ports, this.shape.brokers),
          this.shape.brokers,
          stored?.brokers.map((b) => b.saslPort) ?? [],
          taken,
        )
      : [];
    const layout: Layout = {
      clusterId: stored?.clusterId ?? newClusterId(),
      brokers: brokerPorts.map((port, i) => ({ id: i + 1, port, ...(saslPorts[i] ? { saslPort: saslPorts[i] } : {}) })),
      controllers: controllerPorts.map((port, i) => ({ id: CONTROLLER_ID_BASE + i + 1, port })),
      ...(this.shape.brokers !== this.config.brokers || this.shape.controllers !== this.config.controllers
        ? { changed: true as const }
        : {}),
      shape: this.shape,
    };
    fs.writeFileSync(file, `${JSON.stringify(layout, null, 2)}\n`);
    return layout;
  }

  /** Formats the storage of nodes not yet formatted (first start only), all with one cluster id. */
  private async format(specs: NodeSpec[], classpath: string): Promise<void> {
    const todo = specs.filter((s) => !fs.existsSync(path.join(this.nodeDir(s), "data", "meta.properties")));
    if (todo.length === 0 || !this.layout) return;
    logger.info({ nodes: todo.map((s) => s.id) }, "formatting storage");
    const clusterId = this.layout.clusterId;
    const security = this.security;
    // The SCRAM user goes into the bootstrap snapshot every node starts from (the same arg, salt
    // included, for all): only when every controller is formatted now (a fresh cluster) can it go there.
    // The tool prints that snapshot (salt and keys) on stdout, which is never logged.
    const controllers = specs.filter((s) => s.role === "controller");
    const withScram =
      security !== null && controllers.length > 0 && controllers.every((c) => todo.includes(c))
        ? scramFormatArg(security.user, security.password)
        : null;
    await Promise.all(
      todo.map((s) =>
        execFileAsync(
          "java",
          [
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classpath,
            "kafka.tools.StorageTool",
            "format",
            "-t",
            clusterId,
            "-c",
            path.join(this.nodeDir(s), "server.properties"),
            "--ignore-formatted",
            ...(withScram ? ["--add-scram", withScram] : []),
          ],
          { timeout: 60_000 },
        ).catch((err: unknown) => {
          // The command line (in the message) carries the salted password: never let it out.
          const msg = err instanceof Error ? err.message : String(err);
          throw new Error(`Formatting the storage of node ${s.id} failed: ${redact(msg, this.secrets())}`);
        }),
      ),
    );
    if (security && withScram) recordCredential(security);
  }

  private async timed(what: string, work: Promise<void>): Promise<void> {
    const t = Date.now();
    await work;
    logger.info({ ms: Date.now() - t }, what);
  }

  private secrets(): string[] {
    return this.security ? [this.security.password, this.security.storePassword] : [];
  }

  /**
   * Gives the SCRAM user its password through Kafka's own kafka-configs (over the PLAINTEXT
   * listener) when the storage was formatted without it: SASL turned on for an existing data
   * directory, or another user or password asked for. The password goes in a 0600 file, not argv.
   */
  private async addScramUser(security: LabSecurity, classpath: string): Promise<void> {
    logger.info({ user: security.user }, "adding the SCRAM user to an existing cluster");
    const file = path.join(security.dir, `scram-${process.pid}.properties`);
    fs.writeFileSync(file, scramConfigFile(security.password), { mode: 0o600 });
    try {
      await execFileAsync(
        "java",
        [
          "-Xmx128m",
          "-XX:TieredStopAtLevel=1",
          "-cp",
          classpath,
          "org.apache.kafka.tools.ConfigCommand",
          "--bootstrap-server",
          this.bootstrap.join(","),
          "--alter",
          "--entity-type",
          "users",
          "--entity-name",
          security.user,
          "--add-config-file",
          file,
        ],
        { timeout: 60_000 },
      );
    } catch (err) {
      const e = err as { stderr?: string; message?: string };
      const why = redact((e.stderr || e.message || String(err)).trim().split("\n").slice(-2).join(" "), this.secrets());
      throw new Error(`Could not give the SCRAM user "${security.user}" its password: ${why}`);
    } finally {
      fs.rmSync(file, { force: true });
    }
    recordCredential(security);
  }

  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await Promise.all(
        [...this.nodes.values()].map(async (node) => {
          const ok = node.state === "running" && (await probeApiVersions(node.spec.host, node.spec.port, 800));
          this.answering.set(node.spec.id, ok && node.state === "running");
        }),
      );
      this.publish();
    } finally {
      this.probing = false;
    }
  }

  private publish(): void {
    const states = this.nodeStates();
    const key = states.map((s) => `${s.id}:${s.status}:${s.pid}`).join(",");
    if (key === this.lastStatuses) return;
    this.lastStatuses = key;
    this.emit("change", states);
  }

  nodeStates(): NodeRuntime[] {
    const specs = [...this.controllerSpecs(), ...this.brokerSpecs()];
    return specs.map((spec) => {
      const node = this.nodes.get(spec.id);
      let status: NodeStatus = "down";
      if (node?.state === "stopping") status = "stopping";
      else if (node?.state === "running") status = this.answering.get(spec.id) ? "up" : "starting";
      return {
        id: spec.id,
        role: spec.role,
        host: spec.host,
        port: spec.port,
        status,
        pid: node?.pid ?? null,
        startedAt: node?.state === "stopped" ? null : (node?.startedAt ?? null),
        lastExit: node?.lastExit ?? null,
        logFile: node?.logFile ?? path.join(this.nodeDir(spec), "logs", "server.log"),
      };
    });
  }

  private node(id: number, role: "broker" | "controller"): NodeProcess {
    const node = this.nodes.get(id);
    if (!node || node.spec.role !== role) {
      throw new AppError("broker_not_found", `The embedded cluster has no ${role} ${id}`);
    }
    return node;
  }

  /** Stops one broker: graceful is Kafka's controlled shutdown (SIGTERM), kill a crash (SIGKILL). */
  stopBroker(id: number, mode: StopMode): Promise<void> {
    return this.stopNode(id, "broker", mode);
  }

  /** Starts a stopped broker; resolves at once (status "starting"), the probe turns it "up". */
  startBroker(id: number): void {
    this.startNode(id, "broker");
  }

  /**
   * Stops one controller: graceful (SIGTERM) or kill (SIGKILL). With a majority of the voters
   * still up, the others elect a leader (if it led); without one, the metadata log stands still.
   */
  stopController(id: number, mode: StopMode): Promise<void> {
    return this.stopNode(id, "controller", mode);
  }

  /** Starts a stopped controller; resolves at once (status "starting"), the probe turns it "up". */
  startController(id: number): void {
    this.startNode(id, "controller");
  }

  private async stopNode(id: number, role: "broker" | "controller", mode: StopMode): Promise<void> {
    const node = this.node(id, role);
    const name = `${role === "broker" ? "Broker" : "Controller"} ${id}`;
    if (node.state === "stopped") throw new AppError("conflict", `${name} is already down`);
    if (node.state === "stopping" && mode === "graceful") throw new AppError("conflict", `${name} is already stopping`);
    const stopped = node.stop(mode);
    this.answering.set(id, false);
    this.publish();
    await stopped;
  }

  private startNode(id: number, role: "broker" | "controller"): void {
    const node = this.node(id, role);
    if (node.state !== "stopped")
      throw new AppError(
        "conflict",
        `${role === "broker" ? "Broker" : "Controller"} ${id} is ${node.state === "stopping" ? "stopping" : "already running"}`,
      );
    if (this.phase === "stopped") throw new AppError("conflict", "The embedded cluster is shutting down");
    this.answering.set(id, false);
    node.start();
    this.publish();
  }

  /**
   * Replaces the lab with a fresh one of `shape` in the same data directory: every node stopped,
   * its storage deleted (the topics and messages with it), a new cluster id, then started; the
   * certificates of the SASL_SSL listener stay. Its layout keeps the shape for every later start,
   * whatever QUORUM_BROKERS and QUORUM_CONTROLLERS say. Resolves once every node answers.
   */
  async recreate(shape: { brokers: number; controllers: 1 | 3 }): Promise<void> {
    if (this.phase === "starting") throw new AppError("conflict", "The lab is starting: wait until it is up");
    await this.stop();
    this.nodes.clear();
    this.answering.clear();
    this.startPromise = null;
    this.layout = null;
    for (const entry of fs.readdirSync(this.config.dataDir))
      if (/^(broker|controller)-\d+$/.test(entry))
        fs.rmSync(path.join(this.config.dataDir, entry), { recursive: true, force: true });
    fs.rmSync(path.join(this.config.dataDir, "cluster.json"), { force: true });
    this.shape = shape;
    logger.info(shape, "recreating the lab");
    await this.start();
  }

  /** The lab's size now (brokers as created, controllers). */
  get labShape(): { brokers: number; controllers: 1 | 3 } {
    return { ...this.shape };
  }

  /**
   * Waits until every node answers, for as long as the nodes show progress: a new log line or CPU
   * work of any node (the controllers work for the brokers that start). The server log says every
   * START_REPORT_MS how far it has come and what the nodes wrote last.
   */
  private async awaitEveryNodeUp(limits: StopLimits, dist: KafkaDist): Promise<void> {
    const follower = new LogFollower([...this.nodes.values()].flatMap((n) => n.logFiles));
    const retries = { left: PORT_RETRIES };
    const fresh = new NewLineCounter();
    const began = Date.now();
    let progress = beginStop(began);
    let lastSample = began;
    let lastReport = began;
    for (;;) {
      const states = this.nodeStates();
      if (states.every((n) => n.status === "up")) return;
      if (this.phase === "stopped") throw new Error("The embedded cluster was stopped while it was starting");
      for (const node of [...this.nodes.values()]) {
        const exit = node.lastExit;
        // A node stopped on purpose (a Stop button, a drill) is not a failed start.
        const ended = node.state === "stopped" && exit && node.startedAt !== null && exit.at >= node.startedAt;
        if (ended && !node.stopAsked) await this.relaunchOrFail(node, dist, retries);
      }
      const nodes = [...this.nodes.values()];
      const now = Date.now();
      if (now - lastSample >= STOP_SAMPLE_MS) {
        lastSample = now;
        progress = observeStop(
          progress,
          {
            at: now,
            newLogLines: fresh.count(follower.read()),
            cpuMs: nodes.map((n) => (n.pid ? cpuTimeMs(n.pid) : null)),
            diskBytes: nodes.map((n) => (n.pid ? diskWriteBytes(n.pid) : null)),
            logBytes: follower.lastBytes,
          },
          limits,
        );
        const waiting = states.filter((n) => n.status !== "up").map((n) => `${n.role} ${n.id} (${n.status})`);
        const verdict = stopVerdict(progress, now, limits);
        if (verdict.kill) {
          throw new Error(`Gave up waiting for ${waiting.join(", ")} to answer: ${verdict.reason}`);
        }
        if (now - lastReport >= START_REPORT_MS) {
          lastReport = now;
          logger.info(
            { up: states.length - waiting.length, total: states.length },
            `embedded cluster still starting, waiting for ${waiting.join(", ")}: ${describeStop(progress, now)}` +
              (fresh.last ? `; last new log line: ${shortLine(fresh.last)}` : ""),
          );
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * While the whole cluster stops: the last time a node showed progress (a node exited, or one
   * being stopped logged, used the CPU or wrote to disk); null before stop() is called.
   */
  stopProgressAt(): number | null {
    if (this.stopActivityAt === null) return null;
    let last = this.stopActivityAt;
    for (const n of this.nodes.values()) {
      if (n.state === "stopping" && n.lastStopProgressAt !== null) last = Math.max(last, n.lastStopProgressAt);
      if (n.lastExit && n.lastExit.at > last) last = n.lastExit.at;
    }
    return last;
  }

  /** Stops the whole cluster: brokers first (controlled shutdown needs the controllers), then controllers. */
  async stop(): Promise<void> {
    this.stopActivityAt = Date.now();
    this.phase = "stopped";
    const brokers = [...this.nodes.values()].filter((n) => n.spec.role === "broker");
    const controllers = [...this.nodes.values()].filter((n) => n.spec.role === "controller");
    const began = Date.now();
    logger.info({ brokers: brokers.length, controllers: controllers.length }, "stopping brokers, then controllers");
    await Promise.all(brokers.map((n) => n.stop("graceful")));
    await Promise.all(controllers.map((n) => n.stop("graceful")));
    logger.info({ ms: Date.now() - began }, "embedded cluster stopped");
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    this.publish();
  }
}
