import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { httpErrorOf } from "../errors";
import {
  type ClusterDefinition,
  definitionOf,
  entryOf,
  loadClusterConfigFile,
  loadConfigFile,
  resolveConnection,
  securityOf,
} from "./cluster-config";

/** Two self-signed certificates and their keys (openssl), in a folder of their own. */
let pemDir: string;
const pemFile = (name: string) => path.join(pemDir, name);
beforeAll(() => {
  pemDir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-pem-"));
  for (const name of ["a", "b"]) {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1"].concat([
        "-subj",
        `/CN=${name}`,
        "-keyout",
        pemFile(`${name}.key`),
        "-out",
        pemFile(`${name}.pem`),
      ]),
      { stdio: "ignore" },
    );
  }
  fs.writeFileSync(pemFile("secret.txt"), "AWS_SECRET_ACCESS_KEY=do-not-echo-me\n");
});
afterAll(() => fs.rmSync(pemDir, { recursive: true, force: true }));

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function writeConfig(content: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-config-"));
  dirs.push(dir);
  const file = path.join(dir, "quorum.config.json");
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

const loadError = (file: string, env: Record<string, string> = {}) => {
  try {
    loadClusterConfigFile(file, { env });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the file to be refused");
};

describe("loadClusterConfigFile", () => {
  it("reads plaintext clusters with their names and read-only flags", () => {
    const file = writeConfig({
      clusters: [
        { id: "prod", name: "Production", bootstrap: ["k1:9092", "k2:9092"], readOnly: true },
        { id: "staging", bootstrap: ["s1:9092"] },
      ],
    });
    expect(loadClusterConfigFile(file)).toEqual([
      {
        id: "prod",
        name: "Production",
        bootstrap: ["k1:9092", "k2:9092"],
        readOnly: true,
        tls: null,
        sasl: null,
        metrics: null,
        origin: "config-file",
      },
      {
        id: "staging",
        name: "staging",
        bootstrap: ["s1:9092"],
        readOnly: false,
        tls: null,
        sasl: null,
        metrics: null,
        origin: "config-file",
      },
    ]);
  });

  it("names the file, the entry and the field of a bad value", () => {
    const file = writeConfig({
      clusters: [
        { id: "ok", bootstrap: ["k:9092"] },
        { id: "prod", bootstrap: ["k1"] },
      ],
    });
    expect(loadError(file)).toBe(
      `${file}: clusters[1] ("prod"): bootstrap[0]: a bootstrap server is host:port, e.g. kafka-1.example.com:9092`,
    );
  });

  it("names an entry without an id by its index", () => {
    const file = writeConfig({ clusters: [{ bootstrap: ["k:9092"] }] });
    expect(loadError(file)).toBe(`${file}: clusters[0]: id: id is required`);
  });

  it("refuses invalid JSON, a missing list and duplicate ids", () => {
    expect(loadError(writeConfig("{ clusters: "))).toMatch(/quorum\.config\.json: not valid JSON/);
    const noList = writeConfig({ cluster: [] });
    expect(loadError(noList)).toMatch(new RegExp(`^${noList}: `));
    const dup = writeConfig({
      clusters: [
        { id: "a", bootstrap: ["k:1"] },
        { id: "a", bootstrap: ["k:2"] },
      ],
    });
    expect(loadError(dup)).toBe(`${dup}: clusters[1] ("a"): id: another entry already has the id "a"`);
  });

  it("accepts TLS and SASL once their files are PEM and their variables set; paths are relative to the file", () => {
    const file = writeConfig({ clusters: [{ id: "tls", bootstrap: ["k:9093"], tls: { ca: "missing-ca.pem" } }] });
    expect(loadError(file)).toMatch(/clusters\[0\] \("tls"\): tls\.ca: cannot read .*missing-ca\.pem \(ENOENT\)/);
    const withCa = writeConfig({ clusters: [{ id: "tls", bootstrap: ["k:9093"], tls: { ca: "ca.pem" } }] });
    fs.copyFileSync(pemFile("a.pem"), path.join(path.dirname(withCa), "ca.pem"));
    expect(loadClusterConfigFile(withCa)[0]?.tls).toEqual({ ca: path.join(path.dirname(withCa), "ca.pem") });

    const sasl = writeConfig({
      clusters: [
        { id: "s", bootstrap: ["k:9092"], sasl: { mechanism: "SCRAM-SHA-512", username: "u", passwordEnv: "PW" } },
      ],
    });
    expect(loadError(sasl)).toMatch(/sasl\.passwordEnv: the environment variable PW is not set/);
    // The operator's file may name any variable (the QUORUM_SECRET_ rule is for clusters added at run time).
    const loaded = loadClusterConfigFile(sasl, { env: { PW: "s3cret-value" } });
    expect(loaded[0]?.sasl).toEqual({ mechanism: "SCRAM-SHA-512", username: "u", passwordEnv: "PW" });
    expect(JSON.stringify(loaded)).not.toContain("s3cret-value");
  });

  it("says when the file cannot be read", () => {
    expect(loadError("/nonexistent/quorum.config.json")).toBe(
      "/nonexistent/quorum.config.json: cannot be read (ENOENT)",
    );
  });
});

describe("resolveConnection", () => {
  it("reads TLS files and the SASL password by name, and keeps only names in the stored entry", () => {
    const def = definitionOf(
      {
        id: "p",
        bootstrap: ["k:9093"],
        tls: { ca: "/certs/ca.pem" },
        sasl: { mechanism: "SCRAM-SHA-256", username: "u", passwordEnv: "QUORUM_SECRET_PW" },
      },
      "runtime",
    );
    const pem = fs.readFileSync(pemFile("a.pem"), "utf8");
    const read: string[] = [];
    const conn = resolveConnection(def, {
      env: { QUORUM_SECRET_PW: "pw-value" },
      readFile: (f) => {
        read.push(f);
        return pem;
      },
    });
    expect(read).toEqual(["/certs/ca.pem"]);
    expect(conn).toEqual({
      bootstrap: ["k:9093"],
      tls: { ca: pem, cert: undefined, key: undefined, servername: undefined },
      sasl: { mechanism: "SCRAM-SHA-256", username: "u", password: "pw-value" },
    });
    expect(JSON.stringify(entryOf(def))).not.toContain("pw-value");
    expect(entryOf(def).sasl?.passwordEnv).toBe("QUORUM_SECRET_PW");
  });

  const errorOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return httpErrorOf(err);
    }
    throw new Error("expected a refusal");
  };
  const runtime = (over: Partial<ClusterDefinition>): ClusterDefinition => ({
    ...definitionOf({ id: "r", bootstrap: ["k:9093"] }, "runtime"),
    ...over,
  });

  it("reads real PEM files: a CA, and a client certificate with its key", () => {
    const conn = resolveConnection(
      runtime({ tls: { ca: pemFile("a.pem"), cert: pemFile("b.pem"), key: pemFile("b.key"), servername: "k" } }),
    );
    expect(conn.tls?.ca).toBe(fs.readFileSync(pemFile("a.pem"), "utf8"));
    expect(conn.tls?.key).toBe(fs.readFileSync(pemFile("b.key"), "utf8"));
    expect(conn.tls?.servername).toBe("k");
  });

  it("refuses a TLS file that is not PEM, or a key that is not the certificate's, without quoting either", () => {
    const notPem = errorOf(() => resolveConnection(runtime({ tls: { ca: pemFile("secret.txt") } })));
    expect(notPem).toMatchObject({ status: 400, code: "validation_failed", field: "tls.ca" });
    expect(notPem?.message).toBe(
      `tls.ca: ${pemFile("secret.txt")} is not a PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
    const keyNotPem = errorOf(() =>
      resolveConnection(runtime({ tls: { cert: pemFile("a.pem"), key: pemFile("secret.txt") } })),
    );
    expect(keyNotPem).toMatchObject({ field: "tls.key" });
    expect(keyNotPem?.message).not.toContain("do-not-echo-me");
    const mismatch = errorOf(() =>
      resolveConnection(runtime({ tls: { cert: pemFile("a.pem"), key: pemFile("b.key") } })),
    );
    expect(mismatch).toMatchObject({ status: 400, code: "validation_failed", field: "tls.key" });
    expect(mismatch?.message).toMatch(/^tls: these files do not make a TLS client context \(.*mismatch.*\)$/i);
    expect(mismatch?.message).not.toContain("PRIVATE KEY");
  });

  it("never reads a device, a directory or a huge file as PEM", () => {
    for (const file of ["/dev/zero", pemDir]) {
      const err = errorOf(() => resolveConnection(runtime({ tls: { ca: file } })));
      expect(err).toMatchObject({ status: 400, field: "tls.ca" });
      expect(err?.message).toMatch(/cannot read .* \((not a regular file|EISDIR)\)$/);
    }
    const big = pemFile("big.pem");
    fs.writeFileSync(big, `-----BEGIN CERTIFICATE-----\n${"A".repeat(1024 * 1024)}\n`);
    expect(errorOf(() => resolveConnection(runtime({ tls: { ca: big } })))?.message).toMatch(
      /\(larger than 1048576 bytes\)$/,
    );
  });

  it("lets a cluster added at run time name only QUORUM_SECRET_ variables, before looking any up", () => {
    const sasl = (passwordEnv: string) => runtime({ sasl: { mechanism: "PLAIN", username: "u", passwordEnv } });
    const env = { AWS_SECRET_ACCESS_KEY: "cloud-secret", QUORUM_SECRET_PROD: "pw" };
    const refused = errorOf(() => resolveConnection(sasl("AWS_SECRET_ACCESS_KEY"), { env }));
    expect(refused).toMatchObject({ status: 400, code: "validation_failed", field: "sasl.passwordEnv" });
    expect(refused?.message).toContain(
      "AWS_SECRET_ACCESS_KEY: a cluster added at run time takes its password from a variable whose name starts with QUORUM_SECRET_",
    );
    expect(refused?.message).not.toContain("cloud-secret");
    // Whether an unprefixed variable is set is not told either: the same answer.
    expect(errorOf(() => resolveConnection(sasl("NOT_SET_AT_ALL"), { env }))?.message).toContain(
      "NOT_SET_AT_ALL: a cluster added at run time",
    );
    expect(resolveConnection(sasl("QUORUM_SECRET_PROD"), { env }).sasl?.password).toBe("pw");
    expect(resolveConnection({ ...sasl("AWS_SECRET_ACCESS_KEY"), origin: "config-file" }, { env }).sasl?.password).toBe(
      "cloud-secret",
    );
  });

  it("shows TLS and the SASL mechanism and user, never the variable or a password", () => {
    expect(securityOf({ tls: null, sasl: null })).toBeNull();
    expect(
      securityOf({ tls: { ca: "/ca.pem" }, sasl: { mechanism: "SCRAM-SHA-512", username: "u", passwordEnv: "P" } }),
    ).toEqual({ tls: true, sasl: { mechanism: "SCRAM-SHA-512", username: "u" } });
  });
});

describe("the config file's auth section", () => {
  const hash = "$argon2id$v=19$m=19456,t=2,p=1$CASOTGYfcObtpCNdNeLKXg$JmkuEMhsfwQvlq5ELBa64i/MLactF6SgcKsSw8G+r3c";

  it("is null when absent, and may stand alone in the file", () => {
    expect(loadConfigFile(writeConfig({ clusters: [] })).auth).toBeNull();
    const loaded = loadConfigFile(
      writeConfig({ auth: { users: [{ name: "ana", passwordHash: hash }], grants: [{ user: "ana", role: "admin" }] } }),
    );
    expect(loaded.clusters).toEqual([]);
    expect(loaded.auth).toEqual({
      users: [{ name: "ana", passwordHash: hash }],
      grants: [{ user: "ana", role: "admin", clusters: ["*"] }],
      session: { idleMinutes: 30, absoluteHours: 12 },
    });
  });

  it("refuses a password where its hash belongs, naming the field and never echoing it", () => {
    const message = loadError(writeConfig({ auth: { users: [{ name: "ana", passwordHash: "hunter2-hunter2" }] } }));
    expect(message).toMatch(/quorum\.config\.json: auth\.users\[0\]\.passwordHash: an Argon2id hash/);
    expect(message).not.toContain("hunter2");
  });

  it("refuses two users of one name, a grant of no one, and an unknown role", () => {
    const user = { name: "ana", passwordHash: hash };
    expect(loadError(writeConfig({ auth: { users: [user, user] } }))).toMatch(
      /auth\.users\[1\]\.name: another user is already named "ana"/,
    );
    expect(loadError(writeConfig({ auth: { grants: [{ role: "admin" }] } }))).toMatch(
      /auth\.grants\[0\]: a grant names either one user or one group/,
    );
    expect(loadError(writeConfig({ auth: { grants: [{ user: "ana", role: "root" }] } }))).toMatch(
      /auth\.grants\[0\]\.role: role is one of viewer, operator, admin/,
    );
  });
});
