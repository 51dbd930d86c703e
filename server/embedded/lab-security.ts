import "server-only";
import { execFile } from "node:child_process";
import { pbkdf2Sync, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { LabSaslConfig } from "../config";

const execFileAsync = promisify(execFile);

/** SCRAM-SHA-512 as Kafka stores it: PBKDF2-HMAC-SHA512 (RFC 5802's Hi) at this many iterations. */
export const SCRAM_MECHANISM = "SCRAM-SHA-512";
const SCRAM_ITERATIONS = 8192;

/** The environment variable keytool reads the store password from (`-storepass:env`), never an argument. */
const PASS_ENV = "QUORUM_LAB_STORE_PASS";

/**
 * What the lab's SASL_SSL listener needs, all under `<data dir>/security` (mode 0700): a lab CA
 * (`ca.p12`, its certificate as `ca.pem` for clients and as the brokers' truststore), the brokers' PKCS12 keystore,
 * the stores' password (`store.password`) and, unless QUORUM_LAB_SASL_PASSWORD gives one, the SCRAM
 * user's password (`sasl.password`), each file mode 0600. Made once, reused on every later start.
 */
export interface LabSecurity {
  dir: string;
  caPem: string;
  keystore: string;
  /** The brokers' truststore: the CA as PEM (Kafka reads PEM truststores), the same file clients use. */
  truststore: string;
  storePassword: string;
  user: string;
  password: string;
}

export function securityDir(dataDir: string): string {
  return path.join(dataDir, "security");
}

function randomSecret(): string {
  return randomBytes(24).toString("base64url");
}

/** A secret kept in a 0600 file: read it, or make one and write it (exclusively: a second writer loses). */
function keptSecret(file: string): string {
  try {
    const kept = fs.readFileSync(file, "utf8").trim();
    if (kept) return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const secret = randomSecret();
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

async function keytool(args: string[], storePassword: string, stdin?: string): Promise<string> {
  // Short-lived JVMs: C1 only, serial GC and a small heap start and finish faster on a busy machine.
  const jvm = ["-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xmx64m"];
  const run = execFileAsync("keytool", [...args, ...jvm], {
    env: { ...process.env, [PASS_ENV]: storePassword },
    timeout: 60_000,
    encoding: "utf8",
  });
  run.child.stdin?.end(stdin ?? "");
  try {
    return (await run).stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message?: string };
    // keytool's own words (it never echoes the password: it is read from the environment).
    const why = (e.stdout || e.stderr || e.message || "failed").trim().split("\n").slice(-3).join(" ");
    throw new Error(`keytool ${args[0]} failed: ${why}`);
  }
}

/**
 * The lab CA and a broker certificate signed by it (SAN IP:127.0.0.1, DNS:localhost), with the
 * JDK's keytool: EC P-256 keys (fast to make), PKCS12 keystores, the CA exported as PEM.
 */
async function makeCertificates(dir: string, storePassword: string): Promise<void> {
  const pass = [`-storepass:env`, PASS_ENV];
  const keypass = [`-keypass:env`, PASS_ENV];
  const tmp = fs.mkdtempSync(path.join(dir, "making-"));
  const at = (f: string) => path.join(tmp, f);
  try {
    const gen = (store: string, alias: string, dname: string, ext: string[]) =>
      keytool(
        [
          "-genkeypair",
          "-alias",
          alias,
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-sigalg",
          "SHA256withECDSA",
          "-validity",
          "3650",
          "-dname",
          dname,
          ...ext,
          "-storetype",
          "PKCS12",
          "-keystore",
          at(store),
          ...pass,
          ...keypass,
        ],
        storePassword,
      );
    await Promise.all([
      gen("ca.p12", "ca", "CN=Quorum lab CA", ["-ext", "bc:c"]),
      gen("broker.p12", "broker", "CN=localhost", []),
    ]);
    const [caPem, csr] = await Promise.all([
      keytool(["-exportcert", "-rfc", "-alias", "ca", "-keystore", at("ca.p12"), ...pass], storePassword),
      keytool(["-certreq", "-alias", "broker", "-keystore", at("broker.p12"), ...pass], storePassword),
    ]);
    fs.writeFileSync(at("ca.pem"), caPem, { mode: 0o644 });
    const signed = await keytool(
      [
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        at("ca.p12"),
        ...pass,
        "-validity",
        "3650",
        "-ext",
        "SAN=IP:127.0.0.1,DNS:localhost",
        "-ext",
        "KU=digitalSignature",
        "-ext",
        "EKU=serverAuth",
      ],
      storePassword,
      csr,
    );
    // The signed certificate followed by the CA's: keytool installs the whole chain under "broker".
    fs.writeFileSync(at("chain.pem"), `${signed.trim()}\n${caPem.trim()}\n`);
    await keytool(
      [
        "-importcert",
        "-noprompt",
        "-alias",
        "broker",
        "-file",
        at("chain.pem"),
        "-keystore",
        at("broker.p12"),
        ...pass,
        ...keypass,
      ],
      storePassword,
    );
    for (const f of ["ca.p12", "broker.p12"]) {
      fs.chmodSync(at(f), 0o600);
      fs.renameSync(at(f), path.join(dir, f));
    }
    // ca.pem last: its presence says the set is complete.
    fs.renameSync(at("ca.pem"), path.join(dir, "ca.pem"));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The lab's secrets folder and passwords (made on first use, then reused), and where its
 * certificates go; `ensureCertificates` makes those, so that it can run beside storage formatting.
 */
export function labSecrets(dataDir: string, sasl: LabSaslConfig): LabSecurity {
  const dir = securityDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  return {
    dir,
    caPem: path.join(dir, "ca.pem"),
    keystore: path.join(dir, "broker.p12"),
    truststore: path.join(dir, "ca.pem"),
    storePassword: keptSecret(path.join(dir, "store.password")),
    user: sasl.user,
    password: sasl.password ?? keptSecret(path.join(dir, "sasl.password")),
  };
}

/** Makes the CA, the broker certificate and the stores on first start; reuses them after. */
export async function ensureCertificates(security: LabSecurity): Promise<void> {
  const files = [path.join(security.dir, "ca.p12"), security.keystore, security.caPem];
  if (!files.every((f) => fs.existsSync(f))) await makeCertificates(security.dir, security.storePassword);
}

/** Makes (first start) or reuses the lab's certificates, stores and passwords. */
export async function ensureLabSecurity(dataDir: string, sasl: LabSaslConfig): Promise<LabSecurity> {
  const security = labSecrets(dataDir, sasl);
  await ensureCertificates(security);
  return security;
}

/**
 * The `kafka-storage format --add-scram` value for a user, given as salt and salted password
 * (PBKDF2-HMAC-SHA512, which is SCRAM-SHA-512's Hi) so that the password itself is on no command line.
 */
export function scramFormatArg(user: string, password: string, salt = randomBytes(24)): string {
  const salted = pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 64, "sha512");
  return `${SCRAM_MECHANISM}=[name=${user},iterations=${SCRAM_ITERATIONS},salt="${salt.toString("base64")}",saltedpassword="${salted.toString("base64")}"]`;
}

/** The `kafka-configs --add-config-file` content that sets a user's SCRAM-SHA-512 password. */
export function scramConfigFile(password: string): string {
  // The file form takes the value without the brackets --add-config needs.
  return `${SCRAM_MECHANISM}=iterations=${SCRAM_ITERATIONS},password=${password}\n`;
}

const MARKER = "sasl-user.json";

/**
 * Whether the cluster in this data directory was given this user and password (by format or by
 * kafka-configs): a record with a scrypt check of the password, kept beside the other secrets.
 */
export function credentialRecorded(security: LabSecurity): boolean {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(security.dir, MARKER), "utf8")) as {
      user?: string;
      salt?: string;
      check?: string;
    };
    if (m.user !== security.user || !m.salt || !m.check) return false;
    const want = Buffer.from(m.check, "base64");
    const got = scryptSync(security.password, Buffer.from(m.salt, "base64"), want.length || 32);
    return want.length === got.length && timingSafeEqual(want, got);
  } catch {
    return false;
  }
}

export function recordCredential(security: LabSecurity): void {
  const salt = randomBytes(16);
  const check = scryptSync(security.password, salt, 32);
  fs.writeFileSync(
    path.join(security.dir, MARKER),
    `${JSON.stringify({ user: security.user, mechanism: SCRAM_MECHANISM, salt: salt.toString("base64"), check: check.toString("base64") })}\n`,
    { mode: 0o600 },
  );
}

/** Removes every secret from a text (an error message from a child process, say) before it goes anywhere. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join("[redacted]");
  // kafka-storage's argument, and the bootstrap record it prints (salt and keys).
  return out
    .replace(/saltedpassword="[^"]*"/g, 'saltedpassword="[redacted]"')
    .replace(/(storedKey|serverKey)=\[[^\]]*\]/g, "$1=[redacted]");
}
