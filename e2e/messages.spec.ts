import fs from "node:fs";
import http from "node:http";
import { expect, type Page, test } from "@playwright/test";
import { createTopicsLed, labKafka, uniqueName } from "./fixtures/kafka";
import { baseURL } from "./pages/overview-page";

// The Messages tab against the server as `npm start` runs it: browse, seek, search with progress,
// live tail, produce. Records are written by kafkajs (an independent client) unless the test is
// about the form.

const topic = uniqueName("e2e-messages");
/** Per partition; every 10th value is JSON with "needle". */
const PER_PARTITION = 400;

class MessagesPage {
  constructor(readonly page: Page) {}
  /** Reads the page the browse form asks for and waits for its answer (not the previous page's). */
  async read() {
    await this.page.getByTestId("browse-go").click();
    await expect(this.page.getByTestId("messages-page")).toHaveAttribute("data-loading", "false");
  }
  async open() {
    await this.page.goto(`${baseURL()}/clusters/local/topics/${topic}?tab=messages`);
    await expect(this.page.getByTestId("topic-messages")).toBeVisible();
  }
  mode(m: "browse" | "search" | "tail" | "produce") {
    return this.page.getByTestId(`messages-mode-${m}`).click();
  }
  rows(table: string) {
    return this.page.getByTestId(table).getByTestId("message-row");
  }
}

async function produce(
  messages: { partition: number; key?: string; value: string; headers?: Record<string, string> }[],
) {
  const kafka = await labKafka();
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

test.beforeAll(async () => {
  const kafka = await labKafka();
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsLed(admin, [{ topic, numPartitions: 2, replicationFactor: 2 }]);
  } finally {
    await admin.disconnect();
  }
  await produce(
    [0, 1].flatMap((partition) =>
      Array.from({ length: PER_PARTITION }, (_, i) => ({
        partition,
        key: `key-${partition}-${i}`,
        value:
          i % 10 === 0
            ? JSON.stringify({
                id: i,
                tag: "needle",
                order: { items: [{ sku: `A-${i}`, qty: i % 7 }], note: "x".repeat(40) },
              })
            : `plain ${partition}-${i}`,
      })),
    ),
  );
});

test.afterAll(async () => {
  const kafka = await labKafka();
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
});

test("browse newest, fold a JSON value, seek to an offset, page back and forth", async ({ page }, testInfo) => {
  const m = new MessagesPage(page);
  await m.open();
  // Newest 50 over both partitions, oldest first.
  await expect(m.rows("messages-table")).toHaveCount(50);
  await expect(m.rows("messages-table").last()).toHaveAttribute("data-offset", String(PER_PARTITION - 1));
  await page.getByTestId("browse-partition").selectOption("0");
  await m.read();
  await expect(m.rows("messages-table").first()).toHaveAttribute("data-offset", String(PER_PARTITION - 50));
  await expect(m.rows("messages-table").first()).toHaveAttribute("data-partition", "0");
  await page.screenshot({ path: testInfo.outputPath("messages-browse.png") });

  // The JSON value at offset 390: pretty-printed, its nested object folded on a click.
  const row = page.locator('[data-testid="messages-table"] [data-offset="390"]');
  await row.click();
  const detail = page.getByTestId("message-detail").first();
  await expect(detail.getByTestId("json-tree")).toContainText('"tag": "needle"');
  const orderNode = detail.locator('[data-testid="json-node"][data-path="order"]');
  await expect(orderNode).toHaveAttribute("open", "");
  await expect(orderNode.locator("> summary > .json-folded")).toBeHidden();
  await orderNode.locator("> summary").click();
  await expect(orderNode).not.toHaveAttribute("open", "");
  await expect(orderNode.locator("> summary > .json-folded")).toHaveText(/… 2 keys }/);
  await expect(detail.locator('[data-path="order.items"]')).toBeHidden();
  await page.screenshot({ path: testInfo.outputPath("messages-json-folded.png") });

  // Seek to offset 123 on partition 1.
  await page.getByTestId("browse-partition").selectOption("1");
  await page.getByTestId("browse-seek").selectOption("offset");
  await page.getByTestId("browse-offset").fill("123");
  await m.read();
  await expect(m.rows("messages-table").first()).toHaveAttribute("data-offset", "123");
  await expect(m.rows("messages-table").first()).toHaveAttribute("data-partition", "1");
  await expect(m.rows("messages-table").first().getByTestId("message-key")).toHaveText("key-1-123");
  await page.getByTestId("page-newer").click();
  await expect(m.rows("messages-table").first()).toHaveAttribute("data-offset", "173");
  await page.getByTestId("page-older").click();
  await expect(m.rows("messages-table").last()).toHaveAttribute("data-offset", "172");

  // Past the end: said in words.
  await page.getByTestId("browse-offset").fill("100000");
  await m.read();
  await expect(page.getByTestId("notices")).toContainText("offset 100000 is past the last stable offset");
});

