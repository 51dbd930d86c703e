import "server-only";
import { LAB_TOPIC_PREFIX } from "@/lib/labs/labs";
import type { ClusterService } from "../cluster-service";
import { control } from "../clusters/broker-commands";
import { deleteGroup } from "../clusters/group-commands";
import { COMMAND_MAX_AGE_MS } from "../clusters/snapshot-cache";
import { deleteTopic } from "../clusters/topic-commands";
import { AppError, httpErrorOf } from "../errors";
import { LabConsumers } from "./consumers";

// One LabConsumers per cluster and process: Next.js may bundle this module more than once.
const KEY = Symbol.for("quorum.labConsumers");
type WithLabs = typeof globalThis & { [KEY]?: Map<string, LabConsumers> };

/** The lab consumers of a cluster Quorum runs (409 for any other: labs change the cluster freely). */
export function labConsumersOf(service: ClusterService): LabConsumers {
  if (!service.embedded) throw new AppError("not_controllable", `Cluster "${service.id}" is not a lab Quorum runs`);
  const g = globalThis as WithLabs;
  g[KEY] ??= new Map();
  let c = g[KEY].get(service.id);
  if (!c) {
    c = new LabConsumers(service.id, () => service.bootstrap);
    g[KEY].set(service.id, c);
  }
  return c;
}

/** Stops every lab's consumers (Quorum is stopping). */
export async function stopAllLabConsumers(): Promise<void> {
  await Promise.all([...((globalThis as WithLabs)[KEY]?.values() ?? [])].map((c) => c.stopAll()));
}

export interface LabReset {
  consumersStopped: number;
  nodesStarted: number[];
  topicsDeleted: string[];
  groupsDeleted: string[];
  /** What could not be deleted, and why (the rest was). */
  failed: { name: string; error: string }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long a reset waits for a lab group's last member to leave (a lab consumer's session is 10 s). */
const GROUP_EMPTY_WAIT_MS = 20_000;

/**
 * Puts the lab back after a guided lab: its consumers stopped, every stopped broker and controller
 * started (and waited for, up to `waitMs`), then every `lab-…` topic and consumer group deleted.
 * Nothing else of the cluster is touched.
 */
export async function resetLabs(service: ClusterService, waitMs = 90_000): Promise<LabReset> {
  const consumers = labConsumersOf(service);
  const consumersStopped = consumers.list().length;
  await consumers.stopAll();
  const supervisor = control(service);
  const started: number[] = [];
  const deadline = Date.now() + waitMs;
  // A node still in its controlled shutdown is started once it is down.
  while (supervisor.nodeStates().some((n) => n.status !== "up")) {
    for (const n of supervisor.nodeStates().filter((x) => x.status === "down")) {
      if (n.role === "broker") await supervisor.startBroker(n.id);
      else await supervisor.startController(n.id);
      started.push(n.id);
    }
    if (Date.now() > deadline) throw new AppError("cluster_unavailable", "The lab's nodes did not all come up in time");
    await sleep(250);
  }
  service.invalidate();
  const snap = await service.read.requireSnapshot(COMMAND_MAX_AGE_MS);
  const topics = snap.topics.filter((t) => !t.internal && t.name.startsWith(LAB_TOPIC_PREFIX)).map((t) => t.name);
  const groups = snap.groups.filter((g) => g.groupId.startsWith(LAB_TOPIC_PREFIX)).map((g) => g.groupId);
  const failed: LabReset["failed"] = [];
  /** Removes each name at once, each on its own; the names removed, in the order given (`failed` fills as they end). */
  const tryEach = async (names: string[], remove: (name: string) => Promise<unknown>) => {
    const results = await Promise.all(
      names.map(async (name) => {
        try {
          await remove(name);
          return name;
        } catch (err) {
          failed.push({ name, error: err instanceof Error ? err.message : String(err) });
          return null;
        }
      }),
    );
    return results.filter((name): name is string => name !== null);
  };
  // Groups first: a deleted topic's committed offsets would otherwise linger in them. A group can
  // stay active a little after its consumers stopped (a member of another client whose session has
  // not ended): it is asked again for a while, every group at once, so the reset waits once, not
  // once per group.
  const groupsDeleted = await tryEach(groups, async (g) => {
    const until = Date.now() + GROUP_EMPTY_WAIT_MS;
    for (;;) {
      try {
        return await deleteGroup(service, g, "lab reset");
      } catch (err) {
        if (httpErrorOf(err)?.code !== "conflict" || Date.now() > until) throw err;
        await sleep(500);
      }
    }
  });
  const topicsDeleted = await tryEach(topics, (t) => deleteTopic(service, t));
  return { consumersStopped, nodesStarted: started, topicsDeleted, groupsDeleted, failed };
}
