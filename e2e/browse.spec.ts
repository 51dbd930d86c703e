import { expect, test } from "@playwright/test";
import { createTopicsLed, labKafka, uniqueName } from "./fixtures/kafka";
import { baseURL, OverviewPage } from "./pages/overview-page";

const topic = uniqueName("e2e-orders");
const group = uniqueName("e2e-billing");
const perPartition = [7, 5, 3];
const committedP0 = 2;

test.beforeAll(async () => {
  const kafka = await labKafka();
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsLed(admin, [{ topic, numPartitions: 3, replicationFactor: 3 }]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: perPartition.flatMap((n, partition) =>
        Array.from({ length: n }, (_, i) => ({ partition, value: `m${i}` })),
      ),
    });
    await producer.disconnect();
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: String(committedP0) }] });
  } finally {
    await admin.disconnect();
  }
});

test.afterAll(async () => {
  const kafka = await labKafka();
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
});

test("overview → topics → topic → partitions and configs", async ({ page }, testInfo) => {
  const overview = new OverviewPage(page);
  await overview.open("/");
  await overview.expectBrokersUp(3);
  await expect(page.getByTestId("stat-topics")).toHaveText(/^[1-9][\d,]*$/);
  await page.screenshot({ path: testInfo.outputPath("overview.png"), fullPage: true });

  await page.getByTestId("nav-topics").click();
  await expect(page).toHaveURL(/\/clusters\/local\/topics$/);
  // The search is the server's: typing asks for the page that matches, and the count says so.
  const searched = page.waitForResponse(
    (r) =>
      new URL(r.url()).pathname === "/api/clusters/local/topics" && new URL(r.url()).searchParams.get("q") === topic,
  );
  await page.getByTestId("topic-search").fill(topic);
  expect((await searched).status()).toBe(200);
  await expect(page.getByTestId("topic-row")).toHaveCount(1);
  await expect(page.getByTestId("topic-row")).toContainText("15");
  await expect(page.getByTestId("topic-count")).toHaveText(/^1 of [\d,]+ topics$/);
  await expect(page.getByTestId("topic-count-age")).toHaveText(/^as of (just now|\d+ s ago)$/);
  // So is the sort: a column's heading asks for that order (counts start descending).
  const sorted = page.waitForResponse((r) => {
    const url = new URL(r.url());
    return (
      url.pathname === "/api/clusters/local/topics" &&
      url.searchParams.get("sort") === "partitions" &&
      url.searchParams.get("dir") === "desc"
    );
  });
  await page.getByTestId("sort-partitions").click();
  expect((await sorted).status()).toBe(200);
  await expect(page.getByTestId("sort-partitions")).toHaveText(/▼$/);
  await expect(page.getByTestId("topic-row")).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath("topics.png"), fullPage: true });

  await page.getByTestId(`topic-link-${topic}`).click();
  await expect(page).toHaveURL(new RegExp(`/topics/${topic}$`));
  await expect(page.getByTestId("topic-name")).toHaveText(topic);
  for (const [partition, n] of perPartition.entries()) {
    const row = page.getByTestId(`partition-row-${partition}`);
    await expect(row).toContainText(String(n));
    await expect(row.locator('[data-state="leader"]')).toHaveCount(1);
    await expect(row.locator('[data-state="in-sync"]')).toHaveCount(2);
    await expect(page.getByTestId(`isr-${partition}`)).toHaveText(/^\d,\d,\d$/);
  }
  await expect(page.getByTestId("cli-command")).toHaveText(new RegExp(`--describe --topic ${topic}$`));
  await page.screenshot({ path: testInfo.outputPath("topic.png"), fullPage: true });

  await page.getByTestId("tab-configs").click();
  await expect(page).toHaveURL(/tab=configs/);
  await expect(page.getByTestId("config-retention.ms")).toContainText("604800000");
  await expect(page.getByTestId("config-cleanup.policy")).toContainText("delete");
});

test("the topic and group lists arrive with their first rows in the page's HTML, before any script runs", async ({
  request,
  page,
}) => {
  // A read first: the shared snapshot is then fresh, as the monitor keeps it while a page listens.
  const topics = (await (await request.get(`${baseURL()}/api/clusters/local/topics`)).json()) as {
    items: { name: string }[];
  };
  const firstTopic = topics.items[0]?.name;
  expect(firstTopic).toBeTruthy();
  const topicsHtml = await (await request.get(`${baseURL()}/clusters/local/topics`)).text();
  expect(topicsHtml).toContain(`data-testid="topic-link-${firstTopic}"`);
  // The markup, not the page's data after it (which carries the catalog, loading words included).
  const markup = topicsHtml.slice(0, topicsHtml.indexOf("self.__next_f"));
  expect(markup).toContain(`data-testid="topic-link-${firstTopic}"`);
  expect(markup).not.toContain("Loading topics…");

  const groups = (await (await request.get(`${baseURL()}/api/clusters/local/consumer-groups`)).json()) as {
    items: { groupId: string }[];
  };
  const firstGroup = groups.items[0]?.groupId;
  expect(firstGroup).toBeTruthy();
  const groupsHtml = await (await request.get(`${baseURL()}/clusters/local/consumer-groups`)).text();
  expect(groupsHtml).toContain(`data-testid="group-row-${firstGroup}"`);

  // In the browser the server's rows hydrate as they are: no mismatch for React to repair.
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  const pages: [string, string][] = [
    ["/clusters/local/topics", `topic-link-${firstTopic}`],
    ["/clusters/local/consumer-groups", `group-row-${firstGroup}`],
  ];
  for (const [path, testId] of pages) {
    await page.goto(`${baseURL()}${path}`);
    await expect(page.getByTestId(testId)).toBeVisible();
    await page.waitForLoadState("networkidle");
  }
  expect(errors.filter((e) => /hydrat|did not match|server rendered/i.test(e))).toEqual([]);
});

test("a group page shows lag per partition: log-end minus committed", async ({ page }, testInfo) => {
  const overview = new OverviewPage(page);
  await overview.open("/clusters/local/consumer-groups");
  const searched = page.waitForResponse(
    (r) =>
      new URL(r.url()).pathname === "/api/clusters/local/consumer-groups" &&
      new URL(r.url()).searchParams.get("q") === group,
  );
  await page.getByTestId("group-search").fill(group);
  expect((await searched).status()).toBe(200);
  await expect(page.getByTestId("group-count")).toHaveText(/^1 of [\d,]+ groups$/);
  await expect(page.locator('[data-testid^="group-row-"]')).toHaveCount(1);
  await expect(page.getByTestId(`group-lag-${group}`)).toHaveText(String((perPartition[0] ?? 0) - committedP0));
  await page.getByRole("link", { name: group }).click();
  await expect(page.getByTestId("group-id")).toHaveText(group);
  const row = page.getByTestId(`offset-row-${topic}-0`);
  await expect(row.getByTestId("lag")).toHaveText(String((perPartition[0] ?? 0) - committedP0));
  await expect(row).toContainText(String(committedP0));
  await expect(page.getByTestId("group-total-lag")).toHaveText("5");
  await page.screenshot({ path: testInfo.outputPath("group.png"), fullPage: true });
});
