import { describe, expect, it } from "vitest";
import { type NodeSpec, nodeProperties, quorumVoters, toPropertiesFile } from "./node-config";

const controllers: NodeSpec[] = [{ id: 101, role: "controller", host: "127.0.0.1", port: 19093 }];
const timings = { sessionTimeoutMs: 4000, heartbeatMs: 1000, autoLeaderRebalance: false };

describe("nodeProperties", () => {
  it("makes a controller listen only on the controller listener", () => {
    const p = nodeProperties(controllers[0] as NodeSpec, { controllers, brokerCount: 3, logDir: "/d", timings });
    expect(p).toMatchObject({
      "node.id": "101",
      "process.roles": "controller",
      "controller.quorum.voters": "101@127.0.0.1:19093",
      listeners: "CONTROLLER://127.0.0.1:19093",
      "broker.session.timeout.ms": "4000",
    });
    expect(p["advertised.listeners"]).toBeUndefined();
  });

  it("sizes internal topics to the cluster so groups get a coordinator on 1 broker", () => {
    const broker: NodeSpec = { id: 1, role: "broker", host: "127.0.0.1", port: 19092 };
    const one = nodeProperties(broker, { controllers, brokerCount: 1, logDir: "/d", timings });
    expect(one["offsets.topic.replication.factor"]).toBe("1");
    expect(one["transaction.state.log.min.isr"]).toBe("1");
    const five = nodeProperties(broker, { controllers, brokerCount: 5, logDir: "/d", timings });
    expect(five["offsets.topic.replication.factor"]).toBe("3");
    expect(five["transaction.state.log.min.isr"]).toBe("2");
    expect(five["advertised.listeners"]).toBe("PLAINTEXT://127.0.0.1:19092");
    expect(five["auto.leader.rebalance.enable"]).toBe("false");
    expect(five["broker.heartbeat.interval.ms"]).toBe("1000");
  });

  it("lets a broker with many partitions to load take longer than Kafka's 60 s to register", () => {
    const broker: NodeSpec = { id: 1, role: "broker", host: "127.0.0.1", port: 19092 };
    const p = nodeProperties(broker, { controllers, brokerCount: 3, logDir: "/d", timings });
    expect(Number(p["initial.broker.registration.timeout.ms"])).toBeGreaterThanOrEqual(300_000);
  });

  it("adds a SASL_SSL listener with SCRAM-SHA-512 beside PLAINTEXT, inter-broker staying PLAINTEXT", () => {
    const broker: NodeSpec = { id: 2, role: "broker", host: "127.0.0.1", port: 29092 };
    const sasl = {
      port: 30092,
      keystore: "/d/security/broker.p12",
      truststore: "/d/security/ca.pem",
      storePassword: "sp",
    };
    const p = nodeProperties(broker, { controllers, brokerCount: 3, logDir: "/d", timings, sasl });
    expect(p).toMatchObject({
      listeners: "PLAINTEXT://127.0.0.1:29092,SASL_SSL://127.0.0.1:30092",
      "advertised.listeners": "PLAINTEXT://127.0.0.1:29092,SASL_SSL://127.0.0.1:30092",
      "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL",
      "inter.broker.listener.name": "PLAINTEXT",
      "controller.listener.names": "CONTROLLER",
      "sasl.enabled.mechanisms": "SCRAM-SHA-512",
      "listener.name.sasl_ssl.sasl.enabled.mechanisms": "SCRAM-SHA-512",
      "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config":
        "org.apache.kafka.common.security.scram.ScramLoginModule required;",
      "listener.name.sasl_ssl.ssl.keystore.type": "PKCS12",
      "listener.name.sasl_ssl.ssl.keystore.location": "/d/security/broker.p12",
      "listener.name.sasl_ssl.ssl.keystore.password": "sp",
      "listener.name.sasl_ssl.ssl.key.password": "sp",
      "listener.name.sasl_ssl.ssl.truststore.type": "PEM",
      "listener.name.sasl_ssl.ssl.truststore.location": "/d/security/ca.pem",
    });
    // No credential in the broker's own settings: the SCRAM user lives in the cluster metadata.
    expect(Object.values(p).join("\n")).not.toMatch(/password=|username=/);
    // Without it, nothing of SASL or TLS.
    const plain = nodeProperties(broker, { controllers, brokerCount: 3, logDir: "/d", timings, sasl: null });
    expect(plain.listeners).toBe("PLAINTEXT://127.0.0.1:29092");
    expect(plain["listener.security.protocol.map"]).toBe("CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    expect(Object.keys(plain).filter((k) => /sasl|ssl/.test(k))).toEqual([]);
  });

  it("never gives a controller the SASL_SSL listener", () => {
    const sasl = { port: 30092, keystore: "/k", truststore: "/t", storePassword: "sp" };
    const p = nodeProperties(controllers[0] as NodeSpec, { controllers, brokerCount: 3, logDir: "/d", timings, sasl });
    expect(p.listeners).toBe("CONTROLLER://127.0.0.1:19093");
    expect(Object.keys(p).filter((k) => /sasl|ssl/.test(k))).toEqual([]);
  });

  it("lists every voter of a 3-controller quorum", () => {
    const three: NodeSpec[] = [101, 102, 103].map((id, i) => ({
      id,
      role: "controller",
      host: "127.0.0.1",
      port: 19093 + i * 10000,
    }));
    expect(quorumVoters(three)).toBe("101@127.0.0.1:19093,102@127.0.0.1:29093,103@127.0.0.1:39093");
  });

  it("writes a properties file line by line", () => {
    expect(toPropertiesFile({ a: "1", "b.c": "x=y" })).toBe("a=1\nb.c=x=y\n");
  });
});
