import { afterEach, describe, expect, it } from "vitest";
import {
  apiVersionsBody,
  type FakeBroker,
  type FakeRequest,
  metadataBody,
  responseFrame,
  startFakeBroker,
} from "./fake-broker";
import { forgetApiVersions, MAX_SNAPSHOT_ERRORS, takeSnapshot } from "./snapshot";
import { Reader, Writer } from "./wire";

const fakes: FakeBroker[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
  forgetApiVersions();
});

const API = {
  listOffsets: 2,
  metadata: 3,
  offsetFetch: 9,
  describeGroups: 15,
  listGroups: 16,
  apiVersions: 18,
  describeQuorum: 55,
  consumerGroupDescribe: 69,
};

/**
 * A fake broker that answers by API key; an API without an answer is left hanging. ApiVersions
 * says what Kafka 3.7 serves (ListGroups up to v4) unless the test answers it.
 */
async function broker(
  answers: (port: number) => Partial<Record<number, (req: FakeRequest) => Buffer>>,
  seen: FakeRequest[] = [],
) {
  let port = 0;
  const f = await startFakeBroker((req, socket) => {
    seen.push(req);
    const answer = answers(port)[req.apiKey] ?? (req.apiKey === API.apiVersions ? () => apiVersionsBody() : undefined);
    if (answer) socket.end(responseFrame(req, answer(req)));
  });
  port = f.port;
  fakes.push(f);
  return f;
}

const describeQuorumBody = () =>
  new Writer()
    .int16(0)
    .compactArray(["__cluster_metadata"], (w, t) =>
      w
        .compactString(t)
        .compactArray([0], (pw, p) =>
          pw
            .int32(p)
            .int16(0)
            .int32(101) // leader
            .int32(3) // epoch
            .int64(42n) // high watermark
            .compactArray([101], (vw, id) => vw.int32(id).int64(42n).tags())
            .compactArray([], () => {})
            .tags(),
        )
        .tags(),
    )
    .tags()
    .bytes();

/** ListOffsets v2 answer: orders-0 at 10 (earliest) / 100 (latest), orders-1 NOT_LEADER_OR_FOLLOWER. */
const listOffsetsBody = (req: FakeRequest) => {
  const r = new Reader(req.body);
  r.int32(); // replica
  r.int8(); // isolation
  r.int32(); // one topic
  r.string();
  r.int32(); // partitions
  r.int32();
  const timestamp = r.int64();
  return new Writer()
    .int32(0)
    .array(["orders"], (w, t) =>
      w.string(t).array([0, 1], (pw, p) =>
        pw
          .int32(p)
          .int16(p === 0 ? 0 : 6)
          .int64(-1n)
          .int64(p === 0 ? (timestamp === -2n ? 10n : 100n) : -1n),
      ),
    )
    .bytes();
};

const listGroupsBody = () =>
  new Writer()
    .int32(0)
    .int16(0)
    .compactArray(["g1", "g2", "g3"], (w, g) =>
      w.compactString(g).compactString("consumer").compactString("Stable").tags(),
    )
    .tags()
    .bytes();

/** g2 is still loading on its coordinator; g1 and g3 are described. */
const describeGroupsBody = () =>
  new Writer()
    .int32(0)
    .compactArray(["g1", "g2", "g3"], (w, g) =>
      w
        .int16(g === "g2" ? 14 : 0)
        .compactString(g)
        .compactString(g === "g2" ? "" : "Empty")
        .compactString("consumer")
        .compactString("")
        .compactArray([], () => {})
        .int32(-2147483648)
        .tags(),
    )
    .tags()
    .bytes();

