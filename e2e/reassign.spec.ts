import { expect, test } from "@playwright/test";
import { kcatMetadata } from "../test/helpers/kcat";
import { labKafka, uniqueName } from "./fixtures/kafka";
import { baseURL } from "./pages/overview-page";

// The Reassign page on the shared three-broker lab: a plan read before it is started, the run
// followed live to its end, and kcat's view of the cluster afterwards.

test("a topic moved onto brokers 2 and 3 from the Reassign page: plan, start, live progress to done, as kcat sees it", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const topic = uniqueName("e2e-reassign");
  const kafka = await labKafka();
  const admin = kafka.admin();
  await admin.connect();
  const bootstrap = ((await (await fetch(`${baseURL()}/api/clusters/local`)).json()) as { bootstrap: string[] })
    .bootstrap;
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          replicaAssignment: [
            { partition: 0, replicas: [1, 2] },
            { partition: 1, replicas: [2, 1] },
          ],
        },
      ],
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 200 }, (_, i) => ({ value: `m${i}` })) });
    await producer.disconnect();

    await page.goto(`${baseURL()}/clusters/local/reassign`);
    await page.getByTestId("reassign-goal-topic").check();
    await page.getByTestId("reassign-topic-search").fill(topic);
    await expect(page.getByTestId("reassign-topic").locator("option")).toHaveCount(1);
    await page.getByTestId("reassign-broker-2").check();
    await page.getByTestId("reassign-broker-3").check();
    await page.getByTestId("reassign-plan").click();
    await expect(page.getByTestId("reassign-plan-summary")).toContainText("2 partitions change, 2 copy data");
    await expect(page.getByTestId("reassign-move")).toHaveCount(2);
    await expect(page.getByTestId("reassign-cli-execute")).toContainText(
      "kafka-reassign-partitions.sh --bootstrap-server",
    );
    await page.screenshot({ path: testInfo.outputPath("reassign-plan.png"), fullPage: true });

    await page.getByTestId("reassign-throttle").fill("10");
    await expect(page.getByTestId("reassign-cli-execute")).toContainText("--execute --throttle 10485760");
    await page.getByTestId("reassign-start").click();
    // The plan is done with once started; the run follows it.
    await expect(page.getByTestId("reassign-plan-panel")).toHaveCount(0);
    const run = page.getByTestId("reassign-run").first();
    await expect(run.getByTestId("reassign-run-status")).toHaveText("done", { timeout: 60_000 });
    await expect(run.getByTestId("reassign-run-progress")).toContainText("2 of 2 partitions settled");
    await expect(run).toContainText("throttle 10 MiB/s (removed)");
    await page.screenshot({ path: testInfo.outputPath("reassign-done.png"), fullPage: true });

    const parts = kcatMetadata(bootstrap).partitions.filter((p) => p.topic === topic);
    expect(parts).toHaveLength(2);
    for (const p of parts) {
      expect([...p.replicas].sort()).toEqual([2, 3]);
      expect([...p.isr].sort()).toEqual([2, 3]);
    }
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
});