test("search streams matches with progress; the result is what was written", async ({ page }, testInfo) => {
  const m = new MessagesPage(page);
  await m.open();
  await m.mode("search");
  await page.getByTestId("search-pattern").fill("needle");
  await page.getByTestId("search-start").click();
  await expect(page.getByTestId("search-state")).toHaveText(/Reached the end/);
  await expect(page.getByTestId("search-scanned")).toHaveText(String(2 * PER_PARTITION));
  await expect(page.getByTestId("search-matched")).toHaveText(String((2 * PER_PARTITION) / 10));
  await expect(m.rows("search-table")).toHaveCount((2 * PER_PARTITION) / 10);

  // A JSON path comparison, with a budget small enough to end it early: the progress says why.
  await page.getByTestId("search-mode").selectOption("jsonpath");
  await page.getByTestId("search-path").fill("order.items[0].qty");
  await page.getByTestId("search-op").selectOption(">=");
  await page.getByTestId("search-operand").fill("5");
  await page.getByTestId("search-max-messages").fill("300");
  await page.getByTestId("search-start").click();
  await expect(page.getByTestId("search-state")).toHaveText(/budget of messages read/);
  await expect(page.getByTestId("search-scanned")).toHaveText("300");
  const values = await m.rows("search-table").getByTestId("message-value").allTextContents();
  expect(values.length).toBeGreaterThan(0);
  for (const v of values)
    expect((JSON.parse(v) as { order: { items: { qty: number }[] } }).order.items[0]?.qty).toBeGreaterThanOrEqual(5);

  // An invalid regex is refused with the server's words.
  await page.getByTestId("search-mode").selectOption("regex");
  await page.getByTestId("search-pattern").fill("(a)\\1");
  await page.getByTestId("search-start").click();
  await expect(page.getByTestId("search-error")).toContainText("linear time");

  // A search in progress: a big budget over a topic the test keeps writing to is slow enough to see.
  // A search in progress: with the browser's download throttled to 4 KB/s, the matches trickle in
  // while the progress says what was read so far.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: 4 * 1024,
    uploadThroughput: -1,
  });
  await page.getByTestId("search-pattern").fill("plain 1-3[0-9]{2}");
  await page.getByTestId("search-max-messages").fill("800");
  await page.getByTestId("search-start").click();
  await expect(page.getByTestId("search-progress")).toHaveAttribute("data-running", "true");
  await expect(m.rows("search-table").nth(4)).toBeVisible();
  await expect(page.getByTestId("search-state")).toHaveText("searching…");
  await page.screenshot({ path: testInfo.outputPath("messages-search-running.png") });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  await expect(page.getByTestId("search-state")).toHaveText(/Reached the end|budget/);
  await page.screenshot({ path: testInfo.outputPath("messages-search.png") });
  // plain 1-300 … 1-399 but the tenths, which are JSON.
  await expect(m.rows("search-table")).toHaveCount(90);
});

test("live tail shows a message produced after it started, without a reload", async ({ page }, testInfo) => {
  const m = new MessagesPage(page);
  await m.open();
  await m.mode("tail");
  await expect(page.getByTestId("tail-status")).toHaveAttribute("data-connected", "true");
  const marker = uniqueName("tail-marker");
  await produce([{ partition: 1, key: "tail", value: marker, headers: { from: "kafkajs" } }]);
  await expect(page.getByTestId("tail-table").getByTestId("message-value").first()).toHaveText(marker);
  await expect(page.getByTestId("tail-stats")).toContainText("1 new since the tail began");
  await page.screenshot({ path: testInfo.outputPath("messages-tail.png") });
  await page.getByTestId("tail-toggle").click();
  await expect(page.getByTestId("tail-status")).toHaveAttribute("data-connected", "false");
});