/** g1 committed orders-0; g2 failed as a whole; g3 has a partition error and a commit on orders-1. */
const offsetFetchBody = () => {
  const part = (w: Writer, p: { partition: number; offset: bigint; error: number }) =>
    w.int32(p.partition).int64(p.offset).int32(-1).compactString("").int16(p.error).tags();
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
  return new Writer()
    .int32(0)
    .compactArray(groups, (w, g) =>
      w
        .compactString(g.id)
        .compactArray(g.parts.length ? ["orders"] : [], (tw, t) =>
          tw.compactString(t).compactArray(g.parts, part).tags(),
        )
        .int16(g.error)
        .tags(),
    )
    .tags()
    .bytes();
};

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
      [API.listGroups]: listGroupsBody,
      [API.describeGroups]: describeGroupsBody,
      [API.offsetFetch]: offsetFetchBody,
    }));
    const snap = await takeSnapshot([f.address], 2000);
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
    expect(snap.partial).toEqual({ metadata: true, offsets: true, groups: true, quorum: false });
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

  it("a healthy answer is complete with no errors", async () => {
    const f = await broker((port) => ({
      [API.metadata]: () => metadataBody(port, [{ name: "orders", partitions: [{ partition: 0, leader: 1 }] }]),
      [API.describeQuorum]: describeQuorumBody,
      [API.listOffsets]: () =>
        new Writer()
          .int32(0)
          .array(["orders"], (w, t) => w.string(t).array([0], (pw, p) => pw.int32(p).int16(0).int64(-1n).int64(5n)))
          .bytes(),
      [API.listGroups]: () =>
        new Writer()
          .int32(0)
          .int16(0)
          .compactArray([], () => {})
          .tags()
          .bytes(),
    }));
    const snap = await takeSnapshot([f.address], 2000);
    expect(snap.errors).toEqual([]);
    expect(snap.complete).toBe(true);
    expect(snap.partial).toEqual({ metadata: false, offsets: false, groups: false, quorum: false });
  });

  it(`keeps at most ${MAX_SNAPSHOT_ERRORS} error lines and counts the rest`, async () => {
    const partitions = Array.from({ length: 500 }, (_, i) => ({ partition: i, leader: -1, errorCode: 5 }));
    const f = await broker((port) => ({
      [API.metadata]: () => metadataBody(port, [{ name: "broken", partitions }]),
      [API.describeQuorum]: describeQuorumBody,
      [API.listGroups]: () =>
        new Writer()
          .int32(0)
          .int16(0)
          .compactArray([], () => {})
          .tags()
          .bytes(),
    }));
    const snap = await takeSnapshot([f.address], 2000);
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
        socket.end(
          responseFrame(req, metadataBody(port, [{ name: "orders", partitions: [{ partition: 0, leader: 1 }] }])),
        );
      if (req.apiKey === API.apiVersions) socket.end(responseFrame(req, apiVersionsBody()));
      if (req.apiKey === API.listGroups) setTimeout(() => socket.end(responseFrame(req, listGroupsBody())), 500);
    });
    port = f.port;
    fakes.push(f);
    const began = Date.now();
    const snap = await takeSnapshot([f.address], 1000);
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
    expect(snap.errors.some((e) => /^group descriptions from broker 1: .* did not answer within/.test(e))).toBe(true);
  });

  it("a Metadata answer that comes late leaves the other stages only the rest", async () => {
    let port = 0;
    const f = await startFakeBroker((req, socket) => {
      if (req.apiKey === API.metadata)
        setTimeout(() => socket.end(responseFrame(req, metadataBody(port, [{ name: "t", partitions: [] }]))), 700);
    });
    port = f.port;
    fakes.push(f);
    const began = Date.now();
    const snap = await takeSnapshot([f.address], 1000);
    const took = Date.now() - began;
    console.log(`snapshot with Metadata answered at 700 ms took ${took} ms for a 1000 ms timeout`);
    expect(took).toBeLessThan(1200);
    expect(snap.partial.groups).toBe(true);
  });
});

