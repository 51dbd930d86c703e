import { afterEach, describe, expect, it } from "vitest";
import type { ConsoleConsumerSpec, WorkloadProcess } from "./console-consumer";
import { DemoWorkload, type WorkloadCluster, type WorkloadDeps, type WorkloadKafka } from "./demo";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const jitter = () => sleep(Math.floor(Math.random() * 15));

/** kafkajs clients that only count: connects, disconnects and sends, each taking a few ms. */
class FakeKafka implements WorkloadKafka {
  readonly clients: { kind: "producer" | "consumer"; connected: boolean; connects: number; disconnects: number }[] = [];
  sends = 0;

  private track(kind: "producer" | "consumer") {
    const c = { kind, connected: false, connects: 0, disconnects: 0 };
    this.clients.push(c);
    return {
      connect: async () => {
        await jitter();
        c.connects++;
        c.connected = true;
      },
      disconnect: async () => {
        await jitter();
        if (c.connected) c.disconnects++;
        c.connected = false;
      },
    };
  }

  producer() {
    return {
      ...this.track("producer"),
      sendBatch: async () => {
        this.sends++;
        await jitter();
        return [];
      },
    };
  }

  consumer() {
    return {
      ...this.track("consumer"),
      subscribe: async () => {},
      run: async () => {},
      pause: () => {},
      resume: () => {},
    };
  }

  connected(kind?: "producer" | "consumer") {
    return this.clients.filter((c) => c.connected && (!kind || c.kind === kind)).length;
  }
}

/** Console consumer processes that only count: started, and stopped (each stop taking a few ms). */
class FakeProcesses {
  readonly started: { spec: Omit<ConsoleConsumerSpec, "bootstrap">; running: boolean; stops: number }[] = [];

  start = (spec: Omit<ConsoleConsumerSpec, "bootstrap">): WorkloadProcess => {
    const p = { spec, running: true, stops: 0 };
    this.started.push(p);
    return {
      pid: 1000 + this.started.length,
      stop: async () => {
        await jitter();
        p.stops++;
        p.running = false;
      },
    };
  };

  running() {
    return this.started.filter((p) => p.running).length;
  }
}

const cluster: WorkloadCluster = { id: "test", bootstrap: [], embedded: null, awaitMetadata: async () => true };

function workload(retryMs = 50) {
  const kafka = new FakeKafka();
  const processes = new FakeProcesses();
  const deps: WorkloadDeps = { prepareTopics: jitter, kafka: () => kafka, consoleConsumer: processes.start };
  return { kafka, processes, w: new DemoWorkload(cluster, true, 100, deps, retryMs) };
}

/** Samples the number of produce loops every few ms until stopped; returns the most seen at once. */
function watchLoops(w: DemoWorkload) {
  let most = 0;
  const timer = setInterval(() => {
    most = Math.max(most, w.produceLoops);
  }, 2);
  return () => {
    clearInterval(timer);
    return Math.max(most, w.produceLoops);
  };
}

