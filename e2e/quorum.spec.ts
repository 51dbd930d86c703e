import path from "node:path";
import { expect, test } from "@playwright/test";
import { type RunningApp, startApp } from "../test/helpers/app";
import { rawRequest } from "../test/helpers/raw-http";

// The controller quorum lab in the browser, on a Quorum started as `npm start` does with a lab of
// its own (one controller, one broker): the lab started over with three controllers from the page,
// a killed leader replaced without a reload, the majority lost and said so, a topic create refused
// with that reason, and the majority restored.

let app: RunningApp;
let base: string;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  app = await startApp({
    logFile: path.resolve(__dirname, "..", "test-results-e2e-quorum-server.log"),
    env: {
      QUORUM_BROKERS: "1",
      QUORUM_CONTROLLERS: "1",
      QUORUM_BROKER_HEAP_MB: "256",
      QUORUM_CONTROLLER_HEAP_MB: "192",
      QUORUM_DEMO: "false",
      QUORUM_LAB_SASL: "false",
    },
  });
  base = app.baseURL;
});

test.afterAll(async () => {
  await app?.stop();
});

test("start the lab over with three controllers, kill the leading one, then lose and regain the majority, all seen without a reload", async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  const quorum = async () =>
    JSON.parse((await rawRequest(base, { method: "GET", path: "/api/clusters/local/quorum" })).body) as {
      leader: number;
      state: string;
      voters: { id: number; status: string }[];
    };
  await page.goto(`${base}/clusters/local/brokers`);
  await expect(page.getByTestId("controller-101")).toBeVisible();
  await expect(page.getByTestId("controller-102")).toHaveCount(0);
  await page.getByTestId("lab-recreate-brokers").fill("1");
  await page.getByTestId("lab-recreate-controllers").selectOption("3");
  await page.getByTestId("lab-recreate-start").click();
  await page.getByTestId("lab-recreate-confirm").click();
  await expect(page.getByTestId("lab-recreate-started")).toBeVisible();
  for (const id of [101, 102, 103])
    await expect(page.getByTestId(`controller-${id}`)).toContainText("up", { timeout: 180_000 });
  await expect.poll(async () => (await quorum()).state, { timeout: 60_000 }).toBe("ok");
  const leader = (await quorum()).leader;
  await expect(page.getByTestId("quorum-summary")).toContainText(`Controller ${leader} leads the metadata log`);
  await page.screenshot({ path: testInfo.outputPath("quorum-ok.png"), fullPage: true });

  const killedAt = Date.now();
  await page.getByTestId(`controller-kill-${leader}`).click();
  // The new leader shows on the page that is open: no reload.
  await expect(page.getByTestId("quorum-summary")).not.toContainText(`Controller ${leader} leads`, { timeout: 30_000 });
  await expect(page.getByTestId("quorum-summary")).toContainText("leads the metadata log");
  console.log(`controller ${leader} killed: a new leader on the page ${Date.now() - killedAt} ms later`);
  const next = (await quorum()).leader;
  expect(next).not.toBe(leader);

  // A second controller down: the page asks first, then says the majority is lost.
  const second = (await quorum()).voters.find((v) => v.status === "up" && v.id !== next)?.id as number;
  await page.getByTestId(`controller-stop-${second}`).click();
  await expect(page.getByTestId("controller-confirm")).toContainText("fewer than the 2 the quorum needs");
  await page.getByTestId("controller-confirm-button").click();
  await expect(page.getByTestId("quorum-lost")).toContainText("The quorum has lost its majority", { timeout: 30_000 });
  await page.screenshot({ path: testInfo.outputPath("quorum-lost.png"), fullPage: true });
  const create = await rawRequest(base, {
    method: "POST",
    path: "/api/clusters/local/topics",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "no-majority", partitions: 1, replicationFactor: 1 }),
  });
  expect(create.status).toBe(503);
  expect(JSON.parse(create.body).error.message).toContain("the KRaft controller quorum has no majority");

  await page.getByTestId(`controller-start-${second}`).click();
  await expect(page.getByTestId("quorum-lost")).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId("quorum-summary")).toContainText("leads the metadata log");
  await page.getByTestId(`controller-start-${leader}`).click();
  await expect(page.getByTestId(`controller-${leader}`)).toContainText("up", { timeout: 60_000 });
});
