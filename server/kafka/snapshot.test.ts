import { Reader, Writer } from "@platformatic/kafka";
import { afterEach, describe, expect, it } from "vitest";
import {
  API,
  apiVersionsBody,
  body,
  describeQuorumBody,
  FAKE_VERSIONS,
  type FakeBroker,
  type FakeRequest,
  listGroupsBody,
  metadataBody,
  responseFrame,
  startFakeBroker,
} from "./fake-broker";
import { KafkaPool } from "./pool";
import { MAX_SNAPSHOT_ERRORS, takeSnapshot } from "./snapshot";

const fakes: FakeBroker[] = [];
const pools: KafkaPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  for (const f of fakes.splice(0)) await f.close();
});

/** A fresh pool (plaintext) for one test. */
function pool(): KafkaPool {
  const p = new KafkaPool({ tls: null, sasl: null });
  pools.push(p);
  return p;
}

/** A fake broker that answers by API key; an API without an answer is left hanging. */
async function broker(answers: (port: number) => Partial<Record<number, (req: FakeRequest) => Buffer>>) {
  let port = 0;
  const f = await startFakeBroker((req, socket) => {
    const answer = answers(port)[req.apiKey];
    if (answer) socket.write(responseFrame(req, answer(req)));
  });
  port = f.port;
  fakes.push(f);
  return f;
}

/** ListOffsets v9 answer: orders-0 at 10 (earliest) / 100 (latest), orders-1 NOT_LEADER_OR_FOLLOWER. */
const listOffsetsBody = (req: FakeRequest) => {
  const r = Reader.from(req.body);
  r.readInt32(); // replica
  r.readInt8(); // isolation
  const [asked] = r.readArray((t) => ({
    name: t.readString(),
    partitions: t.readArray((pr) => ({ partition: pr.readInt32(), epoch: pr.readInt32(), timestamp: pr.readInt64() })),
  }));
  const timestamp = asked?.partitions[0]?.timestamp;
  return body()
    .appendInt32(0)
    .appendArray(["orders"], (w, t) =>
      w.appendString(t).appendArray([0, 1], (pw, p) =>
        pw
          .appendInt32(p)
          .appendInt16(p === 0 ? 0 : 6)
          .appendInt64(-1n)
          .appendInt64(p === 0 ? (timestamp === -2n ? 10n : 100n) : -1n)
          .appendInt32(0),
      ),
    )
    .appendTaggedFields().buffer;
};

/** g2 is still loading on its coordinator; g1 and g3 are described. */
const describeGroupsBody = () =>
  body()
    .appendInt32(0)
    .appendArray(["g1", "g2", "g3"], (w, g) =>
      w
        .appendInt16(g === "g2" ? 14 : 0)
        .appendString(g)
        .appendString(g === "g2" ? "" : "Empty")
        .appendString("consumer")
        .appendString("")
        .appendArray([], () => {})
        .appendInt32(-2147483648),
    )
    .appendTaggedFields().buffer;

/** g1 committed orders-0; g2 failed as a whole; g3 has a partition error and a commit on orders-1. */
const offsetFetchBody = () => {
  const part = (w: Writer, p: { partition: number; offset: bigint; error: number }) =>
    w.appendInt32(p.partition).appendInt64(p.offset).appendInt32(-1).appendString("").appendInt16(p.error);
  const groups = [
    { id: "g1", error: 0, parts: [{ partition: 0, offset: 40n, error: 0 }] },
    { id: "g2", error: 14, parts: [] },
    {
      id: "g3",
      error: 0,
      parts: [
        { partition: 0, offset: -1n, error: 14 },
        { partition: 1, offset: 3n, error: 0 },
      ],
    },
  ];
  return body()
    .appendInt32(0)
    .appendArray(groups, (w, g) =>
      w
        .appendString(g.id)
        .appendArray(g.parts.length ? ["orders"] : [], (tw, t) => tw.appendString(t).appendArray(g.parts, part))
        .appendInt16(g.error),
    )
    .appendTaggedFields().buffer;
};

const emptyListGroups = () => listGroupsBody([]);
const threeGroups = () => listGroupsBody(["g1", "g2", "g3"]);

