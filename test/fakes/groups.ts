import { FakeGateway, group, member, partition, topic } from "./cluster";

const withLog = (n: number, start: number, end: number) => ({
  ...partition(n, 1, [1]),
  earliestOffset: start,
  latestOffset: end,
});

/**
 * The cluster the group and records commands' tests act on. orders: 3 partitions, logs [10, 50),
 * [0, 20), [5, 5); group "billing" committed 30, 5 (none on 2).
 */
export const groupsCluster = () =>
  new FakeGateway({
    brokers: [1],
    controller: 101,
    topics: [
      topic("orders", [withLog(0, 10, 50), withLog(1, 0, 20), withLog(2, 5, 5)]),
      topic("__consumer_offsets", [withLog(0, 0, 9)], true),
    ],
    groups: [
      group("billing", { "orders:0": 30, "orders:1": 5 }),
      group("busy", { "orders:0": 12 }, [member("consumer-a", "/10.0.0.7"), member("consumer-b")]),
      group("mirror", { "orders:0": 44 }),
    ],
    // orders-0: offsets 10..49 written at 1000, 1010, …; orders-1: 0..19 at 2000, 2010, …
    timestamps: {
      "orders:0": Array.from({ length: 40 }, (_, i) => 1000 + 10 * i),
      "orders:1": Array.from({ length: 20 }, (_, i) => 2000 + 10 * i),
    },
  });
