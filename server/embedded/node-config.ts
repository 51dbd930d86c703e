import "server-only";

export type NodeRole = "broker" | "controller";

export interface NodeSpec {
  id: number;
  role: NodeRole;
  host: string;
  port: number;
}

export interface LabTimings {
  sessionTimeoutMs: number;
  heartbeatMs: number;
  autoLeaderRebalance: boolean;
}

/** Node ids: brokers 1…n as in the seeds' clusters, controllers 101, 102, 103. */
export const CONTROLLER_ID_BASE = 100;

export function quorumVoters(controllers: NodeSpec[]): string {
  return controllers.map((c) => `${c.id}@${c.host}:${c.port}`).join(",");
}

/**
 * The server.properties of one node. Lab timings are explicit: a broker heartbeats every
 * `heartbeatMs` and the controller fences it after `sessionTimeoutMs` of silence, so a killed
 * broker loses its leaderships within a few seconds instead of Kafka's default 9 s.
 */
export function nodeProperties(
  node: NodeSpec,
  cluster: { controllers: NodeSpec[]; brokerCount: number; logDir: string; timings: LabTimings },
): Record<string, string> {
  const common: Record<string, string> = {
    "node.id": String(node.id),
    "process.roles": node.role,
    "controller.quorum.voters": quorumVoters(cluster.controllers),
    "controller.listener.names": "CONTROLLER",
    "log.dirs": cluster.logDir,
    "broker.session.timeout.ms": String(cluster.timings.sessionTimeoutMs),
    "broker.heartbeat.interval.ms": String(cluster.timings.heartbeatMs),
  };
  if (node.role === "controller") {
    return {
      ...common,
      listeners: `CONTROLLER://${node.host}:${node.port}`,
      "listener.security.protocol.map": "CONTROLLER:PLAINTEXT",
    };
  }
  const rf = Math.min(3, cluster.brokerCount);
  const minIsr = Math.min(2, rf);
  return {
    ...common,
    listeners: `PLAINTEXT://${node.host}:${node.port}`,
    "advertised.listeners": `PLAINTEXT://${node.host}:${node.port}`,
    "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    "inter.broker.listener.name": "PLAINTEXT",
    "default.replication.factor": String(rf),
    "num.partitions": "1",
    // Internal topics default to replication factor 3: a smaller cluster would never get a group coordinator.
    "offsets.topic.replication.factor": String(rf),
    "offsets.topic.num.partitions": "12",
    "transaction.state.log.replication.factor": String(rf),
    "transaction.state.log.min.isr": String(minIsr),
    "transaction.state.log.num.partitions": "6",
    "share.coordinator.state.topic.replication.factor": String(rf),
    "share.coordinator.state.topic.min.isr": String(minIsr),
    "group.initial.rebalance.delay.ms": "0",
    // A follower that stops fetching leaves the ISR after 10 s (Kafka's default is 30 s).
    "replica.lag.time.max.ms": "10000",
    // Off by default so that, as in the seeds, a returning broker does not take its leaderships back
    // until a preferred leader election runs.
    "auto.leader.rebalance.enable": String(cluster.timings.autoLeaderRebalance),
  };
}

export function toPropertiesFile(props: Record<string, string>): string {
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n")}\n`;
}
