import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { apiVersionsV3, Reader, Writer } from "@platformatic/kafka";
import getPort from "get-port";
import { fetchMetadata } from "@/server/kafka/metadata";
import { withPool } from "@/server/kafka/pool";

/**
 * A real Apache Kafka 3.9 KRaft cluster for tests, from the jars `npm run kafka:fetch:3.9` puts in
 * .cache/kafka-3.9: node 1 is a combined controller + broker (the only voter), node 2 a broker.
 * Both run Kafka's own `kafka.Kafka` main class (storage formatted by `kafka.tools.StorageTool`),
 * under QuorumChild, so a test process that dies takes them with it (their stdin closes). Each
 * runs in its own process group and is stopped by pid.
 *
 * Each broker has two listeners: INTERNAL (replication, Kafka's tools, kafkajs) and EXTERNAL, which
 * is advertised at a loopback relay in front of it. Quorum is pointed at the EXTERNAL side only, so
 * the relay sees every request Quorum sends, whichever broker it goes to, and records its API key
 * and version (`requests`).
 */

/** Where `npm run kafka:fetch:3.9` puts Kafka 3.9 (tests and scripts run from the repository root). */
export const KAFKA_39_DIR = path.join(process.cwd(), ".cache", "kafka-3.9");

export interface SentRequest {
  apiKey: number;
  version: number;
  /** The broker id the relay fronts. */
  broker: number;
}

export interface Kafka39 {
  version: string;
  /** Quorum's bootstrap: the EXTERNAL listeners, through the relays. */
  bootstrap: string[];
  /** The INTERNAL listeners, for Kafka's tools and kafkajs. */
  internal: string[];
  dataDir: string;
  /** Every request frame that passed a relay to a broker, in order. */
  requests: SentRequest[];
  /** The JVMs' pids (each leads its own process group). */
  pids: number[];
  /** How long the cluster took to format, start and answer Metadata with every broker, in ms. */
  startMs: number;
  /** Runs a Kafka 3.9 tool (a main class) to completion; rejects with its output on a non-zero exit. */
  tool(mainClass: string, args: string[], timeoutMs?: number): Promise<string>;
  /**
   * Starts a long-running Kafka 3.9 tool (e.g. the console consumer) under QuorumChild in its own
   * process group; `stop` (or the cluster's) ends it by its pid.
   */
  spawnTool(mainClass: string, args: string[]): { pid: number; stop(): Promise<void> };
  stop(): Promise<void>;
}

/** The prepared distribution, or an error saying how to prepare it. */
export function kafka39Dist(): { version: string; classpath: string } {
  const distFile = path.join(KAFKA_39_DIR, "dist.json");
  if (!fs.existsSync(distFile))
    throw new Error("Kafka 3.9 is not prepared: run `npm run kafka:fetch:3.9` (needs Java 17+ and Maven)");
  const { version } = JSON.parse(fs.readFileSync(distFile, "utf8")) as { version: string };
  return {
    version,
    classpath: `${path.join(KAFKA_39_DIR, "classes")}${path.delimiter}${path.join(KAFKA_39_DIR, "libs", "*")}`,
  };
}

/** Small, quick-starting JVMs: the tests need little throughput. */
const JVM = ["-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Djava.awt.headless=true"];

/** A Kafka cluster id: 16 random bytes in URL-safe base64 (never starting with "-", which reads as an option). */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

