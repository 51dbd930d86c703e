import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as startRoute from "@/app/api/clusters/[cluster]/controllers/[controller]/start/route";
import * as stopRoute from "@/app/api/clusters/[cluster]/controllers/[controller]/stop/route";
import * as labRoute from "@/app/api/clusters/[cluster]/lab/route";
import * as quorumRoute from "@/app/api/clusters/[cluster]/quorum/route";
import * as topicsRoute from "@/app/api/clusters/[cluster]/topics/route";
import type { ClusterEvent, QuorumView } from "@/lib/types";
import type { ClusterService } from "@/server/cluster-service";
import { eventually, startTestCluster, type TestCluster, uniqueName } from "../helpers/cluster";
import { kafkaTool } from "../helpers/kafka-configs";
import { kcatMetadata } from "../helpers/kcat";
import { call, type Handler, serveThroughRoutes } from "../helpers/routes";

// The controller quorum lab on three real controllers: a killed leader replaced, the majority lost
// and what that stops, then regained; Kafka's own kafka-metadata-quorum agrees.

const local = { cluster: "local" };

async function quorumNow(): Promise<QuorumView> {
  return (await call(quorumRoute.GET as Handler, local, { method: "GET" })).body as QuorumView;
}

/** `kafka-metadata-quorum describe --status`: its fields by name (LeaderId, LeaderEpoch, HighWatermark, …). */
async function metadataQuorum(bootstrap: string[]): Promise<Record<string, string>> {
  const out = await kafkaTool("org.apache.kafka.tools.MetadataQuorumCommand", [
    "--bootstrap-server",
    bootstrap.join(","),
    "describe",
    "--status",
  ]);
  return Object.fromEntries(
    out
      .split("\n")
      .map((l) => /^(\w+):\s*(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1] as string, (m[2] as string).trim()]),
  );
}

