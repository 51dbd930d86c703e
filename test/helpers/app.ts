import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import getPort from "get-port";

const root = path.resolve(__dirname, "../..");

export interface RunningApp {
  baseURL: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** The environment of a Quorum started for a test: port, data dir, and the cluster on free ports. */
export function appEnv(port: number, dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(port),
    QUORUM_DATA_DIR: dataDir,
    QUORUM_BROKER_PORTS: "auto",
    QUORUM_CONTROLLER_PORTS: "auto",
    ...extra,
  };
}

/**
 * Starts Quorum exactly as `npm start` does, on a free port, with its embedded cluster on free
 * ports in a temp dir, and waits until every broker is up. `stop` ends it by pid (SIGTERM: nodes
 * stop in order) and removes the temp dir.
 */
export async function startApp(opts: { logFile: string; env?: Record<string, string> }): Promise<RunningApp> {
  const port = await getPort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-app-"));
  const baseURL = `http://127.0.0.1:${port}`;
  const log = fs.openSync(opts.logFile, "w");
  const server: ChildProcess = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: appEnv(port, dataDir, opts.env),
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill("SIGTERM");
      const timer = setTimeout(() => server.kill("SIGKILL"), 60_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 240_000;
  for (;;) {
    if (server.exitCode !== null) {
      await stop();
      throw new Error(`Quorum exited during start: see ${opts.logFile}`);
    }
    try {
      const res = await fetch(`${baseURL}/api/clusters/local`);
      if (res.ok && ((await res.json()) as { status: string }).status === "ok") break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Quorum's cluster was not up within 240 s: see ${opts.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { baseURL, dataDir, stop };
}