describe("takeSnapshot errors", () => {
  it("keeps Metadata, ListOffsets, DescribeGroups and OffsetFetch error codes, and says what is partial", async () => {
    const f = await broker((port) => ({
      [API.metadata]: () =>
        metadataBody(port, [
          {
            name: "orders",
            partitions: [
              { partition: 0, leader: 1 },
              { partition: 1, leader: 1 },
              { partition: 2, leader: -1, errorCode: 5 },
            ],
          },
          { name: "fresh", errorCode: 5, partitions: [] },
        ]),
      [API.describeQuorum]: describeQuorumBody,
      [API.listOffsets]: listOffsetsBody,
      [API.listGroups]: threeGroups,
      [API.describeGroups]: describeGroupsBody,
      [API.offsetFetch]: offsetFetchBody,
    }));
    const snap = await takeSnapshot(pool(), [f.address], 2000);
    expect([...snap.errors].sort()).toEqual(
      [
        "topic fresh: LEADER_NOT_AVAILABLE",
        "partition orders-2: LEADER_NOT_AVAILABLE",
        "log-start offsets of orders-1: NOT_LEADER_OR_FOLLOWER",
        "log-end offsets of orders-1: NOT_LEADER_OR_FOLLOWER",
        "description of group g2: COORDINATOR_LOAD_IN_PROGRESS",
        "committed offsets of group g2: COORDINATOR_LOAD_IN_PROGRESS",
        "committed offset of group g3 on orders-0: COORDINATOR_LOAD_IN_PROGRESS",
      ].sort(),
    );
    expect(snap.complete).toBe(false);
    expect(snap.partial).toEqual({ metadata: true, offsets: true, groups: true, quorum: false, elr: false });
    expect(snap.quorum?.leaderId).toBe(101);
    const orders = snap.topics.find((t) => t.name === "orders");
    expect(orders?.partitions.map((p) => [p.earliestOffset, p.latestOffset])).toEqual([
      [10, 100],
      [null, null],
      [null, null],
    ]);
    const byId = new Map(snap.groups.map((g) => [g.groupId, g]));
    expect(byId.get("g1")).toMatchObject({ complete: true, state: "Empty" });
    expect(byId.get("g1")?.offsets).toEqual([
      { topic: "orders", partition: 0, committedOffset: 40, logEndOffset: 100, lag: 60 },
    ]);
    expect(byId.get("g2")?.complete).toBe(false);
    // g3: a partition error, and a commit on orders-1 whose log-end offset is unknown
    expect(byId.get("g3")?.complete).toBe(false);
    expect(byId.get("g3")?.offsets).toEqual([
      { topic: "orders", partition: 1, committedOffset: 3, logEndOffset: null, lag: null },
    ]);
  });

  it("says which partitions a leader's ListOffsets answer left out, and not those it answered with an error", async () => {
    const f = await broker((port) => ({
      [API.metadata]: () =>
        metadataBody(port, [
          {
            name: "orders",
            partitions: [0, 1, 2, 3].map((partition) => ({ partition, leader: 1 })),
          },
        ]),
      [API.describeQuorum]: describeQuorumBody,
      // orders-0 answered, orders-1 with NOT_LEADER_OR_FOLLOWER, orders-2 and orders-3 left out.
      [API.listOffsets]: () =>
        body()
          .appendInt32(0)
          .appendArray(["orders"], (w, t) =>
            w.appendString(t).appendArray([0, 1], (pw, p) =>
              pw
                .appendInt32(p)
                .appendInt16(p === 1 ? 6 : 0)
                .appendInt64(-1n)
                .appendInt64(p === 1 ? -1n : 5n)
                .appendInt32(0),
            ),
          )
          .appendTaggedFields().buffer,
      [API.listGroups]: emptyListGroups,
    }));
    const snap = await takeSnapshot(pool(), [f.address], 2000);
    expect([...snap.errors].sort()).toEqual(
      ["log-start offsets", "log-end offsets"]
        .flatMap((what) => [
          `${what} of orders-1: NOT_LEADER_OR_FOLLOWER`,
          `${what} of orders-2: not in broker 1's answer`,
          `${what} of orders-3: not in broker 1's answer`,
        ])
        .sort(),
    );
    expect(snap.partial.offsets).toBe(true);
    expect(snap.topics[0]?.partitions.map((p) => p.latestOffset)).toEqual([5, null, null, null]);
  });

  it("a healthy answer is complete with no errors", async () => {
    const f = await broker((port) => ({
      [API.metadata]: () => metadataBody(port, [{ name: "orders", partitions: [{ partition: 0, leader: 1 }] }]),
      [API.describeQuorum]: describeQuorumBody,
      [API.listOffsets]: () =>
        body()
          .appendInt32(0)
          .appendArray(["orders"], (w, t) =>
            w
              .appendString(t)
              .appendArray([0], (pw, p) =>
                pw.appendInt32(p).appendInt16(0).appendInt64(-1n).appendInt64(5n).appendInt32(0),
              ),
          )
          .appendTaggedFields().buffer,
      [API.listGroups]: emptyListGroups,
    }));
    const snap = await takeSnapshot(pool(), [f.address], 2000);
    expect(snap.errors).toEqual([]);
    expect(snap.complete).toBe(true);
    expect(snap.partial).toEqual({ metadata: false, offsets: false, groups: false, quorum: false, elr: false });
  });

  it(`keeps at most ${MAX_SNAPSHOT_ERRORS} error lines and counts the rest`, async () => {
    const partitions = Array.from({ length: 500 }, (_, i) => ({ partition: i, leader: -1, errorCode: 5 }));
    const f = await broker((port) => ({
      [API.metadata]: () => metadataBody(port, [{ name: "broken", partitions }]),
      [API.describeQuorum]: describeQuorumBody,
      [API.listGroups]: emptyListGroups,
    }));
    const snap = await takeSnapshot(pool(), [f.address], 2000);
    expect(snap.errors).toHaveLength(MAX_SNAPSHOT_ERRORS + 1);
    expect(snap.errors[0]).toBe("partition broken-0: LEADER_NOT_AVAILABLE");
    expect(snap.errors[MAX_SNAPSHOT_ERRORS]).toBe(`… and ${500 - MAX_SNAPSHOT_ERRORS} more`);
  });
});

