import fs from "node:fs";
import path from "node:path";
import { apiVersionsV3, Reader } from "@platformatic/kafka";
import { afterEach, describe, expect, it } from "vitest";
import {
  CONSUMER_GROUP_DESCRIBE,
  CREATE_PARTITIONS,
  CREATE_TOPICS,
  DELETE_TOPICS,
  DESCRIBE_CONFIGS,
  DESCRIBE_GROUPS,
  DESCRIBE_QUORUM,
  ELECT_LEADERS,
  INCREMENTAL_ALTER_CONFIGS,
  LIST_GROUPS,
  LIST_OFFSETS,
  METADATA,
  OFFSET_FETCH,
} from "./apis";
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
import { KafkaPool, type Negotiated } from "./pool";
import { describeQuorum, type QuorumInfo } from "./requests";
import { takeSnapshot } from "./snapshot";
import { WireError } from "./wire-error";

/**
 * Version negotiation against the ApiVersions answers of real Kafka 3.9.1 and 4.4.0 brokers
 * (test/fixtures/kafka/README.md says how they were captured): the captured bytes are what a fake
 * broker answers Quorum's ApiVersions request with, so the pool reads them exactly as it would
 * read the real broker's.
 */
interface ApiVersionsFixture {
  kafkaVersion: string;
  apiVersions: {
    responseBody: string;
    apis: { apiKey: number; name: string; minVersion: number; maxVersion: number }[];
  };
  exchanges: { api: string; apiKey: number; version: number; request: string; response: string }[];
}
const load = (version: string) =>
  JSON.parse(
    fs.readFileSync(path.join(__dirname, `../../test/fixtures/kafka/api-versions-${version}.json`), "utf8"),
  ) as ApiVersionsFixture;
const FIXTURES = { "3.9.1": load("3.9.1"), "4.4.0": load("4.4.0") };

/** One request Quorum sends: its name, API key, and the version the pool would pick with a broker. */
const request = <A extends unknown[], R>(r: Negotiated<A, R>) => ({
  name: r.name,
  key: r.key,
  pick: (p: KafkaPool, address: string) => p.versionFor(address, r, 2000),
});
/** Every request Quorum sends. */
const REQUESTS = [
  request(METADATA),
  request(LIST_OFFSETS),
  request(LIST_GROUPS),
  request(DESCRIBE_GROUPS),
  request(CONSUMER_GROUP_DESCRIBE),
  request(OFFSET_FETCH),
  request(DESCRIBE_QUORUM),
  request(DESCRIBE_CONFIGS),
  request(CREATE_TOPICS),
  request(CREATE_PARTITIONS),
  request(DELETE_TOPICS),
  request(INCREMENTAL_ALTER_CONFIGS),
  request(ELECT_LEADERS),
];

/** The version Quorum must pick from each real broker, worked out by hand from the captured tables. */
const EXPECTED: Record<keyof typeof FIXTURES, Record<string, number>> = {
  "3.9.1": {
    Metadata: 12, // serves 0–12
    ListOffsets: 9, // 0–9
    ListGroups: 5, // 0–5
    DescribeGroups: 5, // 0–5
    ConsumerGroupDescribe: 0, // 0–0: 3.9 offers v0 even with the classic protocol only
    OffsetFetch: 9, // 0–9
    DescribeQuorum: 2, // 0–2
    DescribeConfigs: 4, // 0–4
    CreateTopics: 7, // 0–7
    CreatePartitions: 3, // 0–3
    DeleteTopics: 6, // 0–6
    IncrementalAlterConfigs: 1, // 0–1
    ElectLeaders: 2, // 0–2
  },
  "4.4.0": {
    Metadata: 12, // serves 0–13; Quorum speaks up to 12
    ListOffsets: 9, // 1–11; up to 9
    ListGroups: 5, // 0–5
    DescribeGroups: 5, // 0–6; up to 5
    ConsumerGroupDescribe: 1, // 0–1
    OffsetFetch: 9, // 1–10; up to 9
    DescribeQuorum: 2, // 0–2
    DescribeConfigs: 4, // 1–4
    CreateTopics: 7, // 2–7
    CreatePartitions: 3, // 0–3
    DeleteTopics: 6, // 1–6
    IncrementalAlterConfigs: 1, // 0–1
    ElectLeaders: 2, // 0–2
  },
};

const fakes: FakeBroker[] = [];
const pools: KafkaPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  for (const f of fakes.splice(0)) await f.close();
});

function pool(): KafkaPool {
  const p = new KafkaPool({ tls: null, sasl: null });
  pools.push(p);
  return p;
}

