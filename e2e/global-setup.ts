import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import getPort from "get-port";

const root = path.resolve(__dirname, "..");

/**
 * Starts Quorum exactly as `npm start` does, on a free port, with its embedded cluster on free
 * ports in a temp dir; the returned teardown stops it by pid (SIGTERM: nodes stop in order) and
 * removes the temp dir.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const port = await getPort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-e2e-"));
  const baseURL = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(root, "test-results-e2e-server.log"), "w");
  const server: ChildProcess = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      QUORUM_DATA_DIR: dataDir,
      QUORUM_BROKER_PORTS: "auto",
      QUORUM_CONTROLLER_PORTS: "auto",
    },
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  process.env.E2E_BASE_URL = baseURL;

  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error("Quorum exited during start: see test-results-e2e-server.log");
    try {
      // Ready when the embedded cluster has every broker up: tests then seed it with kafkajs.
      const res = await fetch(`${baseURL}/api/clusters/local`);
      if (res.ok && ((await res.json()) as { status: string }).status === "ok") break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error("Quorum's cluster was not up within 240 s: see test-results-e2e-server.log");
    await new Promise((r) => setTimeout(r, 500));
  }

  return async () => {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      const timer = setTimeout(() => server.kill("SIGKILL"), 60_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