describe("takeSnapshot deadline", () => {
  it("one deadline bounds the snapshot: a broker that hangs after Metadata cannot stretch it", async () => {
    // Metadata at once, ListGroups after 500 ms, everything else never: each stage given the full
    // timeout would take 500 + 1000 ms.
    let port = 0;
    const f = await startFakeBroker((req, socket) => {
      if (req.apiKey === API.metadata)
        socket.write(
          responseFrame(req, metadataBody(port, [{ name: "orders", partitions: [{ partition: 0, leader: 1 }] }])),
        );
      if (req.apiKey === API.listGroups) setTimeout(() => socket.write(responseFrame(req, threeGroups())), 500);
    });
    port = f.port;
    fakes.push(f);
    const began = Date.now();
    const snap = await takeSnapshot(pool(), [f.address], 1000);
    const took = Date.now() - began;
    console.log(`snapshot against a hanging broker took ${took} ms for a 1000 ms timeout`);
    expect(took).toBeLessThan(1200);
    expect(snap.complete).toBe(false);
    expect(snap.partial).toMatchObject({ offsets: true, groups: true, quorum: true });
    expect(snap.groups.map((g) => [g.groupId, g.complete])).toEqual([
      ["g1", false],
      ["g2", false],
      ["g3", false],
    ]);
    // Every request left ends at the one deadline: whichever timer fires first closes the shared
    // connection, and the others say so instead of their own timeout.
    expect(
      snap.errors.some((e) =>
        /^group descriptions from broker 1: .* did not answer DescribeGroups( within \d+ ms|: another request on its connection timed out)$/.test(
          e,
        ),
      ),
    ).toBe(true);
  });

  it("a Metadata answer that comes late leaves the other stages only the rest", async () => {
    let port = 0;
    const f = await startFakeBroker((req, socket) => {
      if (req.apiKey === API.metadata)
        setTimeout(() => socket.write(responseFrame(req, metadataBody(port, [{ name: "t", partitions: [] }]))), 700);
    });
    port = f.port;
    fakes.push(f);
    const began = Date.now();
    const snap = await takeSnapshot(pool(), [f.address], 1000);
    const took = Date.now() - began;
    console.log(`snapshot with Metadata answered at 700 ms took ${took} ms for a 1000 ms timeout`);
    expect(took).toBeLessThan(1200);
    expect(snap.partial.groups).toBe(true);
  });
});