function run(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("java", args, { encoding: "utf8", timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${args.at(-1) ?? "java"} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** A TCP relay on a free loopback port to `target`, recording each client request's header. */
async function relay(
  target: number,
  broker: number,
  requests: SentRequest[],
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: "127.0.0.1", port: target });
    sockets.add(client);
    sockets.add(upstream);
    let buf = Buffer.alloc(0);
    client.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 8 && buf.length >= 4 + buf.readInt32BE(0)) {
        requests.push({ apiKey: buf.readInt16BE(4), version: buf.readInt16BE(6), broker });
        buf = buf.subarray(4 + buf.readInt32BE(0));
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end);
    upstream.on("close", end);
    client.on("error", end);
    upstream.on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Ends a JVM's process group: SIGTERM, then SIGKILL after `graceMs`. */
async function stopJvm(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

export async function startKafka39(opts: { serverProps?: Record<string, string> } = {}): Promise<Kafka39> {
  const t0 = Date.now();
  const dist = kafka39Dist();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-k39-"));
  const requests: SentRequest[] = [];
  const children: ChildProcess[] = [];
  const relays: { close(): Promise<void> }[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(children.map((c) => stopJvm(c)));
    for (const r of relays) await r.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const controllerPort = await getPort({ host: "127.0.0.1" });
    const ids = [1, 2];
    const internal = new Map<number, number>();
    const external = new Map<number, number>();
    const advertised = new Map<number, number>();
    for (const id of ids) {
      internal.set(id, await getPort({ host: "127.0.0.1" }));
      external.set(id, await getPort({ host: "127.0.0.1" }));
      const r = await relay(external.get(id) as number, id, requests);
      relays.push(r);
      advertised.set(id, r.port);
    }
    const id = clusterId();
    const log4j = path.join(dataDir, "log4j.properties");
    fs.writeFileSync(
      log4j,
      [
        "log4j.rootLogger=INFO, file",
        "log4j.appender.file=org.apache.log4j.FileAppender",
        `log4j.appender.file.File=\${kafka.node.log}`,
        "log4j.appender.file.layout=org.apache.log4j.PatternLayout",
        "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n",
        "",
      ].join("\n"),
    );
    const propsOf = (node: number) => {
      const dir = path.join(dataDir, `node-${node}`);
      const combined = node === 1;
      const listeners = [
        `INTERNAL://127.0.0.1:${internal.get(node)}`,
        `EXTERNAL://127.0.0.1:${external.get(node)}`,
        ...(combined ? [`CONTROLLER://127.0.0.1:${controllerPort}`] : []),
      ];
      const props = [
        `process.roles=${combined ? "broker,controller" : "broker"}`,
        `node.id=${node}`,
        `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
        `listeners=${listeners.join(",")}`,
        `advertised.listeners=INTERNAL://127.0.0.1:${internal.get(node)},EXTERNAL://127.0.0.1:${advertised.get(node)}`,
        "listener.security.protocol.map=INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=INTERNAL",
        "controller.listener.names=CONTROLLER",
        `log.dirs=${path.join(dir, "data")}`,
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=3",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // Elections are the test's to make: nothing moves leaders back by itself.
        "auto.leader.rebalance.enable=false",
        "num.partitions=1",
        "default.replication.factor=2",
        ...Object.entries(opts.serverProps ?? {}).map(([k, v]) => `${k}=${v}`),
        "",
      ];
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, "server.properties");
      fs.writeFileSync(file, props.join("\n"));
      return { dir, file };
    };
    const nodes = ids.map((n) => ({ id: n, ...propsOf(n) }));
    const logProps = (dir: string) => [`-Dlog4j.configuration=file:${log4j}`, `-Dkafka.node.log=${dir}/server.log`];
    await Promise.all(
      nodes.map((n) =>
        run(
          [
            ...JVM,
            "-Xmx128m",
            ...logProps(n.dir),
            "-cp",
            dist.classpath,
            "kafka.tools.StorageTool",
            "format",
            "--cluster-id",
            id,
            "--config",
            n.file,
          ],
          60_000,
        ),
      ),
    );
    for (const n of nodes) {
      const child = spawn(
        "java",
        [...JVM, "-Xmx256m", ...logProps(n.dir), "-cp", dist.classpath, "QuorumChild", "kafka.Kafka", n.file],
        { detached: true, stdio: ["pipe", "ignore", fs.openSync(path.join(n.dir, "stderr.log"), "w")] },
      );
      children.push(child);
    }
    const bootstrap = ids.map((n) => `127.0.0.1:${advertised.get(n)}`);
    const internalAddresses = ids.map((n) => `127.0.0.1:${internal.get(n)}`);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const exited = children.find((c) => c.exitCode !== null || c.signalCode !== null);
      if (exited) throw new Error(`a Kafka 3.9 node exited while starting: see ${dataDir}/node-*/server.log`);
      const brokers = await withPool({ tls: null, sasl: null }, (pool) =>
        fetchMetadata(pool, internalAddresses, 2000, []),
      ).then(
        (md) => md.brokers.length,
        () => 0,
      );
      if (brokers === ids.length) break;
      if (Date.now() > deadline) throw new Error("the Kafka 3.9 cluster did not come up within 120 s");
      await new Promise((r) => setTimeout(r, 250));
    }
    requests.length = 0; // the relays saw nothing of Quorum's yet; start clean anyway
    return {
      version: dist.version,
      bootstrap,
      internal: internalAddresses,
      dataDir,
      requests,
      pids: children.map((c) => c.pid as number),
      startMs: Date.now() - t0,
      spawnTool: (mainClass, args) => {
        const child = spawn(
          "java",
          [
            ...JVM,
            "-Xmx128m",
            "-Dlog4j.configuration=file:/dev/null",
            "-cp",
            dist.classpath,
            "QuorumChild",
            mainClass,
            ...args,
          ],
          { detached: true, stdio: ["pipe", "ignore", "ignore"] },
        );
        children.push(child);
        return { pid: child.pid as number, stop: () => stopJvm(child) };
      },
      tool: (mainClass, args, timeoutMs = 60_000) =>
        run(
          [...JVM, "-Xmx128m", "-Dlog4j.configuration=file:/dev/null", "-cp", dist.classpath, mainClass, ...args],
          timeoutMs,
        ),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * A broker's answer to the ApiVersions request Quorum's pool sends (v3, client "quorum" "1"), on a
 * fresh connection: what it serves, as [API key, oldest, newest version].
 */
export function apiVersionsOf(address: string): Promise<{ apiKey: number; minVersion: number; maxVersion: number }[]> {
  const [host = "", port = ""] = address.split(":");
  const body = apiVersionsV3.createRequest("quorum", "1").buffer;
  const header = Writer.create().appendInt16(18).appendInt16(3).appendInt32(7).appendString("quorum", false);
  header.appendTaggedFields();
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: Number(port) }, () =>
      socket.write(Buffer.concat([size, header.buffer, body])),
    );
    let got = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      got = Buffer.concat([got, chunk]);
      if (got.length < 4 || got.length < 4 + got.readInt32BE(0)) return;
      socket.destroy();
      try {
        // The ApiVersions response header is the correlation id alone.
        const answer = apiVersionsV3.parseResponse(7, 18, 3, Reader.from(got.subarray(8, 4 + got.readInt32BE(0))));
        resolve(answer.apiKeys.map((a) => ({ apiKey: a.apiKey, minVersion: a.minVersion, maxVersion: a.maxVersion })));
      } catch (err) {
        reject(err);
      }
    });
    socket.on("error", reject);
  });
}
