import { kcatMetadata } from "./kcat";

/**
 * What a bad request must not change, as an independent client (kcat) sees it: the live brokers,
 * and each topic's partitions with their replica lists. Leaders and ISRs are left out: they move
 * on their own (a follower catching up, a preferred election) without anyone's request.
 */
export interface ClusterShape {
  brokers: number[];
  /** topic → replica list of each partition, by partition number. */
  topics: Record<string, number[][]>;
}

export function clusterShape(bootstrap: string[]): ClusterShape {
  const md = kcatMetadata(bootstrap);
  const topics: Record<string, number[][]> = {};
  for (const p of [...md.partitions].sort((a, b) => a.partition - b.partition)) {
    const list = topics[p.topic] ?? [];
    list[p.partition] = p.replicas;
    topics[p.topic] = list;
  }
  return { brokers: md.brokers, topics };
}

/** The differences from `before` to `after`, one sentence each; empty when nothing changed. */
export function shapeChanges(before: ClusterShape, after: ClusterShape): string[] {
  const changes: string[] = [];
  if (before.brokers.join() !== after.brokers.join()) {
    changes.push(`live brokers [${before.brokers}] → [${after.brokers}]`);
  }
  for (const name of Object.keys(after.topics)) {
    if (!(name in before.topics)) changes.push(`topic ${name} appeared`);
  }
  for (const [name, parts] of Object.entries(before.topics)) {
    const now = after.topics[name];
    if (!now) {
      changes.push(`topic ${name} disappeared`);
      continue;
    }
    if (now.length !== parts.length) changes.push(`${name}: ${parts.length} → ${now.length} partitions`);
    parts.forEach((replicas, i) => {
      const r = now[i];
      if (r && r.join() !== replicas.join()) changes.push(`${name}-${i}: replicas [${replicas}] → [${r}]`);
    });
  }
  return changes;
}

/** Reads the shape until two reads a second apart agree (a topic deletion settles in the metadata). */
export async function stableClusterShape(bootstrap: string[], timeoutMs = 30_000): Promise<ClusterShape> {
  const deadline = Date.now() + timeoutMs;
  let last = clusterShape(bootstrap);
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const next = clusterShape(bootstrap);
    if (shapeChanges(last, next).length === 0) return next;
    if (Date.now() > deadline) throw new Error(`the cluster did not settle: ${shapeChanges(last, next).join("; ")}`);
    last = next;
  }
}