describe("takeSnapshot with KIP-848 consumer groups", () => {
  /** A consumer-protocol assignment (classic groups): version, [topic, [partition]], user data. */
  const classicAssignment = (topic: string, partitions: number[]) =>
    Writer.create()
      .appendInt16(0)
      .appendArray(
        [topic],
        (w, t) => w.appendString(t, false).appendArray(partitions, (pw, p) => pw.appendInt32(p), false, false),
        false,
        false,
      )
      .appendInt32(-1).buffer;
  /** An Assignment struct: [topic id, name, [partition]], then its own tagged fields. */
  const assignment = (w: Writer, topic: string, partitions: number[]) =>
    w
      .appendArray([topic], (tw, t) =>
        tw
          .appendUUID("01234567-89ab-cdef-0fed-cba987654321")
          .appendString(t)
          .appendArray(partitions, (pw, p) => pw.appendInt32(p), true, false),
      )
      .appendTaggedFields();
  const groupIdsOf = (req: FakeRequest) => Reader.from(req.body).readArray((g) => g.readString(), true, false);

  /** Every request the fake saw, ApiVersions included (the fake answers it itself). */
  async function recordingBroker(
    answers: (port: number) => Partial<Record<number, (req: FakeRequest) => Buffer>>,
    versions: Record<number, number> = FAKE_VERSIONS,
  ) {
    const seen: FakeRequest[] = [];
    let port = 0;
    const f = await startFakeBroker(
      (req, socket) => {
        seen.push(req);
        if (req.apiKey === API.apiVersions) return void socket.write(responseFrame(req, apiVersionsBody(versions)));
        const answer = answers(port)[req.apiKey];
        if (answer) socket.write(responseFrame(req, answer(req)));
      },
      { answerApiVersions: false },
    );
    port = f.port;
    fakes.push(f);
    return { f, seen };
  }

  it("describes consumer-type groups with one ConsumerGroupDescribe and classic ones with one DescribeGroups per coordinator", async () => {
    const { f, seen } = await recordingBroker((port) => ({
      [API.metadata]: () => metadataBody(port, [{ name: "orders", partitions: [{ partition: 0, leader: 1 }] }]),
      [API.describeQuorum]: describeQuorumBody,
      [API.listOffsets]: () =>
        body()
          .appendInt32(0)
          .appendArray(["orders"], (w, t) =>
            w
              .appendString(t)
              .appendArray([0], (pw, p) =>
                pw.appendInt32(p).appendInt16(0).appendInt64(-1n).appendInt64(5n).appendInt32(0),
              ),
          )
          .appendTaggedFields().buffer,
      [API.listGroups]: () =>
        body()
          .appendInt32(0)
          .appendInt16(0)
          .appendArray(
            [
              ["c1", "Consumer"],
              ["c2", "Consumer"],
              ["k1", "Classic"],
            ],
            (w, [g, type]) =>
              w
                .appendString(g as string)
                .appendString("consumer")
                .appendString("Stable")
                .appendString(type as string),
          )
          .appendTaggedFields().buffer,
      [API.describeGroups]: () =>
        body()
          .appendInt32(0)
          .appendArray(["k1"], (w, g) =>
            w
              .appendInt16(0)
              .appendString(g)
              .appendString("Stable")
              .appendString("consumer")
              .appendString("range")
              .appendArray(["k1-m"], (mw, m) =>
                mw
                  .appendString(m)
                  .appendString(null)
                  .appendString("kafkajs")
                  .appendString("/127.0.0.1")
                  .appendBytes(Buffer.alloc(0)) // member_metadata
                  .appendBytes(classicAssignment("orders", [0])),
              )
              .appendInt32(-2147483648),
          )
          .appendTaggedFields().buffer,
      [API.consumerGroupDescribe]: () =>
        body()
          .appendInt32(0)
          .appendArray(["c1", "c2"], (w, g) =>
            w
              .appendInt16(g === "c2" ? 69 : 0)
              .appendString(g === "c2" ? "Group c2 not found." : null)
              .appendString(g)
              .appendString(g === "c2" ? "" : "Stable")
              .appendInt32(7) // group epoch
              .appendInt32(6) // assignment epoch
              .appendString("uniform")
              .appendArray(g === "c2" ? [] : ["c1-m"], (mw, m) => {
                mw.appendString(m)
                  .appendString("static-1")
                  .appendString(null) // rack
                  .appendInt32(6)
                  .appendString("console-consumer")
                  .appendString("/127.0.0.1")
                  .appendArray(["orders"], (tw, t) => tw.appendString(t), true, false)
                  .appendString(null);
                assignment(mw, "orders", [0]);
                assignment(mw, "orders", [0]);
                mw.appendInt8(1); // member_type (v1): consumer
              })
              .appendInt32(-2147483648),
          )
          .appendTaggedFields().buffer,
      [API.offsetFetch]: () =>
        body()
          .appendInt32(0)
          .appendArray(["c1", "c2", "k1"], (w, g) =>
            w
              .appendString(g)
              .appendArray([], () => {})
              .appendInt16(0),
          )
          .appendTaggedFields().buffer,
    }));
    const p = pool();
    const snap = await takeSnapshot(p, [f.address], 2000);
    const of = (k: number) =>
      seen
        .filter((r) => r.apiKey === k)
        .map((r) => ({
          version: r.version,
          ...(k === API.describeGroups || k === API.consumerGroupDescribe ? { groups: groupIdsOf(r) } : {}),
        }));
    expect(of(API.apiVersions)).toHaveLength(1);
    expect(of(API.listGroups)).toEqual([{ version: 5 }]);
    expect(of(API.describeGroups)).toEqual([{ version: 5, groups: ["k1"] }]);
    expect(of(API.consumerGroupDescribe)).toEqual([{ version: 1, groups: ["c1", "c2"] }]);
    expect(snap.errors).toEqual(["description of group c2: GROUP_ID_NOT_FOUND (Group c2 not found.)"]);
    const byId = new Map(snap.groups.map((g) => [g.groupId, g]));
    expect(byId.get("c1")).toMatchObject({
      type: "consumer",
      state: "Stable",
      protocol: "uniform",
      groupEpoch: 7,
      assignmentEpoch: 6,
      complete: true,
      members: [
        {
          memberId: "c1-m",
          groupInstanceId: "static-1",
          clientId: "console-consumer",
          clientHost: "/127.0.0.1",
          memberEpoch: 6,
          assignments: [{ topic: "orders", partitions: [0] }],
          targetAssignments: [{ topic: "orders", partitions: [0] }],
        },
      ],
    });
    // An assigned partition without a commit still shows, with its log-end offset.
    expect(byId.get("c1")?.offsets).toEqual([
      { topic: "orders", partition: 0, committedOffset: null, logEndOffset: 5, lag: null },
    ]);
    expect(byId.get("k1")).toMatchObject({
      type: "classic",
      protocol: "range",
      groupEpoch: null,
      complete: true,
      members: [{ memberId: "k1-m", memberEpoch: null, assignments: [{ topic: "orders", partitions: [0] }] }],
    });
    expect(byId.get("c2")).toMatchObject({ type: "consumer", complete: false, members: [] });
    expect(snap.partial.groups).toBe(true);

    // The broker's versions are known on the pooled connection: the next snapshot does not ask again.
    const before = seen.length;
    const again = await takeSnapshot(p, [f.address], 2000);
    const next = seen.slice(before);
    expect(next.filter((r) => r.apiKey === API.apiVersions)).toHaveLength(0);
    expect(again.requests).toBe(snap.requests);
    expect(next).toHaveLength(again.requests);
  });

  it("a broker before Kafka 3.8 is asked ListGroups v4, and its groups are classic", async () => {
    const { f, seen } = await recordingBroker(
      (port) => ({
        [API.metadata]: () => metadataBody(port, []),
        [API.describeQuorum]: describeQuorumBody,
        // ListGroups v4: no group_type.
        [API.listGroups]: () =>
          body()
            .appendInt32(0)
            .appendInt16(0)
            .appendArray(["g1", "g2", "g3"], (w, g) =>
              w.appendString(g).appendString("consumer").appendString("Stable"),
            )
            .appendTaggedFields().buffer,
        [API.describeGroups]: describeGroupsBody,
        [API.offsetFetch]: offsetFetchBody,
      }),
      { ...FAKE_VERSIONS, [API.listGroups]: 4, [API.consumerGroupDescribe]: 0 },
    );
    const snap = await takeSnapshot(pool(), [f.address], 2000);
    expect(seen.filter((r) => r.apiKey === API.listGroups).map((r) => r.version)).toEqual([4]);
    expect(snap.groups.map((g) => [g.groupId, g.type])).toEqual([
      ["g1", "classic"],
      ["g2", "classic"],
      ["g3", "classic"],
    ]);
  });

  it("a broker that serves no ConsumerGroupDescribe marks its consumer-type groups incomplete, with a reason each", async () => {
    const versions: Record<number, number> = { ...FAKE_VERSIONS };
    delete versions[API.consumerGroupDescribe];
    const { f, seen } = await recordingBroker(
      (port) => ({
        [API.metadata]: () => metadataBody(port, []),
        [API.describeQuorum]: describeQuorumBody,
        [API.listGroups]: () =>
          body()
            .appendInt32(0)
            .appendInt16(0)
            .appendArray(["c1"], (w, g) =>
              w.appendString(g).appendString("consumer").appendString("Stable").appendString("Consumer"),
            )
            .appendTaggedFields().buffer,
        [API.offsetFetch]: () =>
          body()
            .appendInt32(0)
            .appendArray(["c1"], (w, g) =>
              w
                .appendString(g)
                .appendArray([], () => {})
                .appendInt16(0),
            )
            .appendTaggedFields().buffer,
      }),
      versions,
    );
    const snap = await takeSnapshot(pool(), [f.address], 2000);
    expect(seen.some((r) => r.apiKey === API.consumerGroupDescribe)).toBe(false);
    expect(snap.errors).toEqual(["description of group c1: broker 1 does not serve ConsumerGroupDescribe"]);
    expect(snap.groups).toMatchObject([{ groupId: "c1", type: "consumer", complete: false }]);
    expect(snap.partial.groups).toBe(true);
  });
});

