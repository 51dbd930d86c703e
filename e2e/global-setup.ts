import path from "node:path";
import { startApp } from "../test/helpers/app";

/** Starts Quorum as `npm start` does, on free ports; the returned teardown stops it by pid. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const app = await startApp({ logFile: path.resolve(__dirname, "..", "test-results-e2e-server.log") });
  process.env.E2E_BASE_URL = app.baseURL;
  return app.stop;
}
