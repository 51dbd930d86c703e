import { Kafka, logLevel } from "kafkajs";

const kafka = new Kafka({ clientId: "seed", brokers: ["127.0.0.1:19092"], logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({
  topics: [
    { topic: "orders", numPartitions: 6, replicationFactor: 3 },
    { topic: "payments", numPartitions: 3, replicationFactor: 3 },
    { topic: "clicks", numPartitions: 12, replicationFactor: 2 },
  ],
  waitForLeaders: true,
});
const p = kafka.producer();
await p.connect();
for (const [topic, n] of [
  ["orders", 600],
  ["payments", 120],
  ["clicks", 2400],
]) {
  await p.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ key: `k${i % 50}`, value: `v${i}` })) });
}
await p.disconnect();
await admin.setOffsets({
  groupId: "billing",
  topic: "orders",
  partitions: [0, 1, 2, 3].map((partition) => ({ partition, offset: "40" })),
});
const c = kafka.consumer({ groupId: "analytics" });
await c.connect();
await c.subscribe({ topic: "clicks", fromBeginning: true });
let n = 0;
await c.run({
  eachMessage: async () => {
    n++;
  },
});
await new Promise((r) => setTimeout(r, 8000));
console.log("consumed", n);
await admin.disconnect();
// keep the consumer alive for screenshots
setTimeout(() => c.disconnect().then(() => process.exit(0)), 120000);
