import fs from "node:fs";

/**
 * Why a node's JVM ended while it was starting, read from what it wrote since it was launched:
 * - "port": Kafka could not listen on one of its ports (another process holds it);
 * - "exporter": the JMX exporter agent could not listen on its port (the JVM ends before Kafka runs);
 * - "other": anything else, with the first error line it wrote, if any.
 */
export type StartFailure =
  | { kind: "port"; port: number; line: string }
  | { kind: "exporter"; line: string }
  | { kind: "other"; line: string | null };

const KAFKA_BIND = /Socket server failed to bind to [^\s:]+:(\d+)/;
const BIND = /BindException|Address already in use/;
const AGENT = /Prometheus JMX Exporter|javaagent|io\.prometheus/;
const ERROR_LINE = /\b(ERROR|FATAL)\b|Exception|Error:/;

/** Reads a node's start failure from Kafka's log and the JVM's own output (stdout and stderr). */
export function startFailure(output: { serverLog: string; stdout: string }): StartFailure {
  const kafka = KAFKA_BIND.exec(output.serverLog) ?? KAFKA_BIND.exec(output.stdout);
  if (kafka) return { kind: "port", port: Number(kafka[1]), line: lineOf(kafka.input, kafka.index) };
  // The agent runs before Kafka's main: its BindException reaches the JVM's stderr, not Kafka's log.
  const bind = BIND.exec(output.stdout);
  if (bind && AGENT.test(output.stdout)) return { kind: "exporter", line: lineOf(bind.input, bind.index) };
  const lines = `${output.serverLog}\n${output.stdout}`.split("\n");
  return { kind: "other", line: lines.find((l) => ERROR_LINE.test(l))?.trim() ?? null };
}

function lineOf(text: string, at: number): string {
  const start = text.lastIndexOf("\n", at) + 1;
  const end = text.indexOf("\n", at);
  return text.slice(start, end < 0 ? undefined : end).trim();
}

/** The bytes each file holds now (0 when it does not exist yet): where a new launch's output begins. */
export function fileSizes(files: string[]): number[] {
  return files.map((f) => {
    try {
      return fs.statSync(f).size;
    } catch {
      return 0;
    }
  });
}

/** What each file gained after `from` (its size at launch), up to `maxBytes` from that point. */
export function readSince(files: string[], from: number[], maxBytes = 256 * 1024): string[] {
  return files.map((f, i) => {
    let fd: number | null = null;
    try {
      fd = fs.openSync(f, "r");
      const start = from[i] ?? 0;
      const size = fs.fstatSync(fd).size;
      const length = Math.max(0, Math.min(size - start, maxBytes));
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, start);
      return buf.toString("utf8");
    } catch {
      return "";
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
  });
}
