import { Reader, type Writer } from "@platformatic/kafka";
import { afterEach, describe, expect, it } from "vitest";
import {
  API,
  body,
  describeQuorumBody,
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
    expect(snap.partial).toEqual({ metadata: false, offsets: false, groups: false, quorum: false });
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
    expect(
      snap.errors.some((e) => /^group descriptions from broker 1: .* did not answer DescribeGroups within/.test(e)),
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
