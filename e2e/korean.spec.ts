import { expect, type Page, test } from "@playwright/test";
import { baseURL, OverviewPage } from "./pages/overview-page";

// A Korean browser at the console's reference size.
test.use({ locale: "ko-KR", viewport: { width: 1280, height: 800 } });

/**
 * Text a person cannot read whole: an element that clips its own text (overflow hidden or an
 * ellipsis) while its content is wider or taller than its box, or a page wider than the window.
 */
async function clippedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1)
      out.push(`the page is ${document.documentElement.scrollWidth}px wide`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("body *"))) {
      const text = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? "")
        .join("")
        .trim();
      // Words for screen readers only (sr-only: a 1px box) are not shown, so not clipped.
      if (!text || el.getBoundingClientRect().width <= 1) continue;
      const style = getComputedStyle(el);
      const clips = ["hidden", "clip"].includes(style.overflowX) || style.textOverflow === "ellipsis";
      if (clips && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1))
        out.push(`${el.tagName.toLowerCase()}: ${text.slice(0, 40)}`);
    }
    return out;
  });
}

async function look(page: Page, path: string, name: string, testInfo: { outputPath: (n: string) => string }) {
  await page.goto(`${baseURL()}${path}`);
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await page.waitForLoadState("networkidle").catch(() => {});
  expect(await clippedText(page), `clipped text on ${path}`).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath(`ko-${name}.png`) });
}

test("the console in Korean: overview, topic, group and lab pages, nothing clipped at 1280×800", async ({
  page,
}, testInfo) => {
  await new OverviewPage(page).open("/clusters/local");
  await expect(page.getByTestId("nav-overview")).toHaveText("개요");
  // The demo workload's topic and group: wait until they have data to show.
  await expect(page.getByTestId("brokers-up")).toBeVisible({ timeout: 60_000 });
  await look(page, "/clusters/local", "overview", testInfo);
  await look(page, "/clusters/local/topics/orders", "topic", testInfo);
  await expect(page.getByText("ISR(동기화된 레플리카 목록)").first()).toBeVisible();
  await look(page, "/clusters/local/consumer-groups/billing", "group", testInfo);
  await look(page, "/clusters/local/labs", "labs", testInfo);
  await look(page, "/clusters/local/labs/failover", "lab", testInfo);
});

test("the language can be switched in the header and is remembered", async ({ page }) => {
  await page.goto(`${baseURL()}/clusters/local`);
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await page.getByTestId("language-switch").selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByTestId("nav-overview")).toHaveText("Overview");
  // A reload (the browser still asks for Korean) keeps the language chosen.
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByTestId("language-switch").selectOption("ko");
  await expect(page.getByTestId("nav-overview")).toHaveText("개요");
});
