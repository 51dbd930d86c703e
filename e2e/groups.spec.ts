import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createTopicsLed, labKafka, uniqueName } from "./fixtures/kafka";
import { baseURL } from "./pages/overview-page";

// Reset a group's offsets from its page: preview to a date and time, apply, see its lag change.

/** A time as a datetime-local input takes it (the browser's local time, which is this machine's). */
function localInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

test("preview a reset to a time, apply it, and the group's lag changes", async ({ page }) => {
  const kafka = await labKafka();
  const admin = kafka.admin();
  await admin.connect();
  const topic = uniqueName("e2e-reset");
  const group = uniqueName("e2e-reset-group");
  // Whole seconds: the input takes seconds, and message i is stamped base + i s.
  const base = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
  try {
    await createTopicsLed(admin, [{ topic, numPartitions: 1, replicationFactor: 1 }]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: 20 }, (_, i) => ({ value: `m${i}`, timestamp: String(base + i * 1000) })),
    });
    await producer.disconnect();
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: "20" }] });

    await page.goto(`${baseURL()}/clusters/local/consumer-groups/${encodeURIComponent(group)}`);
    await expect(page.getByTestId("group-total-lag")).toHaveText("0");
    const panel = page.getByTestId("reset-panel");
    await expect(panel.getByTestId(`reset-topic-${topic}`)).toBeChecked();
    await panel.getByTestId("reset-mode").selectOption("timestamp");
    await panel.getByTestId("reset-timestamp").fill(localInput(base + 10_000));
    await expect(panel.getByTestId("reset-apply")).toBeDisabled();
    await panel.getByTestId("reset-preview").click();

    const row = panel.getByTestId(`reset-row-${topic}-0`);
    await expect(row.getByTestId("new-offset")).toHaveText("10");
    await expect(row.getByTestId("lag-after")).toHaveText("10");
    await expect(panel.getByTestId("cli-command")).toContainText(
      `--group ${group} --reset-offsets --to-datetime ${new Date(base + 10_000).toISOString()} --topic ${topic} --dry-run`,
    );
    // Nothing changed yet.
    await expect(page.getByTestId("group-total-lag")).toHaveText("0");
    await panel.scrollIntoViewIfNeeded();
    const shots = path.resolve(__dirname, "..", "test-results");
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, "group-reset-preview.png") });

    await panel.getByTestId("reset-apply").click();
    await expect(panel.getByTestId("reset-applied")).toContainText("Committed 1 offset(s).");
    await expect(panel.getByTestId("cli-command")).toContainText("--execute");
    await expect(page.getByTestId("group-total-lag")).toHaveText("10");
    await expect(page.getByTestId(`offset-row-${topic}-0`).getByTestId("lag")).toHaveText("10");
    // Lag in time: the oldest unconsumed message (offset 10) was stamped base + 10 s, about 59m50s ago.
    await expect(page.getByTestId(`offset-row-${topic}-0`).getByTestId("lag-time")).toHaveText(/^(59m \d+s|1h 0m)$/);
    await expect(page.getByTestId("group-actions")).toContainText(`${topic}-0: 20 → 10`);
    await expect(page.getByTestId("group-actions")).toContainText("console");
    // The lag history records the new lag, and marks the reset on the chart.
    await expect(page.getByTestId("lag-chart")).toHaveAttribute("data-last-lag", "10");
    await expect(page.getByTestId("lag-chart").getByText("reset", { exact: true })).toBeVisible();
    await page.screenshot({ path: path.join(shots, "group-reset-applied.png"), fullPage: true });

    // Kafka agrees.
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    expect(committed?.partitions[0]?.offset).toBe("10");
  } finally {
    await admin.deleteGroups([group]).catch(() => {});
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
});
