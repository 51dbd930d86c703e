import { expect, test } from "@playwright/test";
import { OverviewPage } from "./pages/overview-page";

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
