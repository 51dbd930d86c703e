import fs from "node:fs";
import path from "node:path";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { CONFIG_FILE_CLUSTER, LAB_SECRET_ENV } from "./fixtures/clusters";
import { uniqueName } from "./fixtures/kafka";
import { baseURL } from "./pages/overview-page";

const SCREENS = "/tmp/screens";
const DEMO_TOPICS = ["orders", "payments", "clicks"];

async function labBootstrap(request: APIRequestContext): Promise<string[]> {
  const res = await request.get(`${baseURL()}/api/clusters/local`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { bootstrap: string[] }).bootstrap;
}

/** Removes a cluster the test added, whatever state the test ended in. */
async function removeQuietly(request: APIRequestContext, id: string): Promise<void> {
  await request.delete(`${baseURL()}/api/clusters/${id}`).catch(() => undefined);
}

function storedClusters(): { mode: number; text: string } {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR is set by e2e/global-setup.ts");
  const file = path.join(dataDir, "clusters.json");
  return { mode: fs.statSync(file).mode & 0o777, text: fs.readFileSync(file, "utf8") };
}

test.beforeAll(() => {
  fs.mkdirSync(SCREENS, { recursive: true });
});

test("a cluster is tested, added, browsed and removed from the UI", async ({ page, request }) => {
  const id = uniqueName("e2e-lab");
  const bootstrap = await labBootstrap(request);
  try {
    await page.goto(`${baseURL()}/clusters/local`);
    await page.getByTestId("add-cluster-link").click();
    await expect(page).toHaveURL(/\/clusters\/new$/);

    // A server nothing listens on: the test names the failing step, and Add stays disabled.
    await page.getByTestId("cluster-id").fill(id);
    await page.getByTestId("cluster-name").fill("Lab, again");
    await page.getByTestId("cluster-bootstrap").fill("127.0.0.1:1");
    await page.getByTestId("cluster-test").click();
    await expect(page.getByTestId("cluster-test-result")).toHaveAttribute("data-ok", "false");
    await expect(page.getByTestId("cluster-test-step-tcp")).toHaveAttribute("data-ok", "false");
    await expect(page.getByTestId("cluster-test-step-tcp")).toContainText("TCP: connection refused by 127.0.0.1:1");
    await expect(page.getByTestId("cluster-test-step-api-versions")).toHaveCount(0);
    await expect(page.getByTestId("cluster-add")).toBeDisabled();
    await page.screenshot({ path: `${SCREENS}/clusters-new-test-failed.png`, fullPage: true });

    // The lab's own bootstrap servers: every step passes.
    await page.getByTestId("cluster-bootstrap").fill(bootstrap.join(","));
    await expect(page.getByTestId("cluster-add")).toBeDisabled();
    await page.screenshot({ path: `${SCREENS}/clusters-new-before-test.png`, fullPage: true });
    await page.getByTestId("cluster-test").click();
    await expect(page.getByTestId("cluster-test-result")).toHaveAttribute("data-ok", "true");
    for (const step of ["tcp", "api-versions", "metadata"]) {
      await expect(page.getByTestId(`cluster-test-step-${step}`)).toHaveAttribute("data-ok", "true");
    }
    await expect(page.getByTestId("cluster-test-step-metadata")).toContainText("live brokers");
    await expect(page.getByTestId("cluster-add")).toBeEnabled();
    await page.screenshot({ path: `${SCREENS}/clusters-new-after-test.png`, fullPage: true });

    await page.getByTestId("cluster-add").click();
    await expect(page).toHaveURL(new RegExp(`/clusters/${id}$`));

    // Stored with mode 0600, and browsed like any other cluster.
    const stored = storedClusters();
    expect(stored.mode).toBe(0o600);
    expect(JSON.parse(stored.text).clusters).toContainEqual({ id, name: "Lab, again", bootstrap });
    const listed = (await (await request.get(`${baseURL()}/api/clusters`)).json()) as {
      id: string;
      origin: string;
      readOnly: boolean;
    }[];
    expect(listed.find((c) => c.id === id)).toMatchObject({ origin: "runtime", readOnly: false });

    await page.getByTestId("nav-topics").click();
    for (const topic of DEMO_TOPICS) {
      await page.getByTestId("topic-search").fill(topic);
      await expect(page.getByTestId(`topic-link-${topic}`)).toBeVisible({ timeout: 60_000 });
    }
    await expect(page.getByTestId("create-topic")).toBeEnabled();

    // Removed from the clusters page: gone from the API and from the file.
    await page.goto(`${baseURL()}/clusters/new`);
    await page.getByTestId(`cluster-remove-${id}`).click();
    await page.getByTestId(`cluster-remove-confirm-${id}`).click();
    await expect(page.getByTestId(`cluster-row-${id}`)).toHaveCount(0);
    expect((await request.get(`${baseURL()}/api/clusters/${id}`)).status()).toBe(404);
    expect(JSON.parse(storedClusters().text).clusters.map((c: { id: string }) => c.id)).not.toContain(id);
    // A cluster from the config file has no remove action.
    await expect(page.getByTestId(`cluster-remove-${CONFIG_FILE_CLUSTER}`)).toHaveCount(0);
  } finally {
    await removeQuietly(request, id);
  }
});

