import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const root = path.resolve(__dirname, "../..");

/** Kafka's jars as `npm run kafka:fetch` prepared them (its own, or KAFKA_HOME's libs). */
export function kafkaLibs(): string {
  const cache = path.join(root, ".cache", "kafka");
  const dist = JSON.parse(fs.readFileSync(path.join(cache, "dist.json"), "utf8")) as { kafkaHome: string | null };
  return dist.kafkaHome ? path.join(dist.kafkaHome, "libs") : path.join(cache, "libs");
}

/**
 * Every config of each topic, as Kafka's own `kafka-configs --describe --all` reports it: an
 * independent client (Kafka's Java AdminClient in one JVM), not Quorum's wire code. Sensitive
 * values come back as `null` from the tool and are compared as such.
 */
export async function kafkaTopicConfigs(
  bootstrap: string[],
  topics: string[],
): Promise<Record<string, Record<string, string>>> {
  const args = [
    "-Xmx128m",
    "-XX:TieredStopAtLevel=1",
    "-XX:+UseSerialGC",
    "-cp",
    `${kafkaLibs()}${path.sep}*`,
    "org.apache.kafka.tools.ConfigCommand",
    "--bootstrap-server",
    bootstrap.join(","),
    // The tool describes one --entity-name at most: without one it describes every topic, still one JVM.
    "--entity-type",
    "topics",
    "--describe",
    "--all",
  ];
  const { stdout } = await execFileAsync("java", args, { timeout: 120_000, maxBuffer: 64 << 20 });
  const all = parseDescribe(stdout);
  return Object.fromEntries(topics.filter((t) => t in all).map((t) => [t, all[t] ?? {}]));
}

/**
 * Parses `kafka-configs --describe --all` output:
 * `All configs for topic orders are:` then one `  name=value sensitive=false synonyms={…}` per config.
 */
export function parseDescribe(out: string): Record<string, Record<string, string>> {
  const result: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | null = null;
  for (const line of out.split("\n")) {
    const head = /^All configs for topic (.+) are:$/.exec(line.trim());
    if (head?.[1]) {
      current = {};
      result[head[1]] = current;
      continue;
    }
    const entry = /^\s+([^=\s]+)=(.*?) sensitive=(?:true|false) synonyms=/.exec(line);
    if (entry?.[1] && current) current[entry[1]] = entry[2] ?? "";
  }
  return result;
}

/** One of Kafka's own tools (its main class) with these arguments, in a JVM of its own; its stdout. */
export function kafkaTool(mainClass: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "java",
      [
        "-Xmx128m",
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-cp",
        `${kafkaLibs()}${path.sep}*`,
        mainClass,
        ...args,
      ],
      { encoding: "utf8", timeout: 120_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${mainClass} ${args.join(" ")} failed: ${err.message}\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}
