import "server-only";
import { sameOrder } from "@/lib/compare";
import type { ReassignmentGoal } from "@/lib/schemas/reassignments";
import type { BrokerLoad, PlannedMove } from "@/lib/types";
import { AppError } from "../errors";

/**
 * Proposes replica moves for a goal, as a before/after per partition: pure, from a picture of the
 * cluster (every partition's replicas, the brokers, each replica's bytes). Each goal moves as little
 * as it can: replicas already where the goal wants them stay, new ones go to the broker holding
 * fewest replicas (ties by id), and the preferred leader (the first replica) is chosen to spread
 * leadership, which moves no data.
 */

export interface PlanPartition {
  topic: string;
  partition: number;
  replicas: number[];
}

export interface ClusterPicture {
  partitions: PlanPartition[];
  /** The brokers a replica may go to (registered and up). */
  brokers: number[];
  /** Bytes per replica, by `topic:partition` → broker; missing when a broker could not say. */
  sizes: Map<string, Map<number, number>>;
}

export type Goal = ReassignmentGoal;

export interface ReassignmentPlan {
  goal: Goal;
  /** The partitions whose replica list changes (order included), by topic then partition. */
  moves: PlannedMove[];
  /** Of those, the ones that copy data; the others only change the preferred leader. */
  copying: number;
  /** Bytes copied in all; null when some partition's size is unknown. */
  bytes: number | null;
  brokers: BrokerLoad[];
}

const keyOf = (p: { topic: string; partition: number }) => `${p.topic}:${p.partition}`;

function refuse(message: string, field?: string): never {
  throw new AppError("validation_failed", message, field ? { field } : undefined);
}

/** Replica counts per broker over `assignment`, every eligible broker present (0 when it holds none). */
function loads(assignment: Map<string, number[]>, brokers: number[]): Map<number, number> {
  const load = new Map(brokers.map((b) => [b, 0]));
  for (const replicas of assignment.values()) for (const b of replicas) load.set(b, (load.get(b) ?? 0) + 1);
  return load;
}

/** The least-loaded of `candidates` (ties by id); counts it as holding one more. */
function takeLeastLoaded(candidates: number[], load: Map<number, number>): number {
  let best = candidates[0] as number;
  for (const b of candidates) {
    const l = load.get(b) ?? 0;
    const bl = load.get(best) ?? 0;
    if (l < bl || (l === bl && b < best)) best = b;
  }
  load.set(best, (load.get(best) ?? 0) + 1);
  return best;
}

function requireBrokers(ids: number[], brokers: number[], field: string): void {
  const unknown = ids.filter((b) => !brokers.includes(b));
  if (unknown.length)
    refuse(`broker ${unknown.join(", ")} is not up in this cluster (up: ${brokers.join(", ") || "none"})`, field);
}

/**
 * Reorders each of `parts`' new replica lists so that preferred leaders spread over the brokers:
 * a partition keeps its first replica while that broker leads no more than its share, else the
 * replica leading fewest of `parts` goes first. Only the order changes.
 */
function spreadLeaders(parts: PlanPartition[], after: Map<string, number[]>): void {
  const leaders = new Map<number, number>();
  const members = new Set<number>();
  for (const p of parts) for (const b of after.get(keyOf(p)) ?? []) members.add(b);
  const share = Math.ceil(parts.length / Math.max(1, members.size));
  for (const p of parts) {
    const list = after.get(keyOf(p)) as number[];
    const first = list[0] as number;
    let chosen = first;
    if ((leaders.get(first) ?? 0) >= share) {
      for (const b of list) if ((leaders.get(b) ?? 0) < (leaders.get(chosen) ?? 0)) chosen = b;
    }
    leaders.set(chosen, (leaders.get(chosen) ?? 0) + 1);
    if (chosen !== first) after.set(keyOf(p), [chosen, ...list.filter((b) => b !== chosen)]);
  }
}