/** A fake broker whose ApiVersions answer is `apiVersions` (raw body); `respond` answers the rest. */
async function brokerAnswering(
  apiVersions: Buffer,
  respond: (req: FakeRequest, port: number) => Buffer | undefined = () => undefined,
  seen: FakeRequest[] = [],
): Promise<FakeBroker> {
  let port = 0;
  const f = await startFakeBroker(
    (req, socket) => {
      seen.push(req);
      if (req.apiKey === API.apiVersions) return void socket.write(responseFrame(req, apiVersions));
      const answer = respond(req, port);
      if (answer) socket.write(responseFrame(req, answer));
    },
    { answerApiVersions: false },
  );
  port = f.port;
  fakes.push(f);
  return f;
}

for (const [version, fixture] of Object.entries(FIXTURES) as [keyof typeof FIXTURES, ApiVersionsFixture][]) {
  describe(`negotiation with a real Kafka ${version} broker's ApiVersions answer`, () => {
    const raw = Buffer.from(fixture.apiVersions.responseBody, "hex");
    const served = new Map(fixture.apiVersions.apis.map((a) => [a.apiKey, [a.minVersion, a.maxVersion] as const]));

    it("the fixture's table is what its bytes say", () => {
      const parsed = apiVersionsV3.parseResponse(0, 18, 3, Reader.from(raw));
      expect(parsed.errorCode).toBe(0);
      expect(parsed.apiKeys.map((a) => [a.apiKey, a.minVersion, a.maxVersion])).toEqual(
        fixture.apiVersions.apis.map((a) => [a.apiKey, a.minVersion, a.maxVersion]),
      );
    });

    it("picks the expected version of every request Quorum sends, each one the broker serves", async () => {
      const f = await brokerAnswering(raw);
      const p = pool();
      const picked: Record<string, number | null> = {};
      for (const r of REQUESTS) picked[r.name] = await r.pick(p, f.address);
      expect(picked).toEqual(EXPECTED[version]);
      for (const r of REQUESTS) {
        const range = served.get(r.key);
        const v = picked[r.name] as number;
        expect(range, `${version} serves ${r.name}`).toBeDefined();
        expect(v, r.name).toBeGreaterThanOrEqual(range?.[0] ?? Number.POSITIVE_INFINITY);
        expect(v, r.name).toBeLessThanOrEqual(range?.[1] ?? Number.NEGATIVE_INFINITY);
      }
    });
  });
}

describe("DescribeQuorum against a real Kafka 3.9.1 broker's answers in v0, v1 and v2 (captured)", () => {
  const fixture = FIXTURES["3.9.1"];
  const exchange = (v: number) => {
    const x = fixture.exchanges.find((e) => e.apiKey === API.describeQuorum && e.version === v);
    if (!x) throw new Error(`no DescribeQuorum v${v} in the fixture`);
    return { request: Buffer.from(x.request, "hex"), response: Buffer.from(x.response, "hex") };
  };
  /** A fake serving DescribeQuorum at `version` only, answering with `response`. */
  const quorumFrom = async (version: number, response: Buffer) => {
    const seen: FakeRequest[] = [];
    const f = await brokerAnswering(
      apiVersionsBody({ ...FAKE_VERSIONS, [API.describeQuorum]: version }),
      (req) => (req.apiKey === API.describeQuorum ? response : undefined),
      seen,
    );
    const outcome = await describeQuorum(pool(), [f.address], 2000).catch((e: unknown) => e);
    return { outcome, sent: seen.filter((r) => r.apiKey === API.describeQuorum) };
  };

  it("each version reads to the same quorum: controller 1 leads, voter 1, broker 2 observes", async () => {
    const infos: QuorumInfo[] = [];
    for (const v of [0, 1, 2]) {
      const x = exchange(v);
      const { outcome, sent } = await quorumFrom(v, x.response);
      expect(sent.map((r) => [r.version, r.body.toString("hex")])).toEqual([[v, x.request.toString("hex")]]);
      if (outcome instanceof Error) throw outcome;
      infos.push(outcome as QuorumInfo);
    }
    for (const info of infos) {
      expect(info).toMatchObject({ leaderId: 1, voters: [{ id: 1 }], observers: [{ id: 2 }] });
      expect(info.leaderEpoch).toBeGreaterThanOrEqual(1);
      expect(info.highWatermark).toBeGreaterThan(0);
      expect(info.voters[0]?.logEndOffset).toBeGreaterThan(0);
    }
    expect(new Set(infos.map((i) => i.leaderEpoch)).size).toBe(1);
  });

  it("v0 and v1 answers are read to their last byte, and each version's bytes only as that version", async () => {
    for (const v of [0, 1]) {
      const { response } = exchange(v);
      const short = await quorumFrom(v, response.subarray(0, response.length - 1));
      expect(short.outcome, `v${v} truncated`).toBeInstanceOf(WireError);
      const long = await quorumFrom(v, Buffer.concat([response, Buffer.from([0])]));
      expect((long.outcome as WireError).message).toMatch(/left over/);
    }
    // v1 adds two timestamps per replica: read as the other version, each answer is malformed.
    for (const [asked, answered] of [
      [1, 0],
      [0, 1],
    ]) {
      const { outcome } = await quorumFrom(asked as number, exchange(answered as number).response);
      expect(outcome, `v${asked} answered with v${answered}'s bytes`).toBeInstanceOf(WireError);
      expect((outcome as WireError).kind).toBe("protocol");
    }
  });

  it("a broker serving DescribeQuorum v0 only (Kafka before 3.3) still gives the quorum, in v0", async () => {
    const { outcome, sent } = await quorumFrom(0, exchange(0).response);
    expect(sent.map((r) => r.version)).toEqual([0]);
    expect(outcome).toMatchObject({ leaderId: 1 });
  });
});