describe("takeSnapshot eligible leader replicas (DescribeTopicPartitions)", () => {
  const DTP = 75;
  type Part = { topic: string; partition: number; elr: number[]; lastKnownElr: number[]; errorCode?: number };

  /** A DescribeTopicPartitions v0 request body as Quorum sends it. */
  const readDtpRequest = (req: FakeRequest) => {
    const r = Reader.from(req.body);
    const topics = r.readArray((t) => t.readString());
    const limit = r.readInt32();
    let cursor: { topicName: string; partitionIndex: number } | null = null;
    if (r.readInt8() !== -1) {
      cursor = { topicName: r.readString(), partitionIndex: r.readInt32() };
      r.readTaggedFields();
    }
    return { topics, limit, cursor };
  };

  /** A DescribeTopicPartitions v0 answer: the given partitions (grouped by topic), then the cursor. */
  const dtpBody = (parts: Part[], next: { topicName: string; partitionIndex: number } | null, topicErrors = {}) => {
    const ints = (w: Writer, xs: number[]) => w.appendArray(xs, (x, v) => x.appendInt32(v), true, false);
    const names = [...new Set([...parts.map((p) => p.topic), ...Object.keys(topicErrors)])];
    const w = body()
      .appendInt32(0)
      .appendArray(names, (tw, name) =>
        tw
          .appendInt16((topicErrors as Record<string, number>)[name] ?? 0)
          .appendString(name)
          .appendUUID("00000000-0000-0000-0000-000000000001")
          .appendBoolean(false)
          .appendArray(
            parts.filter((p) => p.topic === name),
            (pw, p) => {
              pw.appendInt16(p.errorCode ?? 0)
                .appendInt32(p.partition)
                .appendInt32(1)
                .appendInt32(3);
              ints(pw, [1, 2, 3]);
              ints(pw, [1]);
              ints(pw, p.elr);
              ints(pw, p.lastKnownElr);
              ints(pw, []);
            },
          )
          .appendInt32(-2147483648),
      );
    if (next) w.appendInt8(1).appendString(next.topicName).appendInt32(next.partitionIndex).appendTaggedFields();
    else w.appendInt8(-1);
    return w.appendTaggedFields().buffer;
  };

  const listOffsetsFor = (req: FakeRequest) => {
    const r = Reader.from(req.body);
    r.readInt32();
    r.readInt8();
    const asked = r.readArray((t) => ({
      name: t.readString(),
      partitions: t.readArray((pr) => {
        const partition = pr.readInt32();
        pr.readInt32();
        pr.readInt64();
        return partition;
      }),
    }));
    return body()
      .appendInt32(0)
      .appendArray(asked, (w, t) =>
        w
          .appendString(t.name)
          .appendArray(t.partitions, (pw, p) =>
            pw.appendInt32(p).appendInt16(0).appendInt64(-1n).appendInt64(0n).appendInt32(0),
          ),
      )
      .appendTaggedFields().buffer;
  };

  /**
   * ApiVersions v3 as a Kafka 4.x broker answers it: the API keys, then the tagged fields
   * SupportedFeatures (tag 0), FinalizedFeaturesEpoch (1) and FinalizedFeatures (2) with `levels`.
   */
  const apiVersionsWithFeatures = (versions: Record<number, number>, levels: Record<string, number>) => {
    const base = apiVersionsBody(versions);
    const withoutTags = base.subarray(0, base.length - 1); // the empty tagged-field section
    const features = (names: string[], a: (n: string) => number, b: (n: string) => number) =>
      body().appendArray(names, (w, n) => w.appendString(n).appendInt16(a(n)).appendInt16(b(n))).buffer;
    const names = Object.keys(levels);
    const fields: [number, Buffer][] = [
      [
        0,
        features(
          names,
          () => 0,
          () => 1,
        ),
      ], // supported: min, max
      [1, body().appendInt64(7n).buffer],
      [
        2,
        features(
          names,
          (n) => levels[n] ?? 0,
          (n) => levels[n] ?? 0,
        ),
      ], // finalized: max level, min level
    ];
    const w = body().appendUnsignedVarInt(fields.length);
    for (const [tag, bytes] of fields) w.appendUnsignedVarInt(tag).appendUnsignedVarInt(bytes.length).append(bytes);
    return Buffer.concat([withoutTags, w.buffer]);
  };

  /**
   * A broker that serves DescribeTopicPartitions v0 (Kafka 3.8+) and answers it with `dtp`, with
   * eligible.leader.replicas.version finalized at `elrLevel`; `serves` false: a broker before 3.8.
   */
  async function elrBroker(dtp: ((req: FakeRequest) => Buffer) | null, serves = true, elrLevel = 1) {
    let port = 0;
    const asked: ReturnType<typeof readDtpRequest>[] = [];
    const f = await startFakeBroker(
      (req, socket) => {
        const answer: Partial<Record<number, () => Buffer>> = {
          [API.apiVersions]: () =>
            serves
              ? apiVersionsWithFeatures(
                  { ...FAKE_VERSIONS, [DTP]: 0 },
                  { "metadata.version": 33, "eligible.leader.replicas.version": elrLevel, "group.version": 1 },
                )
              : apiVersionsBody(FAKE_VERSIONS),
          [API.metadata]: () =>
            metadataBody(port, [
              // Replicas out of sync: partitions that may have eligible leader replicas.
              {
                name: "orders",
                partitions: [0, 1, 2].map((partition) => ({ partition, leader: 1, replicas: [1, 2, 3], isr: [1] })),
              },
              { name: "payments", partitions: [{ partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2] }] },
              // Every replica in sync: Kafka keeps its ELR empty, so it is not asked about.
              { name: "refunds", partitions: [{ partition: 0, leader: 1, replicas: [1, 2], isr: [2, 1] }] },
            ]),
          [API.describeQuorum]: describeQuorumBody,
          [API.listOffsets]: () => listOffsetsFor(req),
          [API.listGroups]: emptyListGroups,
        };
        if (req.apiKey === DTP) {
          asked.push(readDtpRequest(req));
          if (dtp) socket.write(responseFrame(req, dtp(req)));
          return;
        }
        const a = answer[req.apiKey];
        if (a) socket.write(responseFrame(req, a()));
      },
      { answerApiVersions: false },
    );
    port = f.port;
    fakes.push(f);
    return { f, asked };
  }

  const elrOf = (snap: Awaited<ReturnType<typeof takeSnapshot>>) =>
    snap.topics.flatMap((t) => t.partitions.map((p) => [`${t.name}-${p.partition}`, p.elr, p.lastKnownElr]));

  it("reads the ELR of every topic with a partition out of sync from the broker that answered Metadata, page after page along the cursor", async () => {
    const all: Part[] = [
      { topic: "orders", partition: 0, elr: [2, 3], lastKnownElr: [] },
      { topic: "orders", partition: 1, elr: [], lastKnownElr: [] },
      { topic: "orders", partition: 2, elr: [], lastKnownElr: [3] },
      { topic: "payments", partition: 0, elr: [3], lastKnownElr: [2] },
    ];
    // Two partitions a page, as a broker with a low max.request.partition.size.limit would answer.
    const { f, asked } = await elrBroker((req) => {
      const { cursor } = readDtpRequest(req);
      const from = cursor
        ? all.findIndex((p) => p.topic === cursor.topicName && p.partition === cursor.partitionIndex)
        : 0;
      const page = all.slice(from, from + 2);
      const next = all[from + 2];
      return dtpBody(page, next ? { topicName: next.topic, partitionIndex: next.partition } : null);
    });
    const snap = await takeSnapshot(pool(), [f.address], 2000);
    expect(snap.errors).toEqual([]);
    expect(snap.complete).toBe(true);
    expect(elrOf(snap)).toEqual([
      ["orders-0", [2, 3], []],
      ["orders-1", [], []],
      ["orders-2", [], [3]],
      ["payments-0", [3], [2]],
      ["refunds-0", [], []],
    ]);
    // One request names every topic with a partition out of sync; the next carries the cursor the first answer gave.
    expect(asked).toEqual([
      { topics: ["orders", "payments"], limit: 2000, cursor: null },
      { topics: ["orders", "payments"], limit: 2000, cursor: { topicName: "orders", partitionIndex: 2 } },
    ]);
    // Metadata, DescribeQuorum, 2 ListOffsets, ListGroups, ApiVersions (features), 2 DescribeTopicPartitions.
    expect(snap.requests).toBe(8);
  });

  it("leaves ELR null, without an error or a request, when the broker does not serve DescribeTopicPartitions", async () => {
    const { f, asked } = await elrBroker(null, false);
    const snap = await takeSnapshot(pool(), [f.address], 2000);
    expect(asked).toEqual([]);
    expect(snap.complete).toBe(true);
    expect(elrOf(snap).every(([, elr, last]) => elr === null && last === null)).toBe(true);
  });

  it("leaves ELR null, and asks no DescribeTopicPartitions, when the cluster has ELR off (eligible.leader.replicas.version=0)", async () => {
    const { f, asked } = await elrBroker(() => dtpBody([], null), true, 0);
    const snap = await takeSnapshot(pool(), [f.address], 2000);
    expect(asked).toEqual([]);
    expect(snap.complete).toBe(true);
    expect(elrOf(snap).every(([, elr, last]) => elr === null && last === null)).toBe(true);
    // Metadata, DescribeQuorum, 2 ListOffsets, ListGroups, ApiVersions (features).
    expect(snap.requests).toBe(6);
  });

  it("keeps what one answer gave when a topic in it has an error, and says ELR is partial", async () => {
    const { f } = await elrBroker(() =>
      dtpBody(
        [0, 1, 2].map((partition) => ({ topic: "orders", partition, elr: [], lastKnownElr: [] })),
        null,
        { payments: 3 }, // UNKNOWN_TOPIC_OR_PARTITION: deleted since Metadata named it
      ),
    );
    const snap = await takeSnapshot(pool(), [f.address], 2000);
    expect(snap.partial.elr).toBe(true);
    expect(snap.complete).toBe(false);
    expect(snap.errors).toEqual(["eligible leader replicas of payments: UNKNOWN_TOPIC_OR_PARTITION"]);
    expect(elrOf(snap)).toEqual([
      ["orders-0", [], []],
      ["orders-1", [], []],
      ["orders-2", [], []],
      ["payments-0", null, null],
      ["refunds-0", [], []],
    ]);
  });

  it("a broker that never answers DescribeTopicPartitions cannot stretch the snapshot past its deadline", async () => {
    const { f } = await elrBroker(null);
    const began = Date.now();
    const snap = await takeSnapshot(pool(), [f.address], 800);
    expect(Date.now() - began).toBeLessThan(1000);
    expect(snap.partial).toEqual({ metadata: false, offsets: false, groups: false, quorum: false, elr: true });
    expect(snap.errors).toHaveLength(1);
    expect(snap.errors[0]).toMatch(
      /^eligible leader replicas from 127\.0\.0\.1:\d+: .*did not answer DescribeTopicPartitions/,
    );
    expect(snap.topics.find((t) => t.name === "orders")?.partitions[0]?.latestOffset).toBe(0);
    expect(
      elrOf(snap)
        .filter(([tp]) => tp !== "refunds-0")
        .every(([, elr]) => elr === null),
    ).toBe(true);
  });

  it("asks no DescribeTopicPartitions when every partition has a leader and all its replicas in sync", async () => {
    let port = 0;
    let asked = 0;
    const f = await startFakeBroker(
      (req, socket) => {
        if (req.apiKey === DTP) {
          asked++;
          return;
        }
        const answer: Partial<Record<number, () => Buffer>> = {
          [API.apiVersions]: () =>
            apiVersionsWithFeatures({ ...FAKE_VERSIONS, [DTP]: 0 }, { "eligible.leader.replicas.version": 1 }),
          [API.metadata]: () =>
            metadataBody(port, [
              { name: "orders", partitions: [0, 1].map((partition) => ({ partition, leader: 1, replicas: [1, 2] })) },
            ]),
          [API.describeQuorum]: describeQuorumBody,
          [API.listOffsets]: () => listOffsetsFor(req),
          [API.listGroups]: emptyListGroups,
        };
        const a = answer[req.apiKey];
        if (a) socket.write(responseFrame(req, a()));
      },
      { answerApiVersions: false },
    );
    port = f.port;
    fakes.push(f);
    const snap = await takeSnapshot(pool(), [f.address], 2000);
    expect(asked).toBe(0);
    expect(snap.complete).toBe(true);
    expect(elrOf(snap)).toEqual([
      ["orders-0", [], []],
      ["orders-1", [], []],
    ]);
    // Metadata, DescribeQuorum, 2 ListOffsets, ListGroups, ApiVersions (features): nothing per partition.
    expect(snap.requests).toBe(6);
  });

  it("carries Metadata's topic ids and leader epochs", async () => {
    const { f } = await elrBroker(null, false);
    const snap = await takeSnapshot(pool(), [f.address], 2000);
    expect(snap.topics.map((t) => t.topicId)).toEqual(Array(3).fill("AAAAAAAAAAAAAAAAAAAAAQ"));
    expect(snap.topics[0]?.partitions.map((p) => p.leaderEpoch)).toEqual([0, 0, 0]);
  });
});
