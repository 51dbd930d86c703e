import { expect, test } from "@playwright/test";
import type { LeadershipSummary } from "../lib/types";
import { baseURL, OverviewPage } from "./pages/overview-page";

test("the console opens on the local cluster with 3 brokers up", async ({ page }, testInfo) => {
  const overview = new OverviewPage(page);
  await overview.open("/");
  await expect(page).toHaveURL(/\/clusters\/local$/);
  await overview.expectBrokersUp(3);
  await expect(page.getByTestId("cluster-status")).toHaveText("ok");
  await expect(page.getByTestId("controller-101")).toContainText("up");
  await expect(page.getByTestId("bootstrap")).toHaveText(/^127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
  await page.screenshot({ path: testInfo.outputPath("overview.png"), fullPage: true });
});

test("an unknown cluster says so instead of showing an empty page", async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.open("/clusters/nope");
  await expect(page.getByTestId("error-panel")).toContainText('No cluster "nope"');
});

test("the leadership map loads on its own and its per-topic heat map agrees with the API, filtered on the server", async ({
  page,
}, testInfo) => {
  const overview = new OverviewPage(page);
  await overview.open("/clusters/local");
  await overview.expectBrokersUp(3);
  const read = async (query = "") =>
    (await (await fetch(`${baseURL()}/api/clusters/local/leadership${query}`)).json()) as LeadershipSummary;
  const first = await read();
  const section = page.getByTestId("leadership-section");
  await expect(section).toHaveAttribute("data-mode", first.mode);
  if (first.mode === "partitions") {
    // The lab is small: every partition is drawn, and the switch shows the heat map.
    await expect(page.getByTestId("leadership-map")).toBeVisible();
    await page.getByTestId("leadership-view-heat-map").click();
  } else {
    await expect(page.getByTestId("leadership-summarised")).toContainText(`more than ${first.maxPartitions}`);
  }
  await expect(page.getByTestId("leadership-heat-map")).toBeVisible();

  // Each broker's leaders in the first row are the API's (read again until both saw the same snapshot).
  await expect
    .poll(async () => {
      const api = await read();
      const shown = await Promise.all(
        api.brokers.map((b) => page.getByTestId(`heat-total-${b.broker}`).getAttribute("data-leaders")),
      );
      return shown.map(Number).join() === api.brokers.map((b) => b.leaders).join();
    })
    .toBe(true);

  // The filter asks the server: the rows are the topics whose name contains it.
  await page.getByTestId("heat-map-filter").fill("orders");
  const matching = await read("?q=orders");
  expect(matching.topics.total).toBeGreaterThan(0);
  await expect(page.locator('[data-testid^="heat-row-"]')).toHaveCount(Math.min(matching.topics.total, 50));
  await expect(page.getByTestId("heat-row-orders")).toBeVisible();
  await expect(page.getByTestId("heat-map-pager")).toContainText(`of ${matching.topics.total}`);
  await page.screenshot({ path: testInfo.outputPath("heat-map.png"), fullPage: true });
});