/** Moves replicas from the fullest broker to the emptiest until no two differ by more than one, then spreads leaders. */
function balance(picture: ClusterPicture, after: Map<string, number[]>): void {
  const { brokers } = picture;
  if (brokers.length < 2) return;
  const load = loads(after, brokers);
  const size = (p: PlanPartition) => Math.max(0, ...(picture.sizes.get(keyOf(p))?.values() ?? []));
  // Smallest partitions first: the same evening-out copies the fewest bytes.
  const bySize = [...picture.partitions].sort((a, b) => size(a) - size(b));
  for (let guard = 0; guard < picture.partitions.length * brokers.length; guard++) {
    const ordered = [...brokers].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a - b);
    const low = ordered[0] as number;
    const high = ordered[ordered.length - 1] as number;
    if ((load.get(high) ?? 0) - (load.get(low) ?? 0) <= 1) break;
    const p = bySize.find((x) => {
      const list = after.get(keyOf(x)) as number[];
      return list.includes(high) && !list.includes(low);
    });
    if (!p) break;
    const list = after.get(keyOf(p)) as number[];
    after.set(
      keyOf(p),
      list.map((b) => (b === high ? low : b)),
    );
    load.set(high, (load.get(high) ?? 0) - 1);
    load.set(low, (load.get(low) ?? 0) + 1);
  }
  // Leaders: swap a partition's preferred leader for another of its replicas while that evens them out.
  const leaderCount = new Map(brokers.map((b) => [b, 0]));
  for (const list of after.values()) leaderCount.set(list[0] as number, (leaderCount.get(list[0] as number) ?? 0) + 1);
  for (let guard = 0; guard < picture.partitions.length; guard++) {
    const ordered = [...brokers].sort((a, b) => (leaderCount.get(a) ?? 0) - (leaderCount.get(b) ?? 0) || a - b);
    const low = ordered[0] as number;
    const high = ordered[ordered.length - 1] as number;
    if ((leaderCount.get(high) ?? 0) - (leaderCount.get(low) ?? 0) <= 1) break;
    const p = picture.partitions.find((x) => {
      const list = after.get(keyOf(x)) as number[];
      return list[0] === high && list.includes(low);
    });
    if (!p) break;
    const list = after.get(keyOf(p)) as number[];
    after.set(keyOf(p), [low, ...list.filter((b) => b !== low)]);
    leaderCount.set(high, (leaderCount.get(high) ?? 0) - 1);
    leaderCount.set(low, (leaderCount.get(low) ?? 0) + 1);
  }
}

/**
 * One partition's move from `before` to `after`: the brokers it adds and removes, and the bytes it
 * copies, the largest current replica's size (`sizes`: by broker) once per new replica; null when
 * no current replica's size is known.
 */
export function plannedMove(
  topic: string,
  partition: number,
  before: number[],
  after: number[],
  sizes: ReadonlyMap<number, number> | undefined,
): PlannedMove {
  const adding = after.filter((b) => !before.includes(b));
  const known = before.map((b) => sizes?.get(b)).filter((s): s is number => s !== undefined);
  const each = known.length ? Math.max(...known) : null;
  return {
    topic,
    partition,
    before,
    after,
    adding,
    removing: before.filter((b) => !after.includes(b)),
    bytes: adding.length === 0 ? 0 : each === null ? null : each * adding.length,
  };
}

