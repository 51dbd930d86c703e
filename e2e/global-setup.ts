import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startApp } from "../test/helpers/app";
import { CONFIG_FILE_CLUSTER, LAB_SECRET_ENV } from "./fixtures/clusters";

/**
 * Starts Quorum as `npm start` does, on free ports; the returned teardown stops it by pid. The lab
 * also listens with SASL_SSL (SCRAM-SHA-512), its password known to this run and offered to
 * clusters added at run time as the QUORUM_SECRET_ variable LAB_SECRET_ENV, so a test can add the
 * lab again as a secured cluster, the way a user adds a production one.
 */
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
  const password = `e2e-${crypto.randomBytes(12).toString("hex")}`;
  const logFile = path.resolve(__dirname, "..", "test-results-e2e-server.log");
  // The auth spec's own Quorum appends to its log: a worker that starts after a failed test runs
  // the spec's beforeAll again, and the failed test's lines must stay.
  fs.rmSync(path.resolve(__dirname, "..", "test-results-e2e-auth-server.log"), { force: true });
  const began = Date.now();
  const app = await startApp({
    logFile,
    env: {
      QUORUM_CONFIG: configFile,
      QUORUM_LAB_SASL: "true",
      QUORUM_LAB_SASL_PASSWORD: password,
      [LAB_SECRET_ENV]: password,
    },
  });
  console.info(`[e2e] Quorum up (lab with SASL_SSL) in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  process.env.E2E_BASE_URL = app.baseURL;
  process.env.E2E_DATA_DIR = app.dataDir;
  process.env.E2E_SERVER_LOG = logFile;
  process.env.E2E_LAB_SASL_PASSWORD = password;
  return async () => {
    await app.stop();
    fs.rmSync(configDir, { recursive: true, force: true });
  };
}
