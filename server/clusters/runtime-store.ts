import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { addClusterSchema, type ClusterEntry } from "@/lib/schemas/clusters";
import { describeIssue } from "./cluster-config";

/** The file's shape: a version, and the entries as they were added (secrets by name only, QUORUM_SECRET_… variables). */
const storedSchema = z.object({ version: z.literal(1), clusters: z.array(addClusterSchema) }).strict();

/** Owner read and write only: the file names where credentials come from. */
export const STORE_MODE = 0o600;

/**
 * The clusters added at run time, kept in `<data dir>/clusters.json` (mode 0600). Every save
 * writes a new file beside it and renames it over the old one, so a crash leaves either the old
 * list or the new one, never half of one.
 */
export class RuntimeClusterStore {
  constructor(readonly file: string) {}

  /** The stored entries; none when the file does not exist. A file that is not valid throws, naming it. */
  load(): ClusterEntry[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    // Tighten a file someone loosened by hand.
    if ((fs.statSync(this.file).mode & 0o777) !== STORE_MODE) fs.chmodSync(this.file, STORE_MODE);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new Error(
        `${this.file}: not valid JSON (${err instanceof Error ? err.message : String(err)}); fix or remove it`,
      );
    }
    const parsed = storedSchema.safeParse(data);
    if (!parsed.success) {
      const { field, message } = describeIssue(parsed.error);
      throw new Error(`${this.file}: ${field ? `${field}: ` : ""}${message}; fix or remove it`);
    }
    return parsed.data.clusters;
  }

  /** Replaces the stored list, atomically, with mode 0600. */
  save(clusters: ClusterEntry[]): void {
    const body = `${JSON.stringify({ version: 1, clusters }, null, 2)}\n`;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
    const fd = fs.openSync(tmp, "wx", STORE_MODE);
    try {
      fs.writeFileSync(fd, body);
      fs.fsyncSync(fd);
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    fs.closeSync(fd);
    try {
      fs.renameSync(tmp, this.file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  }
}
