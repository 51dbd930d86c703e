import { chromium } from "@playwright/test";

const pages = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
for (const spec of pages) {
  const [path, out] = spec.split("|");
  await page.goto(`http://127.0.0.1:3000${path}`);
  await page.waitForTimeout(2500);
  await page.screenshot({ path: out, fullPage: true });
}
await browser.close();
