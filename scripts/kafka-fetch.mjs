#!/usr/bin/env node
// Prepares the Apache Kafka jars that Quorum's embedded cluster runs on.
// Idempotent: does nothing when .cache/kafka already matches kafka/pom.xml and the launcher sources.
// With KAFKA_HOME set, its libs/ are used instead of fetching from Maven Central.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const kafkaDir = path.join(root, "kafka");
const cacheDir = path.join(root, ".cache", "kafka");
const pom = path.join(kafkaDir, "pom.xml");
// QuorumNode runs a node; QuorumChild runs any Kafka tool (the demo's console consumer). Both exit
// when their stdin, held open by Quorum, closes.
const launchers = ["QuorumNode.java", "QuorumChild.java"].map((f) => path.join(kafkaDir, "src", f));

function fail(sentence) {
  console.error(`kafka:fetch: ${sentence}`);
  process.exit(1);
}

function javaMajor() {
  const r = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return null;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(r.stderr);
  if (!m) return null;
  const major = Number(m[1]);
  return major === 1 ? Number(m[2]) : major;
}

function has(cmd) {
  return spawnSync(cmd, ["-version"], { stdio: "ignore" }).status === 0;
}

const major = javaMajor();
if (major === null || major < 17) {
  fail(
    `Quorum runs Kafka on Java 17 or newer, and ${major === null ? "no java was found on PATH" : `java on PATH is ${major}`}: install a JDK 17+ (Debian: apt-get install openjdk-17-jdk-headless).`,
  );
}
if (!has("javac")) {
  fail(
    "Quorum compiles a small node launcher with javac: install a JDK, not only a JRE (Debian: apt-get install openjdk-17-jdk-headless).",
  );
}

const kafkaHome = process.env.KAFKA_HOME ? path.resolve(process.env.KAFKA_HOME) : null;
const kafkaVersion = /<kafka\.version>([^<]+)</.exec(readFileSync(pom, "utf8"))?.[1] ?? "unknown";
const stamp = createHash("sha256")
  .update(readFileSync(pom))
  .update(Buffer.concat(launchers.map((f) => readFileSync(f))))
  .update(kafkaHome ?? "")
  .digest("hex");
const stampFile = path.join(cacheDir, "stamp");

if (existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === stamp) {
  console.log(
    `kafka:fetch: ${kafkaHome ? `KAFKA_HOME ${kafkaHome}` : `Apache Kafka ${kafkaVersion}`} is ready in ${path.relative(root, cacheDir)} (nothing to do)`,
  );
  process.exit(0);
}

const staging = `${cacheDir}.tmp-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
let libs;
try {
  if (kafkaHome) {
    libs = path.join(kafkaHome, "libs");
    if (!existsSync(libs))
      fail(
        `KAFKA_HOME is ${kafkaHome}, but it has no libs/ folder: point it at an unpacked Apache Kafka distribution.`,
      );
  } else {
    if (!has("mvn")) {
      fail(
        "Quorum fetches Apache Kafka from Maven Central with Maven: install it (Debian: apt-get install maven), or set KAFKA_HOME to an unpacked Apache Kafka distribution.",
      );
    }
    console.log(`kafka:fetch: resolving Apache Kafka ${kafkaVersion} from Maven Central…`);
    libs = path.join(staging, "libs");
    execFileSync(
      "mvn",
      ["-B", "-q", "-f", pom, "dependency:copy-dependencies", `-DoutputDirectory=${libs}`, "-DincludeScope=runtime"],
      { stdio: "inherit" },
    );
  }
  const classes = path.join(staging, "classes");
  execFileSync("javac", ["-nowarn", "-cp", `${libs}/*`, "-d", classes, ...launchers], { stdio: "inherit" });
  writeFileSync(path.join(staging, "dist.json"), `${JSON.stringify({ version: kafkaVersion, kafkaHome }, null, 2)}\n`);
  writeFileSync(path.join(staging, "stamp"), `${stamp}\n`);
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(path.dirname(cacheDir), { recursive: true });
  renameSync(staging, cacheDir);
} catch (err) {
  rmSync(staging, { recursive: true, force: true });
  fail(`could not prepare Kafka: ${err instanceof Error ? err.message : String(err)}`);
}
console.log(
  `kafka:fetch: ${kafkaHome ? `using KAFKA_HOME ${kafkaHome}` : `Apache Kafka ${kafkaVersion}`} ready in ${path.relative(root, cacheDir)}`,
);
