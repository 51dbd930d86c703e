import { expect, type Page, test } from "@playwright/test";
import { createTopicsLed, labKafka, uniqueName } from "./fixtures/kafka";
import { baseURL, OverviewPage } from "./pages/overview-page";

const topic = uniqueName("e2e-live");

async function api(path: string, body?: unknown) {
  const res = await fetch(`${baseURL()}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

/** Marks the page so that a reload (which would clear the mark) cannot pass unnoticed. */
async function markNoReload(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { __noReload: boolean }).__noReload = true;
  });
}
async function expectNoReload(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
}

test.beforeAll(async () => {
  const kafka = await labKafka();
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsLed(admin, [{ topic, numPartitions: 3, replicationFactor: 3 }]);
  await admin.disconnect();
  await api("/api/clusters/local/elect-leaders", {});
});

test.describe
  .serial("watching failover live", () => {
    test("stop the leader from the UI: leader moves, ISR shrinks, the timeline says so; start it: ISR grows back", async ({
      page,
    }, testInfo) => {
      await new OverviewPage(page).open(`/clusters/local/topics/${topic}`);
      await expect(page.getByTestId("stream-status")).toHaveAttribute("data-connected", "true");
      const leaderText = (await page.getByTestId("leader-0").textContent()) ?? "";
      const leader = Number(leaderText.match(/^\d+/)?.[0]);
      expect(leader).toBeGreaterThan(0);
      await markNoReload(page);

      await page.getByTestId(`topic-broker-${leader}`).getByTestId(`broker-stop-${leader}`).click();
      await expect(page.getByTestId("leader-0")).not.toHaveText(new RegExp(`^${leader}`), { timeout: 15_000 });
      await expect(page.getByTestId("isr-0")).not.toContainText(String(leader));
      await expect(page.getByTestId(`map-${topic}-0-${leader}`)).toHaveAttribute("data-state", "offline");
      const timeline = page.getByTestId("timeline");
      await expect(timeline.locator('[data-type="broker-down"]').first()).toContainText(`broker ${leader} is down`);
      await expect(timeline.locator('[data-type="leader-changed"]').first()).toContainText(
        `${topic}-0: leader ${leader} →`,
      );
      await expect(page.getByTestId("failover-summary")).toContainText(`broker ${leader} down`);
      await page.screenshot({ path: testInfo.outputPath("failover.png"), fullPage: true });
      await expectNoReload(page);

      await page.getByTestId(`topic-broker-${leader}`).getByTestId(`broker-start-${leader}`).click();
      await expect(page.getByTestId("isr-0")).toContainText(String(leader), { timeout: 90_000 });
      await expect(timeline.locator('[data-type="isr-expanded"]').first()).toBeVisible();
      await expect(timeline.locator('[data-type="broker-up"]').first()).toContainText(`broker ${leader} is up`);
      // The leader stays where it moved until a preferred leader election.
      await expect(page.getByTestId("not-preferred-0")).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath("recovered.png"), fullPage: true });
      await expectNoReload(page);
    });

    test("broker metrics: each broker's traffic and p99; a stop is marked, its line ends, and Health counts under-replicated partitions", async ({
      page,
    }, testInfo) => {
      await page.goto(`${baseURL()}/clusters/local/brokers`);
      for (const id of [1, 2, 3]) {
        for (const key of ["bytesIn", "bytesOut", "produceP99Ms"]) {
          await expect(page.getByTestId(`broker-metric-${id}-${key}`)).not.toHaveAttribute("data-value", "", {
            timeout: 30_000,
          });
        }
      }
      const bytesIn = Number(await page.getByTestId("broker-metric-1-bytesIn").getAttribute("data-value"));
      expect(bytesIn).toBeGreaterThanOrEqual(0);
      await expect(page.getByTestId("metrics-chart-broker-bytesIn")).toHaveAttribute("data-points", /^[1-9]\d*$/);
      await page.screenshot({ path: testInfo.outputPath("broker-metrics.png"), fullPage: true });

      await api("/api/clusters/local/brokers/2/stop", { mode: "kill", confirm: true });
      // The stop is drawn on the charts; broker 2's latest value becomes a gap (no sample), the others go on.
      await expect(page.getByTestId("metrics-chart-broker-heapUsed")).toContainText("broker 2 down", {
        timeout: 30_000,
      });
      await expect(page.getByTestId("broker-metric-2-heapUsed")).toHaveAttribute("data-value", "", { timeout: 30_000 });
      await expect(page.getByTestId("broker-metric-1-heapUsed")).not.toHaveAttribute("data-value", "");
      await page.screenshot({ path: testInfo.outputPath("broker-metrics-stopped.png"), fullPage: true });

      await page.goto(`${baseURL()}/clusters/local`);
      const health = page.getByTestId("health-panel");
      await expect(health.getByTestId("health-reporting")).toHaveText("2 of 3", { timeout: 30_000 });
      await expect(health.getByTestId("health-under-replicated")).not.toHaveText(/^(0|—)$/, { timeout: 30_000 });
      await expect(health.getByTestId("health-chart-partitions")).toContainText("broker 2 down");
      await health.scrollIntoViewIfNeeded();
      await page.screenshot({ path: testInfo.outputPath("health-panel.png") });

      await api("/api/clusters/local/brokers/2/start", {});
      await new OverviewPage(page).expectBrokersUp(3);
    });

    test("all brokers down: the UI says unreachable, and recovers by itself when they return", async ({
      page,
    }, testInfo) => {
      const overview = new OverviewPage(page);
      await overview.open("/clusters/local");
      await overview.expectBrokersUp(3);
      await markNoReload(page);
      for (const id of [1, 2, 3]) await api(`/api/clusters/local/brokers/${id}/stop`, { mode: "kill", confirm: true });
      await expect(page.getByTestId("cluster-unreachable")).toBeVisible({ timeout: 20_000 });
      await page.screenshot({ path: testInfo.outputPath("unreachable.png"), fullPage: true });

      for (const id of [1, 2, 3]) await api(`/api/clusters/local/brokers/${id}/start`, {});
      await expect(page.getByTestId("cluster-unreachable")).toHaveCount(0, { timeout: 120_000 });
      await overview.expectBrokersUp(3);
      await expectNoReload(page);
    });
  });
