import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { httpErrorOf } from "../errors";
import { definitionOf, entryOf, loadClusterConfigFile, refuseUnsupported, resolveConnection } from "./cluster-config";

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
        origin: "config-file",
      },
      {
        id: "staging",
        name: "staging",
        bootstrap: ["s1:9092"],
        readOnly: false,
        tls: null,
        sasl: null,
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

  it("refuses TLS and SASL in this build, after checking their files and variables", () => {
    const file = writeConfig({ clusters: [{ id: "tls", bootstrap: ["k:9093"], tls: { ca: "missing-ca.pem" } }] });
    expect(loadError(file)).toMatch(/clusters\[0\] \("tls"\): tls\.ca: cannot read .*missing-ca\.pem \(ENOENT\)/);
    fs.writeFileSync(path.join(path.dirname(file), "ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    const withCa = writeConfig({ clusters: [{ id: "tls", bootstrap: ["k:9093"], tls: { ca: "ca.pem" } }] });
    fs.copyFileSync(path.join(path.dirname(file), "ca.pem"), path.join(path.dirname(withCa), "ca.pem"));
    expect(loadError(withCa)).toMatch(
      /clusters\[0\] \("tls"\): .*asks for TLS: this build of Quorum reaches plaintext listeners only/,
    );

    const sasl = writeConfig({
      clusters: [{ id: "s", bootstrap: ["k:9092"], sasl: { mechanism: "PLAIN", username: "u", passwordEnv: "PW" } }],
    });
    expect(loadError(sasl)).toMatch(/sasl\.passwordEnv: the environment variable PW is not set/);
    const refused = loadError(sasl, { PW: "s3cret-value" });
    expect(refused).toMatch(/asks for SASL PLAIN: this build of Quorum reaches plaintext listeners only/);
    expect(refused).not.toContain("s3cret-value");
  });

  it("says when the file cannot be read", () => {
    expect(loadError("/nonexistent/quorum.config.json")).toBe(
      "/nonexistent/quorum.config.json: cannot be read (ENOENT)",
    );
  });
});

describe("resolveConnection and refuseUnsupported", () => {
  it("reads TLS files and the SASL password by name, and keeps only names in the stored entry", () => {
    const def = definitionOf(
      {
        id: "p",
        bootstrap: ["k:9093"],
        tls: { ca: "/certs/ca.pem" },
        sasl: { mechanism: "SCRAM-SHA-256", username: "u", passwordEnv: "PW" },
      },
      "runtime",
    );
    const conn = resolveConnection(def, { env: { PW: "pw-value" }, readFile: (f) => `pem of ${f}` });
    expect(conn).toEqual({
      bootstrap: ["k:9093"],
      tls: { ca: "pem of /certs/ca.pem", cert: undefined, key: undefined, servername: undefined },
      sasl: { mechanism: "SCRAM-SHA-256", username: "u", password: "pw-value" },
    });
    expect(JSON.stringify(entryOf(def))).not.toContain("pw-value");
    expect(entryOf(def).sasl?.passwordEnv).toBe("PW");
  });

  it("lets plaintext through and refuses TLS or SASL with 400 plaintext_only naming the field", () => {
    expect(() => refuseUnsupported({ id: "a", tls: null, sasl: null })).not.toThrow();
    let caught: unknown;
    try {
      refuseUnsupported({ id: "a", tls: null, sasl: { mechanism: "PLAIN", username: "u", passwordEnv: "P" } });
    } catch (err) {
      caught = err;
    }
    expect(httpErrorOf(caught)).toMatchObject({ status: 400, code: "plaintext_only", field: "sasl" });
  });
});
