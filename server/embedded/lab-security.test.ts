import { execFileSync } from "node:child_process";
import { pbkdf2Sync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  credentialRecorded,
  ensureLabSecurity,
  recordCredential,
  redact,
  scramConfigFile,
  scramFormatArg,
} from "./lab-security";

const hasKeytool = (() => {
  try {
    execFileSync("keytool", ["-help"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-sec-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const mode = (f: string) => fs.statSync(f).mode & 0o777;

describe.skipIf(!hasKeytool)("ensureLabSecurity", () => {
  it("makes a CA, a broker certificate for 127.0.0.1 and localhost, and 0600 secrets, once", async () => {
    const dataDir = tempDir();
    const sec = await ensureLabSecurity(dataDir, { ports: "auto", user: "quorum", password: null });
    expect(mode(sec.dir)).toBe(0o700);
    for (const f of ["store.password", "sasl.password", "ca.p12", "broker.p12"]) {
      expect(mode(path.join(sec.dir, f))).toBe(0o600);
    }
    expect(fs.readFileSync(path.join(sec.dir, "sasl.password"), "utf8").trim()).toBe(sec.password);
    expect(sec.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(sec.storePassword).not.toBe(sec.password);
    expect(fs.readFileSync(sec.caPem, "utf8")).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(sec.truststore).toBe(sec.caPem);
    expect(fs.readdirSync(sec.dir).sort()).toEqual([
      "broker.p12",
      "ca.p12",
      "ca.pem",
      "sasl.password",
      "store.password",
    ]);
    // The broker's entry: a key with its chain (broker certificate signed by the lab CA) and the SAN.
    const list = execFileSync(
      "keytool",
      ["-list", "-v", "-alias", "broker", "-keystore", sec.keystore, "-storepass:env", "P"],
      { env: { ...process.env, P: sec.storePassword }, encoding: "utf8" },
    );
    expect(list).toMatch(/Entry type: PrivateKeyEntry/);
    expect(list).toMatch(/Certificate chain length: 2/);
    expect(list).toMatch(/Issuer: CN=Quorum lab CA/);
    expect(list).toMatch(/IPAddress: 127\.0\.0\.1/);
    expect(list).toMatch(/DNSName: localhost/);
    // A second start reuses all of it.
    const before = fs.readFileSync(sec.keystore);
    const again = await ensureLabSecurity(dataDir, { ports: "auto", user: "quorum", password: null });
    expect(again).toEqual(sec);
    expect(fs.readFileSync(again.keystore).equals(before)).toBe(true);
    // A password from the environment is used as is and not written down.
    const given = await ensureLabSecurity(dataDir, { ports: "auto", user: "alice", password: "from-env-123" });
    expect(given).toMatchObject({ user: "alice", password: "from-env-123" });
    expect(fs.readFileSync(path.join(sec.dir, "sasl.password"), "utf8").trim()).toBe(sec.password);
  }, 60_000);
});

describe("SCRAM credentials", () => {
  it("gives format a salted password (RFC 5802 Hi over SHA-512), not the password", () => {
    const salt = Buffer.from("0123456789abcdef");
    const arg = scramFormatArg("quorum", "s3cret-pass", salt);
    expect(arg).not.toContain("s3cret-pass");
    const want = pbkdf2Sync("s3cret-pass", salt, 8192, 64, "sha512").toString("base64");
    expect(arg).toBe(
      `SCRAM-SHA-512=[name=quorum,iterations=8192,salt="${salt.toString("base64")}",saltedpassword="${want}"]`,
    );
  });

  it("writes the kafka-configs file for a password", () => {
    expect(scramConfigFile("pw-1")).toBe("SCRAM-SHA-512=iterations=8192,password=pw-1\n");
  });

  it("records a user and password and recognises only that pair", () => {
    const dir = tempDir();
    // A '-' is outside base64's alphabet: the random salt and check in the file can never hold it.
    const sec = {
      dir,
      caPem: "",
      keystore: "",
      truststore: "",
      storePassword: "x",
      user: "quorum",
      password: "pw-one",
    };
    expect(credentialRecorded(sec)).toBe(false);
    recordCredential(sec);
    expect(mode(path.join(dir, "sasl-user.json"))).toBe(0o600);
    expect(fs.readFileSync(path.join(dir, "sasl-user.json"), "utf8")).not.toContain("pw-one");
    expect(credentialRecorded(sec)).toBe(true);
    expect(credentialRecorded({ ...sec, password: "pw-two" })).toBe(false);
    expect(credentialRecorded({ ...sec, user: "other" })).toBe(false);
  });

  it("redacts secrets and salted passwords from a message", () => {
    const msg = `Command failed: java x SCRAM-SHA-512=[name=q,salt="AA==",saltedpassword="QkJC"] pw=hunter22
UserScramCredentialRecord(name='q', mechanism=2, salt=[1, 2], storedKey=[0, 96, -41], serverKey=[-62, 17], iterations=8192)`;
    const out = redact(msg, ["hunter22"]);
    expect(out).not.toContain("hunter22");
    expect(out).not.toContain("QkJC");
    expect(out).toContain('saltedpassword="[redacted]"');
    expect(out).toContain("storedKey=[redacted], serverKey=[redacted]");
    expect(out).not.toMatch(/-41|-62/);
  });
});
