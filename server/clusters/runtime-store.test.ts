import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RuntimeClusterStore, STORE_MODE } from "./runtime-store";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function store(): RuntimeClusterStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-store-"));
  dirs.push(dir);
  return new RuntimeClusterStore(path.join(dir, "data", "clusters.json"));
}

const prod = { id: "prod", name: "Production", bootstrap: ["k1:9092"], readOnly: true };
const dev = { id: "dev", bootstrap: ["d1:9092", "d2:9092"] };

describe("RuntimeClusterStore", () => {
  it("has nothing before the first save", () => {
    expect(store().load()).toEqual([]);
  });

  it("keeps what it saves, in a file only its owner can read and write", () => {
    const s = store();
    s.save([prod, dev]);
    expect(fs.statSync(s.file).mode & 0o777).toBe(0o600);
    expect(STORE_MODE).toBe(0o600);
    expect(new RuntimeClusterStore(s.file).load()).toEqual([prod, dev]);
    s.save([dev]);
    expect(fs.statSync(s.file).mode & 0o777).toBe(0o600);
    expect(s.load()).toEqual([dev]);
  });

  it("writes through a temporary file and leaves none behind", () => {
    const s = store();
    s.save([prod]);
    s.save([prod, dev]);
    expect(fs.readdirSync(path.dirname(s.file))).toEqual(["clusters.json"]);
  });

  it("keeps mode 0600 whatever the process umask", () => {
    const s = store();
    const old = process.umask(0o000);
    try {
      s.save([prod]);
    } finally {
      process.umask(old);
    }
    expect(fs.statSync(s.file).mode & 0o777).toBe(0o600);
  });

  it("tightens a file whose mode was loosened by hand when it loads it", () => {
    const s = store();
    s.save([prod]);
    fs.chmodSync(s.file, 0o644);
    expect(s.load()).toEqual([prod]);
    expect(fs.statSync(s.file).mode & 0o777).toBe(0o600);
  });

  it("refuses a damaged file, naming it and the field, rather than starting without its clusters", () => {
    const s = store();
    s.save([prod]);
    fs.writeFileSync(s.file, "{ not json");
    expect(() => s.load()).toThrow(new RegExp(`^${s.file}: not valid JSON`));
    fs.writeFileSync(s.file, JSON.stringify({ version: 1, clusters: [{ id: "x", bootstrap: ["nope"] }] }));
    expect(() => s.load()).toThrow(`${s.file}: clusters[0].bootstrap[0]: a bootstrap server is host:port`);
  });
});
