import "server-only";
import fs from "node:fs";
import path from "node:path";

export interface KafkaDist {
  version: string;
  classpath: string;
  log4jConfig: string;
  /** The JMX exporter's javaagent jar and its rules, when `kafka:fetch` prepared it. */
  exporter: { jar: string; config: string } | null;
}

/**
 * Where the Kafka jars are: .cache/kafka as prepared by `npm run kafka:fetch` (from the pinned pom,
 * or from KAFKA_HOME/libs when it was set). One clear sentence when they are missing.
 */
export function resolveKafkaDist(root = process.cwd()): KafkaDist {
  const cache = path.join(root, ".cache", "kafka");
  const distFile = path.join(cache, "dist.json");
  if (!fs.existsSync(distFile)) {
    throw new Error("Kafka is not prepared: run `npm run kafka:fetch` (needs Java 17+ and Maven, or KAFKA_HOME).");
  }
  const dist = JSON.parse(fs.readFileSync(distFile, "utf8")) as { version: string; kafkaHome: string | null };
  const agent = path.join(cache, "agents", "jmx_prometheus_javaagent.jar");
  const libs = dist.kafkaHome ? path.join(dist.kafkaHome, "libs") : path.join(cache, "libs");
  return {
    version: dist.version,
    classpath: `${path.join(cache, "classes")}${path.delimiter}${libs}${path.sep}*`,
    log4jConfig: path.join(root, "kafka", "log4j2.xml"),
    exporter: fs.existsSync(agent) ? { jar: agent, config: path.join(root, "kafka", "jmx-exporter.yaml") } : null,
  };
}