describe("the controller quorum lab", () => {
  let tc: TestCluster;
  let service: ClusterService;
  const events: ClusterEvent[] = [];

  beforeAll(async () => {
    tc = await startTestCluster({ brokers: 1, controllers: 1 });
    service = serveThroughRoutes(tc.cluster);
    service.monitor.subscribe((e) => events.push(e));
  }, 180_000);

  afterAll(async () => {
    await tc?.stop();
  }, 120_000);

  it("recreates a one-controller lab with three controllers from the API, after a confirmation, its topics gone", async () => {
    const before = uniqueName("before");
    expect(
      (await call(topicsRoute.POST as Handler, local, { body: { name: before, partitions: 1, replicationFactor: 1 } }))
        .status,
    ).toBe(201);
    expect((await quorumNow()).voters).toHaveLength(1);
    const unconfirmed = await call(labRoute.POST as Handler, local, { body: { brokers: 1, controllers: 3 } });
    expect(unconfirmed.status).toBe(409);
    expect((unconfirmed.body as { error: { message: string } }).error.message).toContain(
      "Recreating the lab as 1 broker(s) and 3 controller(s) (now 1 and 1) deletes every topic and message in it",
    );
    const bad = await call(labRoute.POST as Handler, local, { body: { brokers: 1, controllers: 2, confirm: true } });
    expect(bad.status).toBe(400);
    const began = Date.now();
    const recreated = await call(labRoute.POST as Handler, local, {
      body: { brokers: 1, controllers: 3, confirm: true },
    });
    expect(recreated.status, JSON.stringify(recreated.body)).toBe(202);
    const q = await eventually(
      "three controllers and a leader",
      async () => {
        const v = await quorumNow();
        return v.voters.length === 3 && v.state === "ok" && v.voters.every((x) => x.status === "up") ? v : undefined;
      },
      180_000,
    );
    console.log(`lab recreated with 3 controllers in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    expect(q.voters.map((v) => v.id)).toEqual([101, 102, 103]);
    await eventually("the broker answering", () =>
      kcatMetadata(tc.cluster.bootstrap).brokers.length === 1 ? true : undefined,
    );
    expect(kcatMetadata(tc.cluster.bootstrap).partitions.some((p) => p.topic === before)).toBe(false);
    expect(Number((await metadataQuorum(tc.cluster.bootstrap)).LeaderId)).toBe(q.leader);
  }, 240_000);

  it("shows the leader, epoch, high watermark and each voter's lag, as kafka-metadata-quorum does", async () => {
    const q = await eventually("a leader", async () => {
      const v = await quorumNow();
      return v.state === "ok" ? v : undefined;
    });
    expect(q.voters.map((v) => v.id)).toEqual([101, 102, 103]);
    expect(q).toMatchObject({ up: 3, needed: 2 });
    expect(q.voters.every((v) => v.lag !== null && v.lag >= 0 && v.status === "up")).toBe(true);
    const tool = await metadataQuorum(tc.cluster.bootstrap);
    expect(Number(tool.LeaderId)).toBe(q.leader);
    expect(Number(tool.LeaderEpoch)).toBe(q.epoch);
  }, 60_000);

  it("kills the active controller: the others elect a new leader, seen as controller-changed", async () => {
    const before = (await quorumNow()).leader as number;
    const killedAt = Date.now();
    const stop = await call(
      stopRoute.POST as Handler,
      { ...local, controller: String(before) },
      { body: { mode: "kill" } },
    );
    expect(stop.status, JSON.stringify(stop.body)).toBe(200);
    const changed = await eventually(
      "controller-changed away from the killed leader",
      () => events.find((e) => e.type === "controller-changed" && e.ts >= killedAt && e.to !== before),
      30_000,
    );
    const after = await quorumNow();
    expect(after.leader).not.toBe(before);
    expect(after.state).toBe("ok");
    expect(after.voters.find((v) => v.id === before)?.status).toBe("down");
    console.log(
      `killed leader ${before}: controller ${after.leader} leads (epoch ${after.epoch}) ${changed.ts - killedAt} ms later, as the event stream saw it` +
        " (controller.quorum.fetch.timeout.ms 2000 + election.timeout.ms 1000, Kafka's defaults)",
    );
    expect(changed.ts - killedAt).toBeLessThan(15_000);
    expect(Number((await metadataQuorum(tc.cluster.bootstrap)).LeaderId)).toBe(after.leader);
  }, 90_000);

  it("stopping a second controller asks for confirmation, loses the majority, and a topic create fails saying why; one start restores it", async () => {
    const q = await quorumNow();
    const second = q.voters.find((v) => v.status === "up" && v.id !== q.leader)?.id as number;
    const refused = await call(stopRoute.POST as Handler, { ...local, controller: String(second) }, { body: {} });
    expect(refused.status).toBe(409);
    expect((refused.body as { error: { code: string; message: string } }).error).toMatchObject({
      code: "confirmation_required",
    });
    expect((refused.body as { error: { message: string } }).error.message).toContain(
      `Stopping controller ${second} leaves 1 of 3 voters up, fewer than the 2 the quorum needs`,
    );
    const stop = await call(
      stopRoute.POST as Handler,
      { ...local, controller: String(second) },
      { body: { confirm: true } },
    );
    expect(stop.status, JSON.stringify(stop.body)).toBe(200);
    expect((await quorumNow()).state).toBe("lost");
    await eventually("quorum-lost on the stream", () => events.find((e) => e.type === "quorum-lost"), 15_000);

    const began = Date.now();
    const create = await call(topicsRoute.POST as Handler, local, {
      body: { name: uniqueName("no-majority"), partitions: 1, replicationFactor: 1 },
    });
    const message = (create.body as { error: { message: string } }).error.message;
    console.log(`create topic without a majority: ${create.status} after ${Date.now() - began} ms: ${message}`);
    expect(create.status).toBe(503);
    expect(message).toContain("the KRaft controller quorum has no majority (1 of 3 controllers up, 2 needed)");

    const start = await call(startRoute.POST as Handler, { ...local, controller: String(second) }, { body: {} });
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    await eventually("the majority back", async () => ((await quorumNow()).state === "ok" ? true : undefined), 60_000);
    await eventually("quorum-regained on the stream", () => events.find((e) => e.type === "quorum-regained"), 15_000);
    const created = await eventually(
      "a topic created again",
      async () => {
        const res = await call(topicsRoute.POST as Handler, local, {
          body: { name: uniqueName("majority-back"), partitions: 1, replicationFactor: 1 },
        });
        return res.status === 201 ? res : undefined;
      },
      60_000,
    );
    expect(created.status).toBe(201);
  }, 240_000);

  it("keeps the recreated lab's three controllers across a restart, whatever QUORUM_CONTROLLERS says", async () => {
    await tc.cluster.stop();
    const again = await startTestCluster({ dataDir: tc.dataDir, brokers: 1, controllers: 1 });
    try {
      expect(
        again.cluster
          .nodeStates()
          .filter((n) => n.role === "controller")
          .map((n) => n.id),
      ).toEqual([101, 102, 103]);
      const status = await eventually(
        "a leader after the restart",
        async () => {
          const fields = await metadataQuorum(again.bootstrap).catch(() => null);
          return fields && Number(fields.LeaderId) > 0 ? fields : undefined;
        },
        60_000,
      );
      expect(status.CurrentVoters).toContain("101");
      expect(status.CurrentVoters).toContain("103");
    } finally {
      await again.stop();
    }
  }, 180_000);
});
