import "server-only";
import { type ChildProcess, spawn } from "node:child_process";
import { resolveKafkaDist } from "../embedded/kafka-dist";
import { logger } from "../logger";

/** What the demo workload needs of a child process it runs: its pid, and a stop that waits for the exit. */
export interface WorkloadProcess {
  readonly pid: number | null;
  /** Ends the process (SIGTERM by its pid, SIGKILL after `graceMs`) and resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface ConsoleConsumerSpec {
  bootstrap: string[];
  topic: string;
  groupId: string;
  /** `consumer`: KIP-848 (ConsumerGroupHeartbeat); `classic`: JoinGroup/SyncGroup. */
  protocol: "consumer" | "classic";
  clientId: string;
  /** Called once per message read (the consumer prints one line per message). */
  onMessage?: () => void;
  /** Called when the process exits by itself (not by stop), with its last line on stderr. */
  onExit?: (info: { code: number | null; signal: NodeJS.Signals | null; lastError: string | null }) => void;
  heapMb?: number;
  /** The Kafka classpath (defaults to `.cache/kafka`'s, see resolveKafkaDist). */
  classpath?: string;
}

/** Kafka 4.4's console consumer, in kafka-tools. */
export const CONSOLE_CONSUMER_CLASS = "org.apache.kafka.tools.consumer.ConsoleConsumer";

/** The java command line that runs Kafka's console consumer under QuorumChild's stdin watchdog. */
export function consoleConsumerArgs(spec: ConsoleConsumerSpec, classpath: string): string[] {
  return [
    `-Xmx${spec.heapMb ?? 96}m`,
    "-Xms16m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Djava.awt.headless=true",
    "-cp",
    classpath,
    "QuorumChild",
    CONSOLE_CONSUMER_CLASS,
    "--bootstrap-server",
    spec.bootstrap.join(","),
    "--topic",
    spec.topic,
    "--group",
    spec.groupId,
    "--command-property",
    `group.protocol=${spec.protocol}`,
    "--command-property",
    `client.id=${spec.clientId}`,
  ];
}

/**
 * Runs Kafka's own console consumer (a JVM) in a group: kafkajs cannot speak the KIP-848 consumer
 * protocol. It runs as QuorumChild, which exits when its stdin (a pipe held by this process)
 * closes, so it never outlives Quorum, even one that is SIGKILLed; in its own process group, so a
 * terminal's Ctrl-C reaches Quorum only. Its messages are counted, not kept.
 */
export function startConsoleConsumer(spec: ConsoleConsumerSpec): WorkloadProcess {
  const classpath = spec.classpath ?? resolveKafkaDist().classpath;
  const child: ChildProcess = spawn("java", consoleConsumerArgs(spec, classpath), {
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  child.stdin?.on("error", () => {});
  let stopping = false;
  let lastError: string | null = null;
  let reported = false;
  const report = (code: number | null, signal: NodeJS.Signals | null) => {
    if (stopping || reported) return;
    reported = true;
    spec.onExit?.({ code, signal, lastError });
  };
  child.stdout?.on("data", (chunk: Buffer) => {
    if (!spec.onMessage) return;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) spec.onMessage();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    const lines = chunk
      .toString("utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    if (lines.length > 0) lastError = (lines.at(-1) as string).slice(0, 500);
  });
  const exited = new Promise<void>((resolve) => {
    child.once("error", (err) => {
      lastError = err.message;
      logger.error({ group: spec.groupId, err: err.message }, "could not start the console consumer's JVM");
      if (child.pid === undefined) {
        report(null, null);
        resolve();
      }
    });
    child.once("close", (code, signal) => {
      logger.info({ group: spec.groupId, pid: child.pid, code, signal }, "console consumer exited");
      report(code, signal);
      resolve();
    });
  });
  logger.info({ group: spec.groupId, protocol: spec.protocol, pid: child.pid }, "console consumer starting");
  return {
    pid: child.pid ?? null,
    async stop(graceMs = 10_000) {
      stopping = true;
      const pid = child.pid;
      if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(pid, "SIGTERM");
        } catch {
          // already gone
        }
        const timer = setTimeout(() => {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // already gone
          }
        }, graceMs);
        await exited;
        clearTimeout(timer);
      }
      child.stdin?.end();
      await exited;
    },
  };
}
