// Shapes of Quorum's public HTTP API, shared by the server that answers and the browser that asks.

export type NodeStatus = "up" | "down" | "starting" | "stopping";
export type ClusterStatus = "starting" | "ok" | "degraded" | "unreachable" | "stopped";

/** A node of the embedded cluster as its supervisor sees it. */
export interface NodeRuntime {
  id: number;
  role: "broker" | "controller";
  host: string;
  port: number;
  status: NodeStatus;
  pid: number | null;
  startedAt: number | null;
  lastExit: { code: number | null; signal: string | null; at: number } | null;
  logFile: string;
}

/** GET /api/clusters */
export interface ClusterSummary {
  id: string;
  name: string;
  kind: "embedded" | "external";
  bootstrap: string[];
  status: ClusterStatus;
  /** Whether Quorum can stop and start this cluster's brokers. */
  controllable: boolean;
  clusterId: string | null;
  kafkaVersion: string | null;
  brokersUp: number;
  brokersTotal: number;
}

/** GET /api/clusters/:c/brokers */
export interface Broker {
  id: number;
  host: string;
  port: number;
  rack: string | null;
  status: NodeStatus;
  isController: boolean;
  leaderCount: number;
  replicaCount: number;
  pid?: number | null;
}

/** GET /api/clusters/:c/controllers (clusters Quorum runs) */
export interface Controller {
  id: number;
  host: string;
  port: number;
  status: NodeStatus;
  pid: number | null;
}

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}
