/**
 * Why a node's JVM ended while it was starting, read from what it wrote since it was launched:
 * - "port": Kafka could not listen on one of its ports (another process holds it);
 * - "exporter": the JMX exporter agent could not listen on its port (the JVM ends before Kafka runs);
 * - "other": anything else, with the line that says why, if any (see below).
 */
export type StartFailure =
  | { kind: "port"; port: number; line: string }
  | { kind: "exporter"; line: string }
  | { kind: "other"; line: string | null };

const KAFKA_BIND = /Socket server failed to bind to [^\s:]+:(\d+): Address already in use/;
const BIND = /BindException|Address already in use/;
const AGENT = /Prometheus JMX Exporter|javaagent|io\.prometheus/;
const ERROR_LINE = /\b(ERROR|FATAL)\b/;
/** A Java exception's own line (`pkg.SomeException: why`, or a `Caused by:` one). */
const EXCEPTION_LINE = /^\s*(Caused by: )?[\w$.]+(Exception|Error)(: .+)?$/;

/** Reads a node's start failure from Kafka's log and the JVM's own output (stdout and stderr). */
export function startFailure(output: { serverLog: string; stdout: string }): StartFailure {
  const kafka = KAFKA_BIND.exec(output.serverLog) ?? KAFKA_BIND.exec(output.stdout);
  if (kafka) return { kind: "port", port: Number(kafka[1]), line: lineOf(kafka.input, kafka.index) };
  // The agent runs before Kafka's main: its BindException reaches the JVM's stderr, not Kafka's log.
  const bind = BIND.exec(output.stdout);
  if (bind && AGENT.test(output.stdout)) return { kind: "exporter", line: lineOf(bind.input, bind.index) };
  // Kafka's first ERROR line is often a wrapper ("Fatal error during broker startup"): the
  // exception's own line after it says why.
  const lines = `${output.serverLog}\n${output.stdout}`.split("\n");
  const first = lines.findIndex((l) => ERROR_LINE.test(l));
  const cause = lines.find((l, i) => i > first && EXCEPTION_LINE.test(l));
  // Without either, the JVM's own last word (e.g. "Error: Could not find or load main class …").
  const jvm = output.stdout.split("\n").findLast((l) => l.trim() !== "");
  const line = first < 0 ? (lines.find((l) => EXCEPTION_LINE.test(l)) ?? jvm ?? null) : (cause ?? lines[first] ?? null);
  return { kind: "other", line: line?.trim() ?? null };
}

function lineOf(text: string, at: number): string {
  const start = text.lastIndexOf("\n", at) + 1;
  const end = text.indexOf("\n", at);
  return text.slice(start, end < 0 ? undefined : end).trim();
}