test("a cluster on a SASL_SSL listener is tested, added, browsed and removed from the UI", async ({
  page,
  request,
}) => {
  const id = uniqueName("e2e-sasl");
  const local = (await (await request.get(`${baseURL()}/api/clusters/local`)).json()) as {
    sasl?: { bootstrap: string[]; caFile: string; user: string; mechanism: string };
  };
  const sasl = local.sasl;
  if (!sasl) throw new Error("global-setup starts the lab with QUORUM_LAB_SASL=true");
  const dataDir = process.env.E2E_DATA_DIR ?? "";
  const password = process.env.E2E_LAB_SASL_PASSWORD ?? "";
  expect(password.length).toBeGreaterThan(8);
  expect(sasl.caFile).toBe(path.join(dataDir, "security", "ca.pem"));
  try {
    await page.goto(`${baseURL()}/clusters/new`);
    await page.getByTestId("cluster-id").fill(id);
    await page.getByTestId("cluster-name").fill("Lab over SASL_SSL");
    await page.getByTestId("cluster-bootstrap").fill(sasl.bootstrap.join(","));
    await expect(page.getByTestId("cluster-tls-ca")).toHaveCount(0);
    await page.getByTestId("cluster-tls").check();
    await page.getByTestId("cluster-tls-ca").fill(path.join(dataDir, "security", "ca.pem"));
    await page.getByTestId("cluster-sasl-mechanism").selectOption("SCRAM-SHA-512");
    await page.getByTestId("cluster-sasl-username").fill("quorum");

    // Any variable but a QUORUM_SECRET_ one is refused by the form (the route's own schema).
    await page.getByTestId("cluster-sasl-password-env").fill("HOME");
    await page.getByTestId("cluster-test").click();
    await expect(page.getByTestId("cluster-error-sasl.passwordEnv")).toContainText("QUORUM_SECRET_");
    await expect(page.getByTestId("cluster-test-result")).toHaveCount(0);

    // A QUORUM_SECRET_ variable the server does not have: the server says so, naming it.
    await page.getByTestId("cluster-sasl-password-env").fill("QUORUM_SECRET_E2E_NOT_SET");
    await page.getByTestId("cluster-test").click();
    await expect(page.getByTestId("cluster-test-error")).toContainText(
      "the environment variable QUORUM_SECRET_E2E_NOT_SET is not set",
    );

    await page.getByTestId("cluster-sasl-password-env").fill(LAB_SECRET_ENV);
    await page.screenshot({ path: `${SCREENS}/clusters-new-sasl-form.png`, fullPage: true });
    await page.getByTestId("cluster-test").click();
    await expect(page.getByTestId("cluster-test-result")).toHaveAttribute("data-ok", "true");
    for (const step of ["tcp", "tls", "sasl", "api-versions", "metadata"]) {
      await expect(page.getByTestId(`cluster-test-step-${step}`)).toHaveAttribute("data-ok", "true");
    }
    await expect(page.getByTestId("cluster-test-step-tls")).toContainText("verified");
    await expect(page.getByTestId("cluster-test-step-sasl")).toContainText("accepted quorum (SCRAM-SHA-512)");
    await expect(page.getByTestId("cluster-test-step-metadata")).toContainText("3 live brokers");
    await page.screenshot({ path: `${SCREENS}/clusters-new-sasl-tested.png`, fullPage: true });

    await page.getByTestId("cluster-add").click();
    await expect(page).toHaveURL(new RegExp(`/clusters/${id}$`));

    // Its brokers are the SASL_SSL listeners; its topics are the lab's.
    await page.getByTestId("nav-brokers").click();
    for (const address of sasl.bootstrap) {
      const port = address.split(":")[1] ?? "";
      await expect(page.getByText(new RegExp(`127\\.0\\.0\\.1:${port}\\b`)).first()).toBeVisible({
        timeout: 60_000,
      });
    }
    await page.getByTestId("nav-topics").click();
    await page.getByTestId("topic-search").fill("orders");
    await expect(page.getByTestId("topic-link-orders")).toBeVisible({ timeout: 60_000 });

    // The list says how it is reached, never the password.
    await page.goto(`${baseURL()}/clusters/new`);
    await expect(page.getByTestId(`cluster-security-${id}`)).toHaveText("TLS · SASL SCRAM-SHA-512 as quorum");
    await page.screenshot({ path: `${SCREENS}/clusters-list-sasl.png`, fullPage: true });
    const stored = storedClusters();
    expect(stored.text).toContain(LAB_SECRET_ENV);
    expect(stored.text).not.toContain(password);
    const listed = await (await request.get(`${baseURL()}/api/clusters`)).text();
    expect(listed).not.toContain(password);

    await page.getByTestId(`cluster-remove-${id}`).click();
    await page.getByTestId(`cluster-remove-confirm-${id}`).click();
    await expect(page.getByTestId(`cluster-row-${id}`)).toHaveCount(0);
    expect((await request.get(`${baseURL()}/api/clusters/${id}`)).status()).toBe(404);

    // Nothing the server logged carries the password.
    const log = fs.readFileSync(process.env.E2E_SERVER_LOG ?? "", "utf8");
    expect(log).toContain(`"cluster":"${id}"`);
    expect(log.includes(password)).toBe(false);
  } finally {
    await removeQuietly(request, id);
  }
});

