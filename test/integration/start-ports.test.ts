import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import getPort from "get-port";
import { afterEach, describe, expect, it } from "vitest";
import { EmbeddedCluster, newClusterId } from "@/server/embedded/embedded-cluster";
import { testClusterConfig } from "../helpers/cluster";

// A port is chosen free, then handed to a JVM that listens on it seconds later: another process can
// take it in between. A port Quorum chose moves; a port the settings name fails the start at once,
// saying which, instead of leaving the lab "starting" while the other nodes wait for it.
describe("a lab whose node finds its port taken while it starts", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function holdPort(): Promise<number> {
    // Quorum's probes connect to it and get no answer: their sockets end with it.
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          server.close(() => r());
          for (const socket of sockets) socket.destroy();
        }),
    );
    return (server.address() as net.AddressInfo).port;
  }

  function lab(brokerPorts: string): { cluster: EmbeddedCluster; dataDir: string } {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-it-"));
    const cluster = new EmbeddedCluster(testClusterConfig({ brokers: 1, dataDir, brokerPorts }));
    cleanups.push(async () => {
      await cluster.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    return { cluster, dataDir };
  }

  it("a broker port Quorum chose, taken by another process, is replaced by a free one and the lab starts", async () => {
    const held = await holdPort();
    const controllerPort = await getPort({ exclude: [held] });
    const { cluster, dataDir } = lab("auto");
    // The layout a lab grown at run time keeps: its nodes start on the ports it names, unchecked.
    const layout = {
      clusterId: newClusterId(),
      changed: true,
      shape: { brokers: 1, controllers: 1 },
      brokers: [{ id: 1, port: held }],
      controllers: [{ id: 101, port: controllerPort }],
    };
    fs.writeFileSync(path.join(dataDir, "cluster.json"), JSON.stringify(layout));
    await cluster.start();
    const [address] = cluster.bootstrap;
    expect(address).toBeDefined();
    const port = Number(address?.split(":")[1]);
    expect(port).not.toBe(held);
    const stored = JSON.parse(fs.readFileSync(path.join(dataDir, "cluster.json"), "utf8")) as typeof layout;
    expect(stored.brokers[0]?.port).toBe(port);
    // kcat (librdkafka), not Quorum's client: broker 1 answers on the new port and advertises it.
    const md = JSON.parse(
      execFileSync("kcat", ["-b", `127.0.0.1:${port}`, "-L", "-J", "-m", "5"], { encoding: "utf8", timeout: 15_000 }),
    ) as { brokers: { id: number; name: string }[] };
    expect(md.brokers).toEqual([{ id: 1, name: `127.0.0.1:${port}` }]);
    // Broker 1's first run said why it ended.
    const log = fs.readFileSync(path.join(dataDir, "broker-1", "logs", "server.log"), "utf8");
    expect(log).toContain(`Socket server failed to bind to 127.0.0.1:${held}`);
  });

  it("a broker port the settings name, taken by another process, fails the start at once and says which", async () => {
    const held = await holdPort();
    const { cluster } = lab(String(held));
    const began = Date.now();
    // Without a look at the ended node, the start would wait as long as the controller logs.
    const failed = await cluster.start().then(
      () => null,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    const ms = Date.now() - began;
    console.log(`start failed ${ms} ms after it began: ${failed}`);
    expect(failed).toMatch(
      new RegExp(
        `^broker 1 ended while starting \\(exit code \\d+\\): 127\\.0\\.0\\.1:${held} is held by another process`,
      ),
    );
    expect(cluster.startError).toBe(failed);
    expect(cluster.nodeStates().find((n) => n.id === 1)?.status).toBe("down");
  });
});
