import http from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, chromium, expect, type Page, test } from "@playwright/test";
import { hasKcat, kcatMetadata } from "../test/helpers/kcat";
import { uniqueName } from "./fixtures/kafka";
import { baseURL } from "./pages/overview-page";

// Another site, served from a second loopback origin (127.0.0.1 on another port), tries what the
// issue showed working: a no-cors text/plain POST, an auto-posting text/plain form, framing the
// console; and a browser whose DNS maps a foreign name to the console (rebinding).

const api = "/api/clusters/local";

/** The attacker's pages; `console` is the console's origin, `topic` the name its create would use. */
function attackerPage(kind: string, consoleOrigin: string, topic: string): string {
  const target = `${consoleOrigin}${api}/topics`;
  const create = JSON.stringify({ name: topic, partitions: 1, replicationFactor: 1 });
  switch (kind) {
    case "fetch":
      return `<!doctype html><title>fetch</title><script>
        fetch(${JSON.stringify(target)}, { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" },
          body: ${JSON.stringify(create)} })
          .then(() => { document.title = "sent"; }, (e) => { document.title = "failed: " + e; });
      </script>`;
    case "form": {
      // text/plain form encoding sends `name=value\r\n`: with a duplicate "name" key the '=' lands
      // in a string Kafka never sees, and JSON.parse keeps the last "name" (the classic JSON CSRF).
      const field = `{"name":"x`;
      const value = `","name":${JSON.stringify(topic)},"partitions":1,"replicationFactor":1}`;
      return `<!doctype html><title>form</title>
        <form id="f" method="POST" enctype="text/plain" action="${target}">
          <input type="hidden" name='${field}' value='${value}'>
        </form><script>document.getElementById("f").submit();</script>`;
    }
    case "frame":
      return `<!doctype html><title>frame</title>
        <iframe id="console" src="${consoleOrigin}/clusters/local" width="800" height="600"
          onload="document.title = 'frame loaded'"></iframe>`;
    default:
      return "<!doctype html><title>nothing</title>";
  }
}

test.describe("another site cannot act on the console", () => {
  test.skip(!hasKcat, "kcat reads the cluster as an independent client");

  let attacker: http.Server;
  let attackerOrigin: string;
  let bootstrap: string[];
  const created: string[] = [];
  const topicExists = (name: string) => kcatMetadata(bootstrap).partitions.some((p) => p.topic === name);

  test.beforeAll(async () => {
    const consoleOrigin = new URL(baseURL()).origin;
    bootstrap = ((await (await fetch(`${consoleOrigin}${api}`)).json()) as { bootstrap: string[] }).bootstrap;
    attacker = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://attacker");
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(attackerPage(url.pathname.slice(1), consoleOrigin, url.searchParams.get("topic") ?? ""));
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    expect(attackerOrigin).not.toBe(consoleOrigin);
  });

  test.afterAll(async () => {
    await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
    // A console that let a request through made a topic: remove it so later specs see the lab as it was.
    const origin = new URL(baseURL()).origin;
    for (const name of created.filter(topicExists)) {
      await fetch(`${origin}${api}/topics/${name}`, { method: "DELETE" }).catch(() => undefined);
    }
  });

  /** Opens an attacker page and returns the console's answer to the request it makes. */
  async function attack(page: Page, kind: "fetch" | "form", topic: string): Promise<number> {
    created.push(topic);
    const answered = page.waitForResponse((r) => r.url() === `${new URL(baseURL()).origin}${api}/topics`);
    await page.goto(`${attackerOrigin}/${kind}?topic=${topic}`);
    return (await answered).status();
  }

  test("a no-cors text/plain fetch from another origin creates no topic", async ({ page }) => {
    const topic = uniqueName("xsite-fetch");
    const status = await attack(page, "fetch", topic);
    await expect(page).toHaveTitle(/sent|failed/);
    // The create is answered once Kafka has the topic; give the metadata a moment all the same.
    await page.waitForTimeout(2000);
    expect.soft(topicExists(topic), `kcat sees topic ${topic}`).toBe(false);
    expect([403, 415], `the console answered the fetch ${status}`).toContain(status);
  });

  test("an auto-posting text/plain form from another origin creates no topic", async ({ page }) => {
    const topic = uniqueName("xsite-form");
    const status = await attack(page, "form", topic);
    await page.waitForTimeout(2000);
    expect.soft(topicExists(topic), `kcat sees topic ${topic}`).toBe(false);
    expect([403, 415], `the console answered the form ${status}`).toContain(status);
  });

  test("a page on another origin cannot frame the console", async ({ page }) => {
    const consoleOrigin = new URL(baseURL()).origin;
    const marker = "Quorum — Kafka console";
    // The markers really are in the console's page when it loads at the top level.
    await page.goto(`${consoleOrigin}/clusters/local`);
    await expect(page.getByTestId("nav-topics")).toBeVisible();
    expect(await page.content()).toContain(marker);

    await page.goto(`${attackerOrigin}/frame`);
    await expect(page).toHaveTitle("frame loaded");
    const child = page.frames().find((f) => f.parentFrame() === page.mainFrame());
    expect(child, "the iframe exists").toBeDefined();
    const url = child?.url() ?? "";
    const html = (await child?.content().catch(() => "")) ?? "";
    const rendered = html.includes(marker) || html.includes('data-testid="nav-topics"');
    expect(rendered, `the framed document (${url}) is the console`).toBe(false);
  });

  test("a foreign name resolving to the console (DNS rebinding) is refused, reads and pages", async ({
    launchOptions,
  }) => {
    const port = new URL(baseURL()).port;
    let browser: Browser | undefined;
    try {
      // The project's Chromium and flags, with a resolver that maps the attacker's name to the console.
      browser = await chromium.launch({
        ...launchOptions,
        args: [...(launchOptions.args ?? []), "--host-resolver-rules=MAP rebind.test 127.0.0.1"],
      });
      const page = await browser.newPage();
      // The same browser reaches the console by its own address: the refusal below is about the name.
      const own = await page.goto(`http://127.0.0.1:${port}${api}`);
      expect(own?.status()).toBe(200);

      const read = await page.goto(`http://rebind.test:${port}/api/clusters`);
      expect(read?.status()).toBe(403);
      expect(await read?.text()).not.toContain("bootstrap");
      // The event stream, read by the rebound page itself (same origin for the browser): only the status.
      const events = await page.evaluate(async (path) => {
        const abort = new AbortController();
        const res = await fetch(path, { signal: abort.signal });
        abort.abort();
        return res.status;
      }, `${api}/events`);
      expect(events).toBe(403);
      const home = await page.goto(`http://rebind.test:${port}/`);
      expect(home?.status()).toBe(403);
    } finally {
      await browser?.close();
    }
  });
});
