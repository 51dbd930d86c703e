import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as stopRoute from "@/app/api/clusters/[cluster]/brokers/[broker]/stop/route";
import * as abortRoute from "@/app/api/clusters/[cluster]/drills/[drill]/abort/route";
import * as drillRoute from "@/app/api/clusters/[cluster]/drills/[drill]/route";
import * as drillsRoute from "@/app/api/clusters/[cluster]/drills/route";
import * as topicsRoute from "@/app/api/clusters/[cluster]/topics/route";
import type { DrillReport } from "@/lib/types";
import type { ClusterService } from "@/server/cluster-service";
import { isAlive } from "@/server/embedded/node-process";
import { clusterDeps, DemoWorkload, type WorkloadKafka } from "@/server/workload/demo";
import { eventually, startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { call, serveThroughRoutes } from "../helpers/routes";

const local = { cluster: "local" };

describe("failover drill", () => {
  let tc: TestCluster;
  let service: ClusterService;
  const topic = uniqueName("drill");

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 3 });
    service = serveThroughRoutes(tc.cluster);
    service.monitor.start();
    const created = await call(topicsRoute.POST, local, {
      body: { name: topic, partitions: 3, replicationFactor: 3, configs: { "min.insync.replicas": 2 } },
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    service?.monitor.stop();
    await tc?.stop();
  });

  it("loses nothing over graceful stops with replication factor 3 and min.insync.replicas=2", async () => {
    // Two drills asked at once: exactly one runs, the other is told what holds the cluster.
    const body = { topic, mode: "graceful", cycles: 2, downMs: 1500, rate: 100 };
    const both = await Promise.all([call(drillsRoute.POST, local, { body }), call(drillsRoute.POST, local, { body })]);
    expect(both.map((r) => r.status).sort()).toEqual([202, 409]);
    const started = both.find((r) => r.status === 202) as { body: unknown };
    const refused = both.find((r) => r.status === 409) as { body: unknown };
    expect(refused.body).toMatchObject({
      error: { code: "busy", message: expect.stringContaining(`on topic ${topic}`) },
    });
    const id = (started.body as DrillReport).id;

    // While it runs, a broker stop or start waits its turn.
    const stop = await call(stopRoute.POST, { ...local, broker: "1" }, { body: { mode: "graceful", confirm: true } });
    expect(stop.status).toBe(409);
    expect(stop.body).toMatchObject({ error: { code: "busy", message: expect.stringContaining(`drill ${id}`) } });

    const report = await eventually(
      "the drill's report",
      async () => {
        const r = (await call(drillRoute.GET, { ...local, drill: id }, { method: "GET" })).body as DrillReport;
        return r.finishedAt !== null ? r : undefined;
      },
      170_000,
    );
    expect(report.phase).toBe("done");
    expect(report.status).toBe("done");
    expect(report.acknowledged).toBeGreaterThan(200);
    expect(report.lost).toBe(0);
    // Every acknowledged message and every unacknowledged one that was written anyway is read at
    // least once; duplicates (a retried send written twice) are counted, not hidden.
    expect(report.read).toBeGreaterThanOrEqual(report.acknowledged + report.unacknowledgedButWritten);
    expect(report.sent).toBe(report.acknowledged + Object.values(report.producerErrors).reduce((a, b) => a + b, 0));
    expect(report.steps).toHaveLength(2);
    for (const step of report.steps) expect(step.inSyncAt).toBeGreaterThan(step.startedAt);
    expect(report.leaderChanges.length).toBeGreaterThanOrEqual(2);
    expect(report.longestStallMs).toBeGreaterThan(0);

    const list = (await call(drillsRoute.GET, local, { method: "GET" })).body as DrillReport[];
    expect(list[0]?.id).toBe(id);
  }, 200_000);

  it("restarts every broker in turn under the demo workload (RF 3, min.insync.replicas 2): nothing acknowledged is lost, and an abort ends the next one after its broker", async () => {
    const workload = new DemoWorkload(service, true, 50, clusterDeps(service));
    try {
      await workload.start();
      await eventually("the demo workload running", async () => workload.status().running || undefined, 90_000);
      const body = { topic: "orders", kind: "rolling-restart", downMs: 1000, rate: 100 };
      const started = await call(drillsRoute.POST, local, { body });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const id = (started.body as DrillReport).id;
      const report = await eventually(
        "the rolling restart's report",
        async () => {
          const r = (await call(drillRoute.GET, { ...local, drill: id }, { method: "GET" })).body as DrillReport;
          return r.finishedAt !== null ? r : undefined;
        },
        240_000,
      );
      expect(report.status, report.phase).toBe("done");
      expect(report.kind).toBe("rolling-restart");
      expect(report.aborted).toBe(false);
      expect(report.steps.map((s) => s.broker)).toEqual([1, 2, 3]);
      for (const step of report.steps) expect(step.inSyncAt).toBeGreaterThan(step.startedAt);
      expect(report.acknowledged).toBeGreaterThan(100);
      expect(report.lost).toBe(0);
      expect(report.read).toBeGreaterThanOrEqual(report.acknowledged);
      console.log(
        `rolling restart of 3 brokers under the demo workload: ${report.acknowledged} acknowledged, ${report.lost} lost, ` +
          `${report.duplicated} duplicated, longest produce stall ${report.longestStallMs} ms, ` +
          `${((report.finishedAt as number) - report.startedAt) / 1000} s in all; full ISR after each start in ` +
          report.steps.map((s) => `${(s.inSyncAt as number) - s.startedAt} ms`).join(", "),
      );

      // Another, aborted while its first broker restarts: it ends once that broker is back.
      const again = await call(drillsRoute.POST, local, { body });
      expect(again.status).toBe(202);
      const second = (again.body as DrillReport).id;
      await eventually("the first stop under way", async () => {
        const r = (await call(drillRoute.GET, { ...local, drill: second }, { method: "GET" })).body as DrillReport;
        return r.steps.length > 0 ? r : undefined;
      });
      const aborted = await call(abortRoute.POST, { ...local, drill: second }, { body: {} });
      expect(aborted.status, JSON.stringify(aborted.body)).toBe(202);
      const ended = await eventually(
        "the aborted restart's report",
        async () => {
          const r = (await call(drillRoute.GET, { ...local, drill: second }, { method: "GET" })).body as DrillReport;
          return r.finishedAt !== null ? r : undefined;
        },
        120_000,
      );
      expect(ended).toMatchObject({ status: "done", aborted: true, lost: 0 });
      expect(ended.steps).toHaveLength(1);
      expect(ended.steps[0]?.inSyncAt).toBeGreaterThan(0);
      const late = await call(abortRoute.POST, { ...local, drill: second }, { body: {} });
      expect(late.status).toBe(409);
    } finally {
      await workload.stop();
    }
  }, 420_000);

  it.each([
    [{ topic: "nope" }, 404],
    [{ topic: "__consumer_offsets" }, 409],
    [{ topic, cycles: 0 }, 400],
    [{ topic, mode: "gently" }, 400],
    [{ topic, kind: "chaos" }, 400],
    [{ topic, rate: 100_000 }, 400],
    [{}, 400],
  ])("refuses %o with %i", async (body, status) => {
    const res = await call(drillsRoute.POST, local, { body });
    expect(res.status).toBe(status);
  });

  it("demo workload: start/stop/start/stop/start ten times without waiting runs one produce loop, and a stop leaves no client connected", async () => {
    // Real kafkajs clients, followed by their own CONNECT/DISCONNECT instrumentation events. A
    // consumer says CONNECT twice (on connect, and again when run() joins its group), so clients
    // are counted as a set, not by adding up events.
    const connected = new Set<object>();
    const kafka: WorkloadKafka = {
      producer: (config) => {
        const p = new Kafka({
          clientId: "quorum-demo-test",
          brokers: service.bootstrap,
          logLevel: logLevel.NOTHING,
        }).producer(config);
        p.on(p.events.CONNECT, () => connected.add(p));
        p.on(p.events.DISCONNECT, () => connected.delete(p));
        return p;
      },
      consumer: (config) => {
        const c = new Kafka({
          clientId: "quorum-demo-test",
          brokers: service.bootstrap,
          logLevel: logLevel.NOTHING,
        }).consumer(config);
        c.on(c.events.CONNECT, () => connected.add(c));
        c.on(c.events.DISCONNECT, () => connected.delete(c));
        return c;
      },
    };
    // Kafka's console consumer (the KIP-848 group shipping) is real too: each one started is followed by pid.
    const real = clusterDeps(service);
    const javaPids: number[] = [];
    const workload = new DemoWorkload(service, true, 50, {
      ...real,
      kafka: () => kafka,
      consoleConsumer: (spec) => {
        const p = real.consoleConsumer(spec);
        if (p.pid !== null) javaPids.push(p.pid);
        return p;
      },
    });
    try {
      let mostLoops = 0;
      const watch = setInterval(() => {
        mostLoops = Math.max(mostLoops, workload.produceLoops);
      }, 5);
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < 10; i++)
        calls.push(workload.start(), workload.stop(), workload.start(), workload.stop(), workload.start());
      await Promise.all(calls);
      await eventually("the workload running", async () => workload.status().running || undefined, 60_000);
      expect(connected.size).toBe(4);

      // One loop at 50 messages/s makes at most about 100 in 2 s (fewer while sends are slow on a
      // busy machine); two would make about 200.
      const before = workload.status().produced;
      await new Promise((r) => setTimeout(r, 2000));
      const made = workload.status().produced - before;
      expect(made).toBeGreaterThan(0);
      expect(made).toBeLessThanOrEqual(110);
      clearInterval(watch);
      expect(Math.max(mostLoops, workload.produceLoops)).toBe(1);

      expect(javaPids.filter(isAlive)).toHaveLength(1);

      await workload.stop();
      expect(workload.produceLoops).toBe(0);
      expect(connected.size).toBe(0);
      expect(javaPids.length).toBeGreaterThan(0);
      expect(javaPids.filter(isAlive)).toEqual([]);
    } finally {
      await workload.stop();
      for (const pid of javaPids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    }
  }, 120_000);
});