test("a read-only cluster refuses mutations with 403 and its page disables them", async ({ page, request }) => {
  const id = uniqueName("e2e-ro");
  const bootstrap = await labBootstrap(request);
  try {
    const added = await request.post(`${baseURL()}/api/clusters`, { data: { id, bootstrap, readOnly: true } });
    expect(added.status()).toBe(201);
    expect(await added.json()).toMatchObject({ id, bootstrap, readOnly: true, origin: "runtime" });

    const create = await request.post(`${baseURL()}/api/clusters/${id}/topics`, {
      data: { name: `${id}-t`, partitions: 1, replicationFactor: 1 },
    });
    expect(create.status()).toBe(403);
    expect((await create.json()).error.code).toBe("read_only");
    const elect = await request.post(`${baseURL()}/api/clusters/${id}/elect-leaders`, { data: {} });
    expect(elect.status()).toBe(403);
    // Nothing was created: the lab (the same Kafka) has no such topic.
    expect((await request.get(`${baseURL()}/api/clusters/local/topics/${id}-t`)).status()).toBe(404);

    const summary = (await (await request.get(`${baseURL()}/api/clusters/${id}`)).json()) as { readOnly: boolean };
    expect(summary.readOnly).toBe(true);

    await page.goto(`${baseURL()}/clusters/${id}/topics`);
    await expect(page.getByTestId("cluster-read-only")).toBeVisible();
    await page.getByTestId("topic-search").fill("orders");
    await expect(page.getByTestId("topic-link-orders")).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId("create-topic")).toBeDisabled();
    await expect(page.getByTestId("create-topic")).toHaveAttribute("title", /read-only/);
    await page.screenshot({ path: `${SCREENS}/clusters-read-only-topics.png` });
    await page.getByTestId("topic-link-orders").click();
    await expect(page.getByTestId("delete-topic")).toBeDisabled();
    await expect(page.getByTestId("elect-topic")).toBeDisabled();

    // A read-only cluster added here can still be removed: that changes Quorum's list, not the cluster.
    expect((await request.delete(`${baseURL()}/api/clusters/${id}`)).status()).toBe(200);
  } finally {
    await removeQuietly(request, id);
  }
});

test("the connection test says which step failed, over the API", async ({ request }) => {
  const res = await request.post(`${baseURL()}/api/clusters/test`, {
    data: { id: "probe", bootstrap: ["127.0.0.1:1"] },
  });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { ok: boolean; steps: { step: string; ok: boolean; message: string }[] };
  expect(body.ok).toBe(false);
  expect(body.steps).toEqual([
    expect.objectContaining({ step: "tcp", ok: false, message: "TCP: connection refused by 127.0.0.1:1" }),
  ]);
  // Testing adds nothing.
  expect((await request.get(`${baseURL()}/api/clusters/probe`)).status()).toBe(404);
});