describe("demo workload start and stop", () => {
  let current: DemoWorkload | null = null;
  afterEach(async () => {
    await current?.stop();
    current = null;
  });

  it("start/stop/start/stop/start ten times without waiting leaves one produce loop, and a stop leaves no client connected", async () => {
    const { kafka, processes, w } = workload();
    current = w;
    const most = watchLoops(w);
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      calls.push(w.start(), w.stop(), w.start(), w.stop(), w.start());
      await jitter();
    }
    await Promise.all(calls);
    await sleep(100);
    expect(w.status().running).toBe(true);
    expect(w.produceLoops).toBe(1);
    expect(kafka.connected("producer")).toBe(1);
    expect(kafka.connected("consumer")).toBe(3);
    expect(processes.running()).toBe(1);

    // One loop sends a batch every 100 ms: about 10 in a second, not 20 or more.
    const before = kafka.sends;
    await sleep(1000);
    expect(kafka.sends - before).toBeGreaterThanOrEqual(6);
    expect(kafka.sends - before).toBeLessThanOrEqual(12);
    expect(most()).toBe(1);

    await w.stop();
    expect(w.produceLoops).toBe(0);
    expect(w.status()).toMatchObject({ running: false, starting: false });
    expect(kafka.connected()).toBe(0);
    for (const c of kafka.clients) expect(c.disconnects).toBe(c.connects);
    expect(processes.running()).toBe(0);
    for (const p of processes.started) expect(p.stops).toBe(1);
    const after = kafka.sends;
    await sleep(300);
    expect(kafka.sends).toBe(after);
  });

  it("a stop during a start waits for it, then stops: nothing runs or stays connected", async () => {
    const { kafka, processes, w } = workload();
    current = w;
    const started = w.start();
    await sleep(5);
    await w.stop();
    await started;
    await sleep(200);
    expect(w.produceLoops).toBe(0);
    expect(w.status().running).toBe(false);
    expect(kafka.connected()).toBe(0);
    expect(processes.running()).toBe(0);
  });

  it("a start during a stop runs once the stop is done", async () => {
    const { kafka, processes, w } = workload();
    current = w;
    await w.start();
    expect(w.status().running).toBe(true);
    const most = watchLoops(w);
    const stopping = w.stop();
    await sleep(0); // the stop has begun: the loop is ending, the clients not yet disconnected
    expect(w.status().running).toBe(false);
    expect(kafka.connected()).toBe(4);
    const starting = w.start();
    await Promise.all([stopping, starting]);
    await sleep(100);
    expect(w.status().running).toBe(true);
    expect(most()).toBe(1);
    expect(w.produceLoops).toBe(1);
    expect(kafka.connected()).toBe(4);
    expect(kafka.clients).toHaveLength(8);
    expect(processes.started).toHaveLength(2);
    expect(processes.running()).toBe(1);
  });

  it("runs the shipping group in Kafka's console consumer with group.protocol=consumer, counting what it reads", async () => {
    const { processes, w } = workload();
    current = w;
    await w.start();
    expect(processes.started.map((p) => [p.spec.groupId, p.spec.topic, p.spec.protocol])).toEqual([
      ["shipping", "orders", "consumer"],
    ]);
    for (let i = 0; i < 3; i++) processes.started[0]?.spec.onMessage?.();
    const shipping = w.status().groups.find((g) => g.groupId === "shipping");
    expect(shipping).toMatchObject({ type: "consumer", consumed: 3, pausable: false });
    expect(
      w
        .status()
        .groups.filter((g) => g.type === "classic")
        .map((g) => g.groupId),
    ).toEqual(["billing", "analytics", "audit"]);
    expect(() => w.setPaused("shipping", true)).toThrow(/cannot be paused/);
    processes.started[0]?.spec.onExit?.({ code: 1, signal: null, lastError: "OutOfMemoryError" });
    expect(w.status().lastError).toBe("the shipping console consumer exited (code 1): OutOfMemoryError");
  });

  it("a client whose disconnect fails at first is disconnected on a later try", async () => {
    const { kafka, w } = workload();
    current = w;
    const original = kafka.consumer.bind(kafka);
    kafka.consumer = () => {
      const c = original();
      let refusals = 2;
      return {
        ...c,
        disconnect: () => (refusals-- > 0 ? Promise.reject(new Error("the group is rebalancing")) : c.disconnect()),
      };
    };
    await w.start();
    expect(kafka.connected()).toBe(4);
    await w.stop();
    expect(kafka.connected()).toBe(0);
  });

  it("clients of a failed attempt are disconnected, and a stop ends the retries at once", async () => {
    const { kafka, processes, w } = workload(60_000);
    current = w;
    // The producer connects, then the first consumer's connect fails.
    const original = kafka.consumer.bind(kafka);
    kafka.consumer = () => ({ ...original(), connect: () => Promise.reject(new Error("coordinator not available")) });
    const status = await w.start();
    expect(status).toMatchObject({ running: false, starting: true, lastError: "coordinator not available" });
    expect(kafka.clients.map((c) => c.kind)).toEqual(["producer", "consumer"]);
    expect(processes.started).toHaveLength(0);
    expect(kafka.clients[0]).toMatchObject({ connects: 1, disconnects: 1 });
    expect(kafka.connected()).toBe(0);
    const began = Date.now();
    await w.stop();
    expect(Date.now() - began).toBeLessThan(1000);
    expect(w.status()).toMatchObject({ running: false, starting: false });
    expect(kafka.connected()).toBe(0);
    expect(w.produceLoops).toBe(0);
  });
});
