#!/usr/bin/env node
// Prepares the Apache Kafka jars that Quorum's embedded cluster runs on.
// Idempotent: does nothing when .cache/kafka already matches kafka/pom.xml and the launcher sources.
// With KAFKA_HOME set, its libs/ are used instead of fetching from Maven Central.
//
// Another Kafka version, for tests against older brokers (npm run kafka:fetch:3.9):
//   node scripts/kafka-fetch.mjs --version 3.9.1 --dir .cache/kafka-3.9
// resolves the same pom with that version (Kafka 3.x brings its own reload4j logging) and compiles
// only QuorumChild (the stdin watchdog any Kafka main class can run under); QuorumNode is written
// against the pom's version and stays out. KAFKA_HOME applies to the default version only.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const kafkaDir = path.join(root, "kafka");
const pom = path.join(kafkaDir, "pom.xml");
const pomVersion = /<kafka\.version>([^<]+)</.exec(readFileSync(pom, "utf8"))?.[1] ?? "unknown";

function fail(sentence) {
  console.error(`kafka:fetch: ${sentence}`);
  process.exit(1);
}

/** --version X and --dir D (also --version=X); nothing else is accepted. */
function parseArgs(argv) {
  const out = { version: null, dir: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag !== "--version" && flag !== "--dir")
      fail(`unknown argument ${argv[i]}: use --version <x.y.z> --dir <path>`);
    const value = inline ?? argv[++i];
    if (!value) fail(`${flag} needs a value`);
    out[flag.slice(2)] = value;
  }
  if (out.version !== null && !/^\d+\.\d+\.\d+$/.test(out.version))
    fail(`--version ${out.version} is not a Kafka release number such as 3.9.1`);
  return out;
}

const args = parseArgs(process.argv.slice(2));
const kafkaVersion = args.version ?? pomVersion;
const isPomVersion = kafkaVersion === pomVersion;
const cacheDir = args.dir
  ? path.resolve(root, args.dir)
  : isPomVersion
    ? path.join(root, ".cache", "kafka")
    : path.join(root, ".cache", `kafka-${kafkaVersion}`);
// Kafka 4 dropped log4j 1 (reload4j); Kafka 3.x's pom brings it with its slf4j binding.
const mavenProps = isPomVersion
  ? []
  : [
      `-Dkafka.version=${kafkaVersion}`,
      ...(Number(kafkaVersion.split(".")[0]) < 4 ? ["-Dkafka.logging=reload4j"] : []),
    ];
// QuorumNode runs a node; QuorumChild runs any Kafka tool (the demo's console consumer). Both exit
// when their stdin, held open by Quorum, closes. Only QuorumChild for another version (see above).
const launchers = (isPomVersion ? ["QuorumNode.java", "QuorumChild.java"] : ["QuorumChild.java"]).map((f) =>
  path.join(kafkaDir, "src", f),
);

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

const kafkaHome = process.env.KAFKA_HOME && isPomVersion ? path.resolve(process.env.KAFKA_HOME) : null;
const stamp = createHash("sha256")
  .update(readFileSync(pom))
  .update(mavenProps.join(" "))
  .update(Buffer.concat(launchers.map((f) => readFileSync(f))))
  .update("agents/jmx_prometheus_javaagent.jar")
  .update(kafkaHome ?? "")
  .digest("hex");
const stampFile = path.join(cacheDir, "stamp");

if (existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === stamp) {
  console.log(
    `kafka:fetch: ${kafkaHome ? `KAFKA_HOME ${kafkaHome}` : `Apache Kafka ${kafkaVersion}`} is ready in ${path.relative(root, cacheDir)} (nothing to do)`,
  );
  process.exit(0);
}

/** The pom's dependencies (as `options` select them) copied into `dir` by Maven. */
function copyDependencies(dir, options) {
  execFileSync("mvn", ["-B", "-q", "-f", pom, "dependency:copy-dependencies", `-DoutputDirectory=${dir}`, ...options], {
    stdio: "inherit",
  });
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
    copyDependencies(libs, ["-DincludeScope=runtime", ...mavenProps]);
  }
  // The JMX exporter is a javaagent, not a library of Kafka's: it goes to agents/, off the classpath.
  const agents = path.join(staging, "agents");
  mkdirSync(agents, { recursive: true });
  if (!kafkaHome) {
    for (const f of readdirSync(libs).filter((n) => n.startsWith("jmx_prometheus_javaagent-"))) {
      renameSync(path.join(libs, f), path.join(agents, "jmx_prometheus_javaagent.jar"));
    }
  } else if (has("mvn")) {
    copyDependencies(agents, ["-DincludeArtifactIds=jmx_prometheus_javaagent", "-DstripVersion=true"]);
  } else {
    console.log("kafka:fetch: no Maven, so no JMX exporter: the lab's nodes will run without broker metrics");
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
