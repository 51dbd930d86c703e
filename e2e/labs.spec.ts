import { execFileSync } from "node:child_process";
import { expect, type Page, test } from "@playwright/test";
import type { Kafka } from "kafkajs";
import { kcatMetadata } from "../test/helpers/kcat";
import { labKafka } from "./fixtures/kafka";
import { baseURL } from "./pages/overview-page";

// A Korean browser: the console follows its Accept-Language.
test.use({ locale: "ko-KR" });

let bootstrap: string[] = [];
let kafka: Kafka;

test.beforeAll(async () => {
  const res = await fetch(`${baseURL()}/api/clusters/local`);
  bootstrap = ((await res.json()) as { bootstrap: string[] }).bootstrap;
  kafka = await labKafka();
});

/** The lab topic's partitions as kcat (librdkafka) sees them: an independent client. */
const partitions = (topic: string) => kcatMetadata(bootstrap).partitions.filter((p) => p.topic === topic);
const brokersUp = () => kcatMetadata(bootstrap).brokers;

/** Whether an independent check holds now (a failed look counts as not yet). */
async function holds(check: () => boolean | Promise<boolean>): Promise<boolean> {
  try {
    return await check();
  } catch {
    return false;
  }
}

/** Polls an independent check until it holds (the cluster reached the step's state). */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // A stopped broker makes a look fail now and then: look again.
    }
    if (Date.now() > deadline) throw new Error(`the cluster never reached: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Reads a topic to its end with kcat; how many messages. */
function kcatCount(topic: string): number {
  const out = execFileSync("kcat", ["-b", bootstrap.join(","), "-C", "-t", topic, "-e", "-q", "-f", "%o\\n"], {
    encoding: "utf8",
    timeout: 15_000,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return out.split("\n").filter(Boolean).length;
}

/** Produces one message with acks=all through kcat, without retries; the broker's refusal as text, or null when accepted. */
function kcatProduce(topic: string): string | null {
  try {
    execFileSync(
      "kcat",
      [
        "-b",
        bootstrap.join(","),
        "-P",
        "-t",
        topic,
        "-p",
        "0",
        "-X",
        "acks=all",
        "-X",
        "message.timeout.ms=5000",
        "-X",
        "retries=0",
      ],
      {
        input: "from kcat\n",
        encoding: "utf8",
        timeout: 15_000,
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    return null;
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
}

async function openLab(page: Page, id: string) {
  await page.goto(`${baseURL()}/clusters/local/labs/${id}`);
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await page.getByTestId("lab-reset").click();
  // The reset is done when its button is enabled again; it reported nothing it could not do.
  await expect(page.getByTestId("lab-reset")).toBeEnabled({ timeout: 120_000 });
  await expect(page.getByTestId("lab-error")).toHaveCount(0);
  await expect(page.getByTestId("lab-step-create")).toHaveAttribute("data-state", "current", { timeout: 120_000 });
  await until(
    "no lab topic left",
    () => !kcatMetadata(bootstrap).partitions.some((p) => p.topic.startsWith("lab-")),
    60_000,
  );
}

/**
 * One step: its button (if any) is clicked while the step is current and not green; the
 * independent client sees the cluster reach the step's state; then the step is green.
 */
async function step(page: Page, id: string, reached: () => boolean | Promise<boolean>, what: string) {
  const card = page.getByTestId(`lab-step-${id}`);
  const action = page.getByTestId(`lab-action-${id}`);
  // A step with a button waits for it: not green before the click changed the cluster. A step that
  // only asks to look may turn green on the same look as the one before it.
  if (await action.count()) {
    await expect(card).toHaveAttribute("data-state", "current");
    await action.click();
  }
  // Watch the card while the cluster gets there: green while the independent client does not see
  // the state (given 2 s for its metadata to catch up with Quorum's) is a step green too early.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await card.getAttribute("data-state");
    if (await holds(reached)) break;
    if (state === "done") {
      await until(`${what} (within 2 s of the step turning green)`, reached, 2_000).catch(() => {
        throw new Error(`step ${id} turned green before the cluster got there: ${what}`);
      });
      break;
    }
    if (Date.now() > deadline) throw new Error(`the cluster never reached: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await expect(card).toHaveAttribute("data-state", "done", { timeout: 30_000 });
}

