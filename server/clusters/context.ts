import "server-only";
import type { ClusterLock } from "./cluster-lock";
import type { KafkaGateway, NodeSupervisor } from "./gateway";
import type { ActionLog } from "./group-actions-log";
import type { ReadModel } from "./read-model";

/** What a command of one cluster works with: its read model and the two seams to the outside. */
export interface ClusterContext {
  readonly id: string;
  readonly read: ReadModel;
  readonly gateway: KafkaGateway;
  /** The node processes, for a cluster Quorum runs; null for one reached by bootstrap servers. */
  readonly supervisor: NodeSupervisor | null;
  /** Serialises broker stops, starts and drills. */
  readonly lock: ClusterLock;
  /** The history of the actions done on its groups (group-actions-log.ts). */
  readonly actions: ActionLog;
  /** Forgets the cached snapshot and has the monitor look: after every mutation. */
  invalidate(): void;
}
