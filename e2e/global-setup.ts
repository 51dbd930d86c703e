import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startApp } from "../test/helpers/app";
import { CONFIG_FILE_CLUSTER } from "./fixtures/clusters";

/** Starts Quorum as `npm start` does, on free ports; the returned teardown stops it by pid. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-e2e-config-"));
  const configFile = path.join(configDir, "quorum.config.json");
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      clusters: [
        { id: CONFIG_FILE_CLUSTER, name: "Config file (read-only)", bootstrap: ["127.0.0.1:1"], readOnly: true },
      ],
    }),
  );
  const app = await startApp({
    logFile: path.resolve(__dirname, "..", "test-results-e2e-server.log"),
    env: { QUORUM_CONFIG: configFile },
  });
  process.env.E2E_BASE_URL = app.baseURL;
  process.env.E2E_DATA_DIR = app.dataDir;
  return async () => {
    await app.stop();
    fs.rmSync(configDir, { recursive: true, force: true });
  };
}