async function finished(page: Page, lab: string, testInfo: { outputPath: (n: string) => string }) {
  const done = page.getByTestId("lab-finished");
  await expect(done).toBeVisible();
  const ms = Number(await done.getAttribute("data-ms"));
  console.info(`[labs] ${lab}: ${(ms / 1000).toFixed(1)} s of cluster time from the first step to the last green`);
  expect(ms).toBeLessThanOrEqual(60_000);
  await page.screenshot({ path: testInfo.outputPath(`lab-${lab}.png`), fullPage: true });
}

test.describe
  .serial("guided labs in Korean, each step green only once the cluster got there", () => {
    test("(a) a topic with replication factor 3: leaders and ISR", async ({ page }, testInfo) => {
      const topic = "lab-replication";
      await openLab(page, "topic-replication");
      await expect(page.getByRole("heading", { level: 1 })).toContainText("복제: leader와 ISR");
      await step(
        page,
        "create",
        () =>
          partitions(topic).length === 3 &&
          partitions(topic).every((p) => p.replicas.length === 3 && p.isr.length === 3),
        "3 partitions, RF 3",
      );
      await step(
        page,
        "leaders",
        () => new Set(partitions(topic).map((p) => p.leader)).size === 3,
        "one leader per broker",
      );
      await step(page, "produce", () => kcatCount(topic) >= 1, "a message in the topic");
      await finished(page, "topic-replication", testInfo);
    });

    test("(b) failover: the leader moves, the ISR shrinks, leadership comes back only by election", async ({
      page,
    }, testInfo) => {
      const topic = "lab-failover";
      await openLab(page, "failover");
      await step(page, "create", () => partitions(topic)[0]?.isr.length === 3, "partition 0 with a full ISR");
      const leader = partitions(topic)[0]?.leader ?? -1;
      expect(partitions(topic)[0]?.replicas[0]).toBe(leader);
      await step(
        page,
        "stop-leader",
        () =>
          !brokersUp().includes(leader) &&
          (partitions(topic)[0]?.leader ?? -1) !== leader &&
          (partitions(topic)[0]?.leader ?? -1) >= 0,
        `broker ${leader} down and another leader`,
      );
      await step(
        page,
        "isr-shrinks",
        () => !(partitions(topic)[0]?.isr ?? [leader]).includes(leader),
        `broker ${leader} out of the ISR`,
      );
      await step(
        page,
        "start",
        () => brokersUp().includes(leader) && (partitions(topic)[0]?.isr ?? []).includes(leader),
        `broker ${leader} back in the ISR`,
      );
      await step(
        page,
        "not-back",
        () => (partitions(topic)[0]?.leader ?? leader) !== leader,
        "leadership not moved back",
      );
      await step(page, "elect", () => partitions(topic)[0]?.leader === leader, `broker ${leader} leads again`);
      await finished(page, "failover", testInfo);
    });

    test("(c) acks=all with min.insync.replicas=2: refused with one replica in sync, reads go on", async ({
      page,
    }, testInfo) => {
      const topic = "lab-min-isr";
      await openLab(page, "min-isr");
      await step(page, "create", () => partitions(topic)[0]?.isr.length === 3, "partition 0 with a full ISR");
      await step(page, "stop-one", () => partitions(topic)[0]?.isr.length === 2, "an ISR of 2");
      await step(page, "produce-ok", () => kcatCount(topic) >= 1, "the write in the topic");
      await step(page, "stop-two", () => partitions(topic)[0]?.isr.length === 1, "an ISR of 1");
      await step(
        page,
        "produce-refused",
        () => /not enough in-sync replicas|NOT_ENOUGH_REPLICAS/i.test(kcatProduce(topic) ?? ""),
        "kcat's acks=all write refused",
      );
      await expect(page.getByTestId("lab-attempt").last()).toHaveAttribute("data-code", "NOT_ENOUGH_REPLICAS");
      await step(page, "read", () => kcatCount(topic) >= 1, "the topic still read");
      await step(
        page,
        "start-all",
        () => brokersUp().length === 3 && partitions(topic)[0]?.isr.length === 3,
        "3 brokers, a full ISR",
      );
      await finished(page, "min-isr", testInfo);
    });

    test("(d) adding partitions moves keys: some keys land on another partition", async ({ page }, testInfo) => {
      const topic = "lab-ordering";
      /** Each key's partitions, as kcat reads the topic. */
      const keyPartitions = () => {
        const out = execFileSync("kcat", ["-b", bootstrap.join(","), "-C", "-t", topic, "-e", "-q", "-f", "%k %p\\n"], {
          encoding: "utf8",
          timeout: 15_000,
          stdio: ["ignore", "pipe", "pipe"],
        });
        const byKey = new Map<string, Set<string>>();
        for (const line of out.split("\n").filter(Boolean)) {
          const [key = "", p = ""] = line.split(" ");
          byKey.set(key, (byKey.get(key) ?? new Set()).add(p));
        }
        return byKey;
      };
      await openLab(page, "key-ordering");
      await step(page, "create", () => partitions(topic).length === 2, "2 partitions");
      await step(page, "produce-keys", () => keyPartitions().size === 6, "six keys written");
      await step(page, "add-partitions", () => partitions(topic).length === 4, "4 partitions");
      await step(
        page,
        "produce-again",
        () => [...keyPartitions().values()].some((ps) => ps.size > 1),
        "a key on two partitions",
      );
      await finished(page, "key-ordering", testInfo);
    });

    test("(e) a consumer group: two members share partitions, a rebalance, then LAG grows", async ({
      page,
    }, testInfo) => {
      const topic = "lab-lag";
      const group = "lab-lag-group";
      const admin = kafka.admin();
      await admin.connect();
      try {
        const members = async () => (await admin.describeGroups([group])).groups[0]?.members ?? [];
        const lag = async () => {
          const [committed, ends] = await Promise.all([
            admin.fetchOffsets({ groupId: group, topics: [topic] }),
            admin.fetchTopicOffsets(topic),
          ]);
          return ends.reduce((sum, e) => {
            const c = Number(committed[0]?.partitions.find((p) => p.partition === e.partition)?.offset ?? 0);
            return sum + (Number(e.high) - Math.max(0, c));
          }, 0);
        };
        await openLab(page, "consumer-lag");
        await step(page, "create", () => partitions(topic).length === 4, "4 partitions");
        await step(page, "two-consumers", async () => (await members()).length === 2, "two members (kafkajs admin)");
        await step(
          page,
          "produce",
          async () => (await lag()) === 0 && kcatCount(topic) >= 100,
          "100 messages read (LAG 0)",
        );
        await step(page, "stop-one", async () => (await members()).length === 1, "one member left");
        await step(page, "stop-other", async () => (await members()).length === 0, "no member left");
        await step(page, "lag-grows", async () => (await lag()) >= 100, "LAG ≥ 100 (LOG-END-OFFSET − CURRENT-OFFSET)");
        await expect(page.getByTestId("lab-lag-table")).toBeVisible();
        await finished(page, "consumer-lag", testInfo);
      } finally {
        await admin.disconnect();
      }
      await page.getByTestId("lab-reset").click();
      await expect(page.getByTestId("lab-step-create")).toHaveAttribute("data-state", "current", { timeout: 120_000 });
    });
  });
