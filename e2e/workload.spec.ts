import { expect, test } from "@playwright/test";
import { OverviewPage } from "./pages/overview-page";

test("the demo workload makes throughput and the slow group's lag chart move", async ({ page }, testInfo) => {
  const overview = new OverviewPage(page);
  await overview.open("/clusters/local");
  await expect(page.getByTestId("workload-state")).toContainText("running", { timeout: 60_000 });
  const activity = page.getByTestId("activity-chart");
  await expect
    .poll(async () => Number(await activity.getAttribute("data-last-producerate")), { timeout: 60_000 })
    .toBeGreaterThan(0);

  await page.goto(`${process.env.E2E_BASE_URL}/clusters/local/consumer-groups/analytics`);
  const chart = page.getByTestId("lag-chart");
  await expect
    .poll(async () => Number(await chart.getAttribute("data-points")), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(3);
  const points = Number(await chart.getAttribute("data-points"));
  const lag = Number(await chart.getAttribute("data-last-lag"));
  await expect
    .poll(async () => Number(await chart.getAttribute("data-points")), { timeout: 30_000 })
    .toBeGreaterThan(points);
  await expect.poll(async () => Number(await chart.getAttribute("data-last-lag")), { timeout: 30_000 }).not.toBe(lag);
  await expect(page.getByTestId("lag-status")).toHaveText(/OK|WARNING|STALLED|STOPPED/);
  await expect(page.locator(".recharts-line").first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("lag-chart.png"), fullPage: true });
});

test("the demo's KIP-848 group (Kafka's console consumer) shows its protocol, member and assignment", async ({
  page,
}, testInfo) => {
  const overview = new OverviewPage(page);
  await overview.open("/clusters/local/consumer-groups");
  await expect(page.getByTestId("group-type-shipping")).toHaveText("consumer", { timeout: 90_000 });
  await expect(page.getByTestId("group-type-billing")).toHaveText("classic");
  await page.getByRole("link", { name: "shipping", exact: true }).click();
  await expect(page.getByTestId("group-id")).toHaveText("shipping");
  await expect(page.getByTestId("group-type")).toHaveText("consumer");
  // One console consumer owns all six partitions of orders once it has reconciled.
  const members = page.getByTestId("group-members-table");
  await expect(members.locator("tbody tr")).toHaveCount(1, { timeout: 60_000 });
  await expect(members.getByTestId("member-assignments")).toHaveText("orders: 0,1,2,3,4,5", { timeout: 60_000 });
  await expect(members).toContainText("quorum-demo-shipping");
  await expect(page.getByTestId("group-epoch")).toHaveText(/^\d+$/);
  await page.screenshot({ path: testInfo.outputPath("kip848-group.png"), fullPage: true });
});
