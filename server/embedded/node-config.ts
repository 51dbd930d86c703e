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

/** A broker's second listener: SASL_SSL with SCRAM-SHA-512, TLS from the lab's PKCS12 keystore. */
export interface SaslListener {
  port: number;
  keystore: string;
  truststore: string;
  storePassword: string;
}

/** Listener name of the lab's SASL_SSL listener (its per-listener settings are `listener.name.sasl_ssl.*`). */
export const SASL_LISTENER = "SASL_SSL";

/** The broker settings that add the SASL_SSL listener; inter-broker and controller traffic stay PLAINTEXT. */
export function saslListenerProperties(sasl: SaslListener): Record<string, string> {
  const prefix = `listener.name.${SASL_LISTENER.toLowerCase()}`;
  return {
    "sasl.enabled.mechanisms": "SCRAM-SHA-512",
    [`${prefix}.sasl.enabled.mechanisms`]: "SCRAM-SHA-512",
    [`${prefix}.scram-sha-512.sasl.jaas.config`]: "org.apache.kafka.common.security.scram.ScramLoginModule required;",
    [`${prefix}.ssl.keystore.type`]: "PKCS12",
    [`${prefix}.ssl.keystore.location`]: sasl.keystore,
    [`${prefix}.ssl.keystore.password`]: sasl.storePassword,
    [`${prefix}.ssl.key.password`]: sasl.storePassword,
    // The lab CA as PEM (no password): only used if client certificates are ever asked for.
    [`${prefix}.ssl.truststore.type`]: "PEM",
    [`${prefix}.ssl.truststore.location`]: sasl.truststore,
    [`${prefix}.ssl.client.auth`]: "none",
  };
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
  cluster: {
    controllers: NodeSpec[];
    brokerCount: number;
    logDir: string;
    timings: LabTimings;
    /** Brokers only: the lab's SASL_SSL listener, when QUORUM_LAB_SASL is on. */
    sasl?: SaslListener | null;
  },
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
  const sasl = cluster.sasl;
  const listeners = [
    `PLAINTEXT://${node.host}:${node.port}`,
    ...(sasl ? [`${SASL_LISTENER}://${node.host}:${sasl.port}`] : []),
  ].join(",");
  return {
    ...common,
    listeners,
    "advertised.listeners": listeners,
    "listener.security.protocol.map": `CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT${sasl ? `,${SASL_LISTENER}:SASL_SSL` : ""}`,
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
    // A broker restarting with tens of thousands of partitions on a small machine loads its logs and
    // catches up with the metadata log in more than Kafka's 60 s, then exits as if the controller
    // were gone (seen at 40,000 partitions on 2 cores). Quorum's start watchdog, which gives up after
    // 120 s without progress, decides instead.
    "initial.broker.registration.timeout.ms": "600000",
    // A follower that stops fetching leaves the ISR after 10 s (Kafka's default is 30 s).
    "replica.lag.time.max.ms": "10000",
    // Off by default so that, as in the seeds, a returning broker does not take its leaderships back
    // until a preferred leader election runs.
    "auto.leader.rebalance.enable": String(cluster.timings.autoLeaderRebalance),
    ...(sasl ? saslListenerProperties(sasl) : {}),
  };
}

export function toPropertiesFile(props: Record<string, string>): string {
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n")}\n`;
}
