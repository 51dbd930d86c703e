import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { hasKcat } from "../test/helpers/kcat";
import { createTopicsLed, labKafka, uniqueName } from "./fixtures/kafka";
import { OverviewPage } from "./pages/overview-page";

const topic = uniqueName("e2e-records");
/** Messages written to partitions 0 and 1. */
const p0 = 10;
const p1 = 4;
const written = [p0, p1];
const before = 6;

test.beforeAll(async () => {
  const kafka = await labKafka();
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsLed(admin, [{ topic, numPartitions: 2, replicationFactor: 3 }]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: written.flatMap((n, partition) => Array.from({ length: n }, (_, i) => ({ partition, value: `m${i}` }))),
    });
    await producer.disconnect();
    // A group commit makes Kafka create __consumer_offsets, the internal topic whose page is checked below.
    await admin.setOffsets({ groupId: `${topic}-g`, topic, partitions: [{ partition: 0, offset: "0" }] });
  } finally {
    await admin.disconnect();
  }
});

test("delete records before an offset on a partition: preview, confirm, the log starts there", async ({
  page,
}, testInfo) => {
  test.skip(!hasKcat, "kcat reads the log start as an independent client");
  await new OverviewPage(page).open(`/clusters/local/topics/${topic}`);
  await expect(page.getByTestId("earliest-0")).toHaveText("0");
  await expect(page.getByTestId("delete-records")).toBeEnabled();
  await page.getByTestId("delete-records").click();
  const dialog = page.getByTestId("delete-records-dialog");
  // The default is the log end: every record goes.
  await expect(page.getByTestId("delete-records-offset")).toHaveValue(String(p0));
  await expect(page.getByTestId("delete-records-range")).toContainText("offsets 0 (log start) to 10 (log end)");
  await page.getByTestId("delete-records-offset").fill(String(p0 + 1));
  await expect(dialog).toContainText("Must be at most the log end, 10");
  await expect(page.getByTestId("delete-records-preview-submit")).toBeDisabled();
  await page.getByTestId("delete-records-offset").fill(String(before));
  await page.getByTestId("delete-records-preview-submit").click();

  const preview = page.getByTestId("delete-records-preview");
  await expect(preview.getByTestId("delete-records-count-0")).toHaveText(String(before));
  await expect(preview.getByTestId("delete-records-new-start-0")).toHaveText(String(before));
  await expect(preview.getByTestId("cli-command")).toContainText("kafka-delete-records.sh");
  await expect(page.getByTestId("delete-records-submit")).toHaveText(`Delete ${before} records`);
  await page.screenshot({ path: testInfo.outputPath("delete-records-preview.png") });
  // A preview deletes nothing.
  await expect(page.getByTestId("earliest-0")).toHaveText("0");

  await page.getByTestId("delete-records-submit").click();
  const result = page.getByTestId("delete-records-result");
  await expect(result).toContainText(`partition 0 now starts at offset ${before}`);
  await expect(result.getByTestId("delete-records-new-start-0")).toHaveText(String(before));
  await dialog.getByRole("button", { name: "Close", exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId("earliest-0")).toHaveText(String(before));
  await expect(page.getByTestId("earliest-1")).toHaveText("0");

  // Independently: kafkajs's ListOffsets and kcat's own reading of the log from its beginning.
  const kafka = await labKafka();
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((o) => [o.partition, o.low, o.high]).sort()).toEqual([
      [0, String(before), String(p0)],
      [1, "0", String(p1)],
    ]);
  } finally {
    await admin.disconnect();
  }
  const bootstrap = (
    (await (await fetch(`${new URL(page.url()).origin}/api/clusters/local`)).json()) as {
      bootstrap: string[];
    }
  ).bootstrap;
  const read = execFileSync(
    "kcat",
    ["-b", bootstrap.join(","), "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e", "-q", "-f", "%o\\n"],
    { encoding: "utf8", timeout: 30_000 },
  )
    .trim()
    .split("\n")
    .map(Number);
  expect(read).toEqual(Array.from({ length: p0 - before }, (_, i) => before + i));
});

test("delete records is refused on an internal topic, with the reason", async ({ page }) => {
  await new OverviewPage(page).open("/clusters/local/topics/__consumer_offsets");
  const button = page.getByTestId("delete-records");
  await expect(button).toBeDisabled();
  await expect(button).toHaveAttribute("title", /internal topics/);
});