test("produce from the form, then find it in the list at the partition and offset it reported", async ({
  page,
}, testInfo) => {
  const m = new MessagesPage(page);
  await m.open();
  await m.mode("produce");
  const value = JSON.stringify({ produced: uniqueName("form"), n: 1 });
  await page.getByTestId("produce-key").fill("form-key");
  await expect(page.getByTestId("produce-partition-preview")).toContainText(/Key → partition [01]/);
  const preview = (await page.getByTestId("produce-partition-preview").textContent()) ?? "";
  await page.getByTestId("produce-type-json").check();
  await page.getByTestId("produce-value").fill("{not json");
  await page.getByTestId("produce-send").click();
  await expect(page.getByTestId("produce-value-error")).toContainText("not valid JSON");
  await page.getByTestId("produce-value").fill(value);
  await page.getByTestId("produce-add-header").click();
  await page.getByTestId("produce-header-key-0").fill("origin");
  await page.getByTestId("produce-header-value-0").fill("form");
  await page.getByTestId("produce-send").click();
  await expect(page.getByTestId("produce-result")).toBeVisible();
  const partition = (await page.getByTestId("produce-result-partition").textContent()) ?? "";
  const offset = (await page.getByTestId("produce-result-offset").textContent()) ?? "";
  expect(preview).toContain(`partition ${partition}`);
  await expect(page.getByTestId("produce-result")).toContainText("kcat -P -b");
  await expect(page.getByTestId("produce-result")).toContainText("kafka-console-producer.sh");
  await page.screenshot({ path: testInfo.outputPath("messages-produce.png") });

  await m.mode("browse");
  await page.getByTestId("browse-partition").selectOption(partition);
  await m.read();
  const row = page.locator(`[data-testid="messages-table"] [data-offset="${offset}"][data-partition="${partition}"]`);
  await expect(row.getByTestId("message-key")).toHaveText("form-key");
  await expect(row.getByTestId("message-value")).toHaveText(value);
  await row.click();
  await expect(page.getByTestId("detail-headers")).toContainText("origin: form");
});

test("a value over the size cap is cut, and show all reads that record again whole", async ({ page }) => {
  const big = `${"x".repeat(20_000)}END`;
  await produce([{ partition: 1, key: "big", value: big }]);
  const m = new MessagesPage(page);
  await m.open();
  await page.getByTestId("browse-partition").selectOption("1");
  await m.read();
  const row = m.rows("messages-table").last();
  await expect(row.getByTestId("message-key")).toHaveText("big");
  await expect(row).toContainText("cut");
  await row.click();
  const value = page.getByTestId("detail-value");
  await expect(value).toContainText("20,003 B · truncated");
  await expect(value).not.toContainText("END");
  await page.getByTestId("show-all").click();
  await expect(value).toContainText("END");
  await expect(value).not.toContainText("truncated");
  await expect(page.getByTestId("show-all")).toHaveCount(0);
});

test("producing is refused with the reason on an internal topic", async ({ page }) => {
  await page.goto(`${baseURL()}/clusters/local/topics/__consumer_offsets?tab=messages`);
  await page.getByTestId("messages-mode-produce").click();
  await expect(page.getByTestId("produce-disabled")).toContainText("internal topic");
  await expect(page.getByTestId("produce-send")).toBeDisabled();
});

test("a search whose client stops reading is held back, and stops reading Kafka when the client goes", async () => {
  // 20,000 records that all match, a match budget of 10,000: left to run, the search would end
  // with `max_matches` after reading 10,000. Its client reads nothing and then hangs up: the
  // server must wait for the client (not buffer the matches) and end the scan as `cancelled`.
  const big = uniqueName("e2e-search-cancel");
  const kafka = await labKafka();
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer();
  await producer.connect();
  try {
    await createTopicsLed(admin, [{ topic: big, numPartitions: 1, replicationFactor: 1 }]);
    // 2 KiB values (in batches under the 1 MiB a request may carry): a few MiB of socket buffers
    // hold well under the match budget.
    for (let batch = 0; batch < 50; batch++)
      await producer.send({
        topic: big,
        messages: Array.from({ length: 400 }, (_, i) => ({ value: `match ${batch}-${i} ${"x".repeat(2048)}` })),
      });
    const url = new URL(
      `${baseURL()}/api/clusters/local/topics/${big}/messages/search?mode=substring&pattern=match&maxMatches=10000`,
    );
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.get(url, (res) => {
        res.pause(); // reads nothing
        setTimeout(() => {
          req.destroy();
          resolve(res.statusCode ?? 0);
        }, 2000);
      });
      req.on("error", (err) => {
        if (!req.destroyed) reject(err);
      });
    });
    expect(status).toBe(200);
    await expect
      .poll(
        () =>
          fs
            .readFileSync(process.env.E2E_SERVER_LOG ?? "", "utf8")
            .split("\n")
            .filter((l) => l.includes('"message search ended"') && l.includes(big))
            .map((l) => JSON.parse(l) as { reason: string; scanned: number; matched: number }),
        { timeout: 15_000 },
      )
      .toEqual([expect.objectContaining({ reason: "cancelled" })]);
    const line = fs
      .readFileSync(process.env.E2E_SERVER_LOG ?? "", "utf8")
      .split("\n")
      .find((l) => l.includes('"message search ended"') && l.includes(big));
    const end = JSON.parse(line ?? "{}") as { scanned: number; matched: number };
    expect(end.scanned).toBeLessThan(10_000);
    expect(end.matched).toBe(end.scanned);
  } finally {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [big] }).catch(() => undefined);
    await admin.disconnect();
  }
});
