import { expect, test } from "@playwright/test";
import { uniqueName } from "./fixtures/kafka";
import { OverviewPage } from "./pages/overview-page";

const topic = uniqueName("e2e-created");

test.describe
  .serial("admin actions from the browser", () => {
    test("create a topic through the form, with inline errors first, and find it in the list", async ({
      page,
    }, testInfo) => {
      const overview = new OverviewPage(page);
      await overview.open("/clusters/local/topics");
      await page.getByTestId("create-topic").click();
      await expect(page).toHaveURL(/\/topics\/new$/);

      await page.getByTestId("field-name").fill("bad name");
      await page.getByTestId("field-partitions").fill("0");
      await page.getByTestId("create-topic-submit").click();
      await expect(page.getByTestId("error-name")).toContainText("only letters");
      await expect(page.getByTestId("error-partitions")).toContainText("at least 1");
      await expect(page).toHaveURL(/\/topics\/new$/);

      await page.getByTestId("field-name").fill(topic);
      await page.getByTestId("field-partitions").fill("4");
      await page.getByTestId("field-replicationFactor").fill("3");
      await page.getByTestId("field-retention.ms").fill("3600000");
      await expect(page.getByTestId("cli-command")).toContainText(
        `--create --topic ${topic} --partitions 4 --replication-factor 3 --config retention.ms=3600000`,
      );
      await page.screenshot({ path: testInfo.outputPath("create-form.png"), fullPage: true });
      await page.getByTestId("create-topic-submit").click();

      await expect(page).toHaveURL(new RegExp(`/topics/${topic}$`));
      await expect(page.locator('[data-testid^="partition-row-"]')).toHaveCount(4);
      await page.getByTestId("nav-topics").click();
      await page.getByTestId("topic-search").fill(topic);
      await expect(page.getByTestId("topic-row")).toHaveCount(1);
      await expect(page.getByTestId("topic-row")).toContainText("4");
    });

    test("add partitions, with the ordering warning", async ({ page }, testInfo) => {
      await new OverviewPage(page).open(`/clusters/local/topics/${topic}`);
      await page.getByTestId("add-partitions").click();
      await expect(page.getByTestId("ordering-warning")).toContainText("keyed messages go to different partitions");
      await page.getByTestId("partition-count").fill("3");
      await expect(page.getByTestId("add-partitions-submit")).toBeDisabled();
      await page.getByTestId("partition-count").fill("6");
      await page.screenshot({ path: testInfo.outputPath("add-partitions.png"), fullPage: true });
      await page.getByTestId("add-partitions-submit").click();
      await expect(page.getByTestId("add-partitions-dialog")).toHaveCount(0);
      await expect(page.locator('[data-testid^="partition-row-"]')).toHaveCount(6);
    });

    test("stop a broker from the UI, see it down and its leaderships gone, start it, see it up", async ({
      page,
    }, testInfo) => {
      await new OverviewPage(page).open(`/clusters/local/topics/${topic}`);
      const broker = 3;
      await expect(page.getByTestId(`topic-broker-status-${broker}`)).toHaveText("up");
      await page.getByTestId(`topic-broker-${broker}`).getByTestId(`broker-stop-${broker}`).click();
      const confirm = page.getByTestId("confirm-stop-button");
      if (await confirm.isVisible({ timeout: 1500 }).catch(() => false)) await confirm.click();
      await expect(page.getByTestId(`topic-broker-status-${broker}`)).toHaveText("down", { timeout: 45_000 });
      for (let p = 0; p < 6; p++) {
        await expect(page.getByTestId(`leader-${p}`)).not.toHaveText(String(broker));
        await expect(page.getByTestId(`isr-${p}`)).not.toContainText(String(broker));
      }
      await page.screenshot({ path: testInfo.outputPath("broker-down.png"), fullPage: true });

      await page.getByTestId(`topic-broker-${broker}`).getByTestId(`broker-start-${broker}`).click();
      await expect(page.getByTestId(`topic-broker-status-${broker}`)).toHaveText("up", { timeout: 90_000 });
      await expect(page.getByTestId("isr-0")).toContainText(String(broker), { timeout: 60_000 });
    });

    test("elect preferred leaders, then delete the topic by typing its name", async ({ page }) => {
      await new OverviewPage(page).open(`/clusters/local/topics/${topic}`);
      await page.getByTestId("elect-topic").click();
      await expect(page.getByTestId("election-report")).toContainText("Preferred leader election");
      await expect(page.locator('[data-testid^="not-preferred-"]')).toHaveCount(0, { timeout: 20_000 });

      await page.getByTestId("delete-topic").click();
      await expect(page.getByTestId("delete-submit")).toBeDisabled();
      await page.getByTestId("delete-confirm-name").fill(topic);
      await page.getByTestId("delete-submit").click();
      await expect(page).toHaveURL(/\/clusters\/local\/topics$/);
      await page.getByTestId("topic-search").fill(topic);
      await expect(page.getByTestId("topic-row")).toHaveCount(0);
    });
  });