/** The plan for `goal` on `picture`; 400 `validation_failed` when the goal cannot be met, saying why. */
export function planReassignment(picture: ClusterPicture, goal: Goal): ReassignmentPlan {
  const { brokers } = picture;
  const after = new Map(picture.partitions.map((p) => [keyOf(p), [...p.replicas]]));
  const topicParts = (topic: string) => {
    const parts = picture.partitions.filter((p) => p.topic === topic);
    if (parts.length === 0) throw new AppError("topic_not_found", `No topic "${topic}" in this cluster`);
    return parts;
  };

  switch (goal.kind) {
    case "topic": {
      const parts = topicParts(goal.topic);
      const target = [...new Set(goal.brokers)];
      requireBrokers(target, brokers, "brokers");
      const rf = Math.max(...parts.map((p) => p.replicas.length));
      if (target.length < rf)
        refuse(
          `${goal.topic} has replication factor ${rf}: it needs at least ${rf} brokers, not ${target.length}`,
          "brokers",
        );
      const load = loads(after, brokers);
      for (const p of parts) {
        const kept = p.replicas.filter((b) => target.includes(b));
        for (const b of p.replicas) if (!target.includes(b)) load.set(b, (load.get(b) ?? 0) - 1);
        const list = [...kept];
        while (list.length < p.replicas.length)
          list.push(
            takeLeastLoaded(
              target.filter((b) => !list.includes(b)),
              load,
            ),
          );
        after.set(keyOf(p), list);
      }
      spreadLeaders(parts, after);
      break;
    }
    case "drain": {
      requireBrokers([goal.broker], brokers, "broker");
      const rest = brokers.filter((b) => b !== goal.broker);
      const tooWide = new Map<string, number>();
      for (const p of picture.partitions)
        if (p.replicas.includes(goal.broker) && p.replicas.length > rest.length)
          tooWide.set(p.topic, Math.max(tooWide.get(p.topic) ?? 0, p.replicas.length));
      if (tooWide.size)
        refuse(
          `broker ${goal.broker} cannot be drained: ${[...tooWide].map(([t, rf]) => `${t} (replication factor ${rf})`).join(", ")} ${tooWide.size === 1 ? "needs" : "need"} more than the ${rest.length} other broker${rest.length === 1 ? "" : "s"} up`,
          "broker",
        );
      const load = loads(after, brokers);
      for (const p of picture.partitions) {
        const list = after.get(keyOf(p)) as number[];
        const at = list.indexOf(goal.broker);
        if (at < 0) continue;
        const replacement = takeLeastLoaded(
          rest.filter((b) => !list.includes(b)),
          load,
        );
        list[at] = replacement;
      }
      break;
    }
    case "replication-factor": {
      const parts = topicParts(goal.topic);
      const rf = goal.replicationFactor;
      if (rf > brokers.length)
        refuse(`replication factor ${rf} needs ${rf} brokers; ${brokers.length} are up`, "replicationFactor");
      const load = loads(after, brokers);
      for (const p of parts) {
        const list = after.get(keyOf(p)) as number[];
        while (list.length < rf)
          list.push(
            takeLeastLoaded(
              brokers.filter((b) => !list.includes(b)),
              load,
            ),
          );
        // Fewer: the last replicas go, the preferred leader stays.
        if (list.length > rf) list.splice(rf);
      }
      spreadLeaders(parts, after);
      break;
    }
    case "balance":
      balance(picture, after);
      break;
  }

  const moves: PlannedMove[] = [];
  let bytes: number | null = 0;
  for (const p of picture.partitions) {
    const next = after.get(keyOf(p)) as number[];
    if (sameOrder(next, p.replicas)) continue;
    const move = plannedMove(p.topic, p.partition, p.replicas, next, picture.sizes.get(keyOf(p)));
    if (move.bytes === null) bytes = null;
    else if (bytes !== null) bytes += move.bytes;
    moves.push(move);
  }
  moves.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));

  const before = new Map(picture.partitions.map((p) => [keyOf(p), p.replicas]));
  const loadBefore = loads(before, brokers);
  const loadAfter = loads(after, brokers);
  const leadersOf = (m: Map<string, number[]>) => {
    const l = new Map(brokers.map((b) => [b, 0]));
    for (const list of m.values()) if (list.length) l.set(list[0] as number, (l.get(list[0] as number) ?? 0) + 1);
    return l;
  };
  const leadersBefore = leadersOf(before);
  const leadersAfter = leadersOf(after);
  const ids = [...new Set([...brokers, ...loadBefore.keys()])].sort((a, b) => a - b);
  return {
    goal,
    moves,
    copying: moves.filter((m) => m.adding.length > 0).length,
    bytes,
    brokers: ids.map((broker) => ({
      broker,
      replicas: { before: loadBefore.get(broker) ?? 0, after: loadAfter.get(broker) ?? 0 },
      leaders: { before: leadersBefore.get(broker) ?? 0, after: leadersAfter.get(broker) ?? 0 },
    })),
  };
}

/** The plan as kafka-reassign-partitions reads it (`--reassignment-json-file`): the new replica lists. */
export function reassignmentJson(moves: Pick<PlannedMove, "topic" | "partition" | "after">[]): string {
  return JSON.stringify(
    { version: 1, partitions: moves.map((m) => ({ topic: m.topic, partition: m.partition, replicas: m.after })) },
    null,
    2,
  );
}

/** The lists before the plan, in the same format: what puts the partitions back. */
export function rollbackJson(moves: Pick<PlannedMove, "topic" | "partition" | "before">[]): string {
  return JSON.stringify(
    { version: 1, partitions: moves.map((m) => ({ topic: m.topic, partition: m.partition, replicas: m.before })) },
    null,
    2,
  );
}