describe("takeSnapshot with KIP-848 consumer groups", () => {
  /** A consumer-protocol assignment (classic groups): version, [topic, [partition]], user data. */
  const classicAssignment = (topic: string, partitions: number[]) =>
    new Writer()
      .int16(0)
      .array([topic], (w, t) => w.string(t).array(partitions, (pw, p) => pw.int32(p)))
      .int32(-1)
      .bytes();
  const assignment = (w: Writer, topic: string, partitions: number[]) =>
    w
      .compactArray([topic], (tw, t) =>
        tw
          .int64(0x0123456789abcdefn)
          .int64(0x0fedcba987654321n) // topic id
          .compactString(t)
          .compactArray(partitions, (pw, p) => pw.int32(p))
          .tags(),
      )
      .tags();
  const groupIdsOf = (req: FakeRequest) => {
    const r = new Reader(req.body);
    return r.compactArray((g) => g.compactString());
  };

  it("describes consumer-type groups with one ConsumerGroupDescribe and classic ones with one DescribeGroups per coordinator", async () => {
    const asked: { apiKey: number; version: number; groups?: (string | null)[] }[] = [];
    const seen: FakeRequest[] = [];
    const f = await broker(
      (port) => ({
        [API.apiVersions]: () =>
          apiVersionsBody([
            [API.describeGroups, 0, 5],
            [API.listGroups, 0, 5],
            [API.consumerGroupDescribe, 0, 1],
          ]),
        [API.metadata]: () => metadataBody(port, [{ name: "orders", partitions: [{ partition: 0, leader: 1 }] }]),
        [API.describeQuorum]: describeQuorumBody,
        [API.listOffsets]: () =>
          new Writer()
            .int32(0)
            .array(["orders"], (w, t) => w.string(t).array([0], (pw, p) => pw.int32(p).int16(0).int64(-1n).int64(5n)))
            .bytes(),
        [API.listGroups]: () =>
          new Writer()
            .int32(0)
            .int16(0)
            .compactArray(
              [
                ["c1", "Consumer"],
                ["c2", "Consumer"],
                ["k1", "Classic"],
              ],
              (w, [g, type]) =>
                w
                  .compactString(g as string)
                  .compactString("consumer")
                  .compactString("Stable")
                  .compactString(type as string)
                  .tags(),
            )
            .tags()
            .bytes(),
        [API.describeGroups]: () =>
          new Writer()
            .int32(0)
            .compactArray(["k1"], (w, g) =>
              w
                .int16(0)
                .compactString(g)
                .compactString("Stable")
                .compactString("consumer")
                .compactString("range")
                .compactArray(["k1-m"], (mw, m) =>
                  mw
                    .compactString(m)
                    .compactString(null)
                    .compactString("kafkajs")
                    .compactString("/127.0.0.1")
                    .compactBytes(Buffer.alloc(0)) // member_metadata
                    .compactBytes(classicAssignment("orders", [0]))
                    .tags(),
                )
                .int32(-2147483648)
                .tags(),
            )
            .tags()
            .bytes(),
        [API.consumerGroupDescribe]: () =>
          new Writer()
            .int32(0)
            .compactArray(["c1", "c2"], (w, g) => {
              w.int16(g === "c2" ? 69 : 0)
                .compactString(g === "c2" ? "Group c2 not found." : null)
                .compactString(g)
                .compactString(g === "c2" ? "" : "Stable")
                .int32(7) // group epoch
                .int32(6) // assignment epoch
                .compactString("uniform")
                .compactArray(g === "c2" ? [] : ["c1-m"], (mw, m) => {
                  mw.compactString(m)
                    .compactString("static-1")
                    .compactString(null) // rack
                    .int32(6)
                    .compactString("console-consumer")
                    .compactString("/127.0.0.1")
                    .compactArray(["orders"], (tw, t) => tw.compactString(t))
                    .compactString(null);
                  assignment(mw, "orders", [0]);
                  assignment(mw, "orders", [0]);
                  mw.int8(1).tags(); // member_type (v1): consumer
                })
                .int32(-2147483648)
                .tags();
            })
            .tags()
            .bytes(),
        [API.offsetFetch]: () =>
          new Writer()
            .int32(0)
            .compactArray(["c1", "c2", "k1"], (w, g) =>
              w
                .compactString(g)
                .compactArray([], () => {})
                .int16(0)
                .tags(),
            )
            .tags()
            .bytes(),
      }),
      seen,
    );
    const snap = await takeSnapshot([f.address], 2000);
    for (const req of seen)
      asked.push({
        apiKey: req.apiKey,
        version: req.version,
        ...(req.apiKey === API.describeGroups || req.apiKey === API.consumerGroupDescribe
          ? { groups: groupIdsOf(req) }
          : {}),
      });
    const of = (k: number) => asked.filter((a) => a.apiKey === k);
    expect(of(API.apiVersions)).toHaveLength(1);
    expect(of(API.listGroups)).toEqual([{ apiKey: API.listGroups, version: 5 }]);
    expect(of(API.describeGroups)).toEqual([{ apiKey: API.describeGroups, version: 5, groups: ["k1"] }]);
    expect(of(API.consumerGroupDescribe)).toEqual([
      { apiKey: API.consumerGroupDescribe, version: 1, groups: ["c1", "c2"] },
    ]);
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

    // The broker's versions are known now: the next snapshot does not ask again.
    const before = seen.length;
    const again = await takeSnapshot([f.address], 2000);
    const next = seen.slice(before);
    expect(next.filter((r) => r.apiKey === API.apiVersions)).toHaveLength(0);
    expect(again.requests).toBe(snap.requests - 1);
    expect(next).toHaveLength(again.requests);
  });

  it("a broker before Kafka 3.8 is asked ListGroups v4, and its groups are classic", async () => {
    const versions: number[] = [];
    const f = await broker((port) => ({
      [API.metadata]: () => metadataBody(port, []),
      [API.describeQuorum]: describeQuorumBody,
      [API.listGroups]: (req) => {
        versions.push(req.version);
        return listGroupsBody();
      },
      [API.describeGroups]: describeGroupsBody,
      [API.offsetFetch]: offsetFetchBody,
    }));
    const snap = await takeSnapshot([f.address], 2000);
    expect(versions).toEqual([4]);
    expect(snap.groups.map((g) => [g.groupId, g.type])).toEqual([
      ["g1", "classic"],
      ["g2", "classic"],
      ["g3", "classic"],
    ]);
  });
});