describe("a snapshot over a broker that answers ApiVersions as Kafka 3.9.1 does", () => {
  it("is complete, and sends no request in a version the broker does not serve", async () => {
    const fixture = FIXTURES["3.9.1"];
    const served = new Map(fixture.apiVersions.apis.map((a) => [a.apiKey, [a.minVersion, a.maxVersion] as const]));
    const seen: FakeRequest[] = [];
    const f = await brokerAnswering(
      Buffer.from(fixture.apiVersions.responseBody, "hex"),
      (req, port) => {
        switch (req.apiKey) {
          case API.metadata:
            return metadataBody(port, [{ name: "orders", partitions: [{ partition: 0, leader: 1 }] }]);
          case API.describeQuorum:
            return describeQuorumBody();
          case API.listOffsets:
            return body()
              .appendInt32(0)
              .appendArray(["orders"], (w, t) =>
                w
                  .appendString(t)
                  .appendArray([0], (pw, p) =>
                    pw.appendInt32(p).appendInt16(0).appendInt64(-1n).appendInt64(7n).appendInt32(0),
                  ),
              )
              .appendTaggedFields().buffer;
          case API.listGroups:
            return listGroupsBody(["billing"], "Empty");
          case API.describeGroups:
            return body()
              .appendInt32(0)
              .appendArray(["billing"], (w, g) =>
                w
                  .appendInt16(0)
                  .appendString(g)
                  .appendString("Empty")
                  .appendString("consumer")
                  .appendString("")
                  .appendArray([], () => {})
                  .appendInt32(-2147483648),
              )
              .appendTaggedFields().buffer;
          case API.offsetFetch:
            return body()
              .appendInt32(0)
              .appendArray(["billing"], (w, g) =>
                w
                  .appendString(g)
                  .appendArray(["orders"], (tw, t) =>
                    tw
                      .appendString(t)
                      .appendArray([0], (pw, p) =>
                        pw.appendInt32(p).appendInt64(4n).appendInt32(-1).appendString("").appendInt16(0),
                      ),
                  )
                  .appendInt16(0),
              )
              .appendTaggedFields().buffer;
          default:
            return undefined;
        }
      },
      seen,
    );
    const snap = await takeSnapshot(pool(), [f.address], 3000);
    expect(snap.errors).toEqual([]);
    expect(snap.complete).toBe(true);
    expect(snap.groups.find((g) => g.groupId === "billing")?.offsets).toEqual([
      { topic: "orders", partition: 0, committedOffset: 4, logEndOffset: 7, lag: 3 },
    ]);
    const sent = seen.map((r) => [r.apiKey, r.version] as const);
    expect(new Set(sent.map(([k]) => k))).toEqual(
      new Set([
        API.apiVersions,
        API.metadata,
        API.describeQuorum,
        API.listOffsets,
        API.listGroups,
        API.describeGroups,
        API.offsetFetch,
      ]),
    );
    for (const [key, v] of sent) {
      const range = served.get(key);
      expect(range, `Kafka 3.9.1 serves API ${key}`).toBeDefined();
      expect(v >= (range?.[0] ?? 1) && v <= (range?.[1] ?? -1), `API ${key} v${v} within ${range}`).toBe(true);
    }
  });
});
