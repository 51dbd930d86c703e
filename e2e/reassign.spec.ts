import { expect, test } from "@playwright/test";
import { kcatMetadata } from "../test/helpers/kcat";
import { createTopicsLed, labKafka, uniqueName } from "./fixtures/kafka";
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
    await createTopicsLed(admin, [
      {
        topic,
        replicaAssignment: [
          { partition: 0, replicas: [1, 2] },
          { partition: 1, replicas: [2, 1] },
        ],
      },
    ]);
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

test("the lab grows by broker 4 from the Brokers page, a topic moves onto it, then it is drained and leaves", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const topic = uniqueName("e2e-grow");
  const kafka = await labKafka();
  const admin = kafka.admin();
  await admin.connect();
  const bootstrap = ((await (await fetch(`${baseURL()}/api/clusters/local`)).json()) as { bootstrap: string[] })
    .bootstrap;
  const plan = async (goal: string, fill: () => Promise<void>) => {
    await page.goto(`${baseURL()}/clusters/local/reassign`);
    await page.getByTestId(`reassign-goal-${goal}`).check();
    await fill();
    await page.getByTestId("reassign-plan").click();
    await expect(page.getByTestId("reassign-plan-summary")).toContainText("copy data");
    const runs = async () =>
      ((await (await fetch(`${baseURL()}/api/clusters/local/reassignments`)).json()) as { runs: unknown[] }).runs
        .length;
    const before = await runs();
    await page.getByTestId("reassign-start").click();
    // Started: the plan gives way to its run, the newest.
    await expect(page.getByTestId("reassign-plan-panel")).toHaveCount(0);
    await expect(page.getByTestId("reassign-run")).toHaveCount(before + 1);
    await expect(page.getByTestId("reassign-run").first().getByTestId("reassign-run-status")).toHaveText("done", {
      timeout: 90_000,
    });
  };
  try {
    await createTopicsLed(admin, [{ topic, replicaAssignment: [{ partition: 0, replicas: [1, 2, 3] }] }]);
    await page.goto(`${baseURL()}/clusters/local/brokers`);
    await page.getByTestId("broker-add").click();
    await expect(page.getByTestId("broker-added")).toHaveText("Broker 4 is up.", { timeout: 90_000 });
    await expect(page.getByTestId("broker-row-4")).toBeVisible();
    await expect(page.getByTestId("broker-remove-4")).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("brokers-grown.png"), fullPage: true });

    await plan("topic", async () => {
      await page.getByTestId("reassign-topic-search").fill(topic);
      await expect(page.getByTestId("reassign-topic").locator("option")).toHaveCount(1);
      for (const b of [2, 3, 4]) await page.getByTestId(`reassign-broker-${b}`).check();
    });
    const moved = kcatMetadata(bootstrap).partitions.find((p) => p.topic === topic);
    expect([...(moved?.replicas ?? [])].sort()).toEqual([2, 3, 4]);

    // Drain broker 4 again, then take it out of the lab.
    await plan("drain", async () => {
      await page.getByTestId("reassign-drain-broker").selectOption("4");
    });
    expect(kcatMetadata(bootstrap).partitions.filter((p) => p.replicas.includes(4))).toEqual([]);
    await page.goto(`${baseURL()}/clusters/local/brokers`);
    await page.getByTestId("broker-remove-4").click();
    await expect(page.getByTestId("broker-row-4")).toHaveCount(0, { timeout: 60_000 });
    await expect.poll(() => kcatMetadata(bootstrap).brokers, { timeout: 30_000 }).toEqual([1, 2, 3]);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
});
