import { expect, type Page } from "@playwright/test";

export function baseURL(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is set by e2e/global-setup.ts");
  return url;
}

/** The cluster overview: brokers with live status, controller quorum. */
export class OverviewPage {
  constructor(readonly page: Page) {}

  async open(path = "/") {
    await this.page.goto(`${baseURL()}${path}`);
  }

  brokerCards() {
    return this.page.locator('[data-testid^="broker-card-"]');
  }

  brokerStatus(id: number) {
    return this.page.getByTestId(`broker-status-${id}`);
  }

  async expectBrokersUp(count: number, timeout = 120_000) {
    await expect(this.brokerCards()).toHaveCount(count, { timeout });
    for (let id = 1; id <= count; id++) await expect(this.brokerStatus(id)).toHaveText("up", { timeout });
    await expect(this.page.getByTestId("brokers-up")).toHaveText(`${count} / ${count} up`, { timeout });
  }
}
