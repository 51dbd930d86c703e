import { describe, expect, it } from "vitest";
import { startFailure } from "./start-failure";

// The lines below are what Kafka 4.1 and the JMX exporter agent 1.0.1 wrote when their port was held.
const KAFKA_LOG = `[2026-11-26 11:38:37,100] INFO [BrokerServer id=1] Waiting for the broker to be unfenced (kafka.server.BrokerServer)
[2026-11-26 11:38:37,323] ERROR Unable to start acceptor for PLAINTEXT (kafka.network.DataPlaneAcceptor)
org.apache.kafka.common.KafkaException: Socket server failed to bind to 127.0.0.1:38513: Address already in use.
Caused by: java.net.BindException: Address already in use
[2026-11-26 11:38:37,328] ERROR [BrokerServer id=1] Fatal error during broker startup. Prepare to shutdown (kafka.server.BrokerServer)
`;

const AGENT_STDERR = `
Failed to start Prometheus JMX Exporter

java.net.BindException: Address already in use
	at java.base/sun.nio.ch.Net.bind0(Native Method)
	at io.prometheus.jmx.JavaAgent.premain(JavaAgent.java:62)

Prometheus JMX Exporter exiting
`;

describe("startFailure", () => {
  it("names the port Kafka could not listen on", () => {
    expect(startFailure({ serverLog: KAFKA_LOG, stdout: "" })).toEqual({
      kind: "port",
      port: 38513,
      line: "org.apache.kafka.common.KafkaException: Socket server failed to bind to 127.0.0.1:38513: Address already in use.",
    });
  });

  it("tells the exporter agent's port apart: its error is on the JVM's stderr, before Kafka logs anything", () => {
    expect(startFailure({ serverLog: "", stdout: AGENT_STDERR })).toEqual({
      kind: "exporter",
      line: "java.net.BindException: Address already in use",
    });
  });

  it("a bind error with no word of the agent is not the exporter's", () => {
    const failure = startFailure({ serverLog: "", stdout: "java.net.BindException: Address already in use\n" });
    expect(failure.kind).toBe("other");
  });

  it("a bind refused for another reason is not a held port", () => {
    const log =
      "ERROR Unable to start acceptor for PLAINTEXT (kafka.network.DataPlaneAcceptor)\n" +
      "org.apache.kafka.common.KafkaException: Socket server failed to bind to 127.0.0.1:80: Permission denied.\n";
    expect(startFailure({ serverLog: log, stdout: "" })).toEqual({
      kind: "other",
      line: "org.apache.kafka.common.KafkaException: Socket server failed to bind to 127.0.0.1:80: Permission denied.",
    });
  });

  it("otherwise gives the exception under the first error line, that line, or none", () => {
    const wrapped =
      "INFO starting\n" +
      "[2026-11-26 12:00:00,000] ERROR [BrokerServer id=1] Fatal error during broker startup. Prepare to shutdown (kafka.server.BrokerServer)\n" +
      "java.lang.RuntimeException: Invalid cluster.id in: /data/meta.properties. Expected abc, but read def\n" +
      "\tat kafka.server.BrokerServer.startup(BrokerServer.scala:1)\n";
    expect(startFailure({ serverLog: wrapped, stdout: "" })).toEqual({
      kind: "other",
      line: "java.lang.RuntimeException: Invalid cluster.id in: /data/meta.properties. Expected abc, but read def",
    });
    expect(startFailure({ serverLog: "INFO starting\nERROR [RaftManager] no quorum\n", stdout: "" })).toEqual({
      kind: "other",
      line: "ERROR [RaftManager] no quorum",
    });
    expect(startFailure({ serverLog: "", stdout: "Error: Could not find or load main class QuorumNode\n\n" })).toEqual({
      kind: "other",
      line: "Error: Could not find or load main class QuorumNode",
    });
    expect(startFailure({ serverLog: "INFO all fine\n", stdout: "" })).toEqual({ kind: "other", line: null });
  });
});
