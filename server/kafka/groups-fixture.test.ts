import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { API, apiVersionsBody, FAKE_VERSIONS, type FakeBroker, responseFrame, startFakeBroker } from "./fake-broker";
import { KafkaPool } from "./pool";
import {
  consumerGroupDescribe,
  type DescribedGroup,
  describeGroups,
  listGroups,
  type TopicPartitions,
} from "./requests";
import { WireError } from "./wire-error";

/**
 * Feeds the answers of a real Kafka 4.4.0 broker (test/fixtures/kafka/README.md says how they
 * were captured) through the real request path (pool, @platformatic/kafka's connection and
 * parsers, Quorum's strict reading) from a fake broker that advertises the captured version, and
 * compares what comes out with what Kafka's own kafka-consumer-groups printed for the same groups
 * at the same moment. The request bodies Quorum sent are checked against the captured ones, which
 * that broker accepted.
 */
interface Fixture {
  groups: { consumer: string; classic: string; topic: string };
  exchanges: { api: string; apiKey: number; version: number; request: string; response: string }[];
  cli: Record<string, string>;
}
const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, "../../test/fixtures/kafka/groups-4.4.0.json"), "utf8"),
) as Fixture;
const { consumer, classic, topic } = fixture.groups;

function exchange(api: string, version: number) {
  const x = fixture.exchanges.find((e) => e.api === api && e.version === version);
  if (!x) throw new Error(`no ${api} v${version} in the fixture`);
  return {
    apiKey: x.apiKey,
    version,
    request: Buffer.from(x.request, "hex"),
    response: Buffer.from(x.response, "hex"),
  };
}

const fakes: FakeBroker[] = [];
const pools: KafkaPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  for (const f of fakes.splice(0)) await f.close();
});

/**
 * A fake broker serving `apiKey` at `version` only (ApiVersions says so) and answering it with
 * `response`; `run` gets a pool to it. Resolves with run's outcome and the request bodies it got.
 */
async function replay<T>(
  x: { apiKey: number; version: number },
  response: Buffer,
  run: (pool: KafkaPool, address: string) => Promise<T>,
): Promise<{ outcome: T; requests: Buffer[] }> {
  const requests: Buffer[] = [];
  const f = await startFakeBroker(
    (req, socket) => {
      if (req.apiKey === API.apiVersions)
        return void socket.write(responseFrame(req, apiVersionsBody({ ...FAKE_VERSIONS, [x.apiKey]: x.version })));
      if (req.apiKey !== x.apiKey) return;
      requests.push(Buffer.from(req.body));
      socket.write(responseFrame(req, response));
    },
    { answerApiVersions: false },
  );
  fakes.push(f);
  const pool = new KafkaPool({ tls: null, sasl: null });
  pools.push(pool);
  return { outcome: await run(pool, f.address), requests };
}

/** The request each captured exchange is, as Quorum makes it. */
const CALL: Record<string, (pool: KafkaPool, address: string) => Promise<unknown>> = {
  ListGroups: (pool, a) => listGroups(pool, a, 2000),
  ConsumerGroupDescribe: (pool, a) => consumerGroupDescribe(pool, a, [consumer, classic], 2000),
  DescribeGroups: (pool, a) => describeGroups(pool, a, [consumer, classic], 2000),
};

/** The rows of a kafka-consumer-groups table, as objects keyed by its header. */
function cliRows(text: string | undefined): Record<string, string>[] {
  const lines = (text ?? "").split("\n").filter((l) => l.trim() !== "");
  const [head = "", ...rows] = lines;
  const columns = head.trim().split(/\s+/);
  return rows.map((row) =>
    Object.fromEntries(
      row
        .trim()
        .split(/\s+/)
        .map((v, i) => [columns[i] ?? `#${i}`, v]),
    ),
  );
}

/** "orders:0,1,2" (kafka-consumer-groups' CURRENT-ASSIGNMENT) from assignments; "-" for none. */
const cliAssignment = (a: TopicPartitions[] | null) =>
  a === null ? "-" : a.map((t) => `${t.topic}:${t.partitions.join(",")}`).join(",") || "-";

describe("group requests against a real Kafka 4.4.0 broker (captured)", () => {
  it("ListGroups v5: the request the broker accepted, and each group's type as kafka-consumer-groups --list --type shows it", async () => {
    const x = exchange("ListGroups", 5);
    const { outcome: listed, requests } = await replay(x, x.response, (pool, a) => listGroups(pool, a, 2000));
    expect(requests).toEqual([x.request]);
    expect(listed.map((g) => [g.groupId, g.type]).sort()).toEqual(
      cliRows(fixture.cli.list)
        .map((r) => [r.GROUP, r.TYPE?.toLowerCase()])
        .sort(),
    );
    expect(listed.find((g) => g.groupId === consumer)).toEqual({
      groupId: consumer,
      protocolType: "consumer",
      state: "Stable",
      type: "consumer",
    });
    expect(listed.find((g) => g.groupId === classic)?.type).toBe("classic");
  });

  for (const version of [0, 1] as const) {
    it(`ConsumerGroupDescribe v${version}: members, epochs and assignments as kafka-consumer-groups --describe --members --verbose shows them`, async () => {
      const x = exchange("ConsumerGroupDescribe", version);
      const { outcome, requests } = await replay(x, x.response, (pool, a) =>
        consumerGroupDescribe(pool, a, [consumer, classic], 2000),
      );
      expect(requests).toEqual([x.request]);
      const [described, notConsumer, ...rest] = outcome;
      expect(rest).toEqual([]);
      const cli = cliRows(fixture.cli[consumer]);
      expect(cli).toHaveLength(1);
      expect(described).toMatchObject({ groupId: consumer, errorCode: 0, state: "Stable", protocol: "uniform" });
      expect(described?.members.map((m) => m.memberId)).toEqual(cli.map((r) => r["CONSUMER-ID"]));
      const [member] = described?.members ?? [];
      const [row] = cli;
      expect(member?.clientHost).toBe(row?.HOST);
      expect(member?.clientId).toBe(row?.["CLIENT-ID"]);
      expect(member?.groupInstanceId).toBeNull();
      expect(String(member?.memberEpoch)).toBe(row?.["CURRENT-EPOCH"]);
      expect(cliAssignment(member?.assignments ?? [])).toBe(row?.["CURRENT-ASSIGNMENT"]);
      expect(cliAssignment(member?.targetAssignments ?? [])).toBe(row?.["TARGET-ASSIGNMENT"]);
      expect(member?.assignments).toEqual([{ topic, partitions: [0, 1, 2] }]);
      expect(described?.groupEpoch).toBeGreaterThanOrEqual(1);
      expect(String(described?.assignmentEpoch)).toBe(row?.["TARGET-EPOCH"]);
      // A classic group is not Kafka's to describe here: GROUP_ID_NOT_FOUND with its reason.
      expect(notConsumer).toMatchObject({
        groupId: classic,
        errorCode: 69,
        errorMessage: `Group ${classic} is not a consumer group.`,
        members: [],
      });
    });
  }

  it("DescribeGroups v5: the classic group with its members; the consumer-type group as Dead, without an error", async () => {
    const x = exchange("DescribeGroups", 5);
    const { outcome: groups, requests } = await replay(x, x.response, (pool, a) =>
      describeGroups(pool, a, [consumer, classic], 2000),
    );
    expect(requests).toEqual([x.request]);
    const dead = groups.find((g: DescribedGroup) => g.groupId === consumer);
    // No error, just "Dead" with no members: only the group's type (ListGroups v5) tells that
    // ConsumerGroupDescribe must be asked instead.
    expect(dead).toMatchObject({ errorCode: 0, state: "Dead", members: [] });
    const described = groups.find((g) => g.groupId === classic);
    const cli = cliRows(fixture.cli[classic]);
    expect(described).toMatchObject({ errorCode: 0, state: "Stable", protocolType: "consumer" });
    expect(described?.members.map((m) => [m.memberId, m.clientHost, m.clientId, cliAssignment(m.assignments)])).toEqual(
      cli.map((r) => [r["CONSUMER-ID"], r.HOST, r["CLIENT-ID"], r["CURRENT-ASSIGNMENT"]]),
    );
    expect(described?.members[0]?.memberEpoch).toBeNull();
  });

  it("every captured answer is read to its last byte: a truncated one and one with a byte more are refused", async () => {
    for (const x of fixture.exchanges) {
      const call = CALL[x.api];
      if (!call) throw new Error(`no call for ${x.api}`);
      const bytes = Buffer.from(x.response, "hex");
      const outcome = async (b: Buffer) => (await replay(x, b, call)).outcome;
      await expect(outcome(bytes)).resolves.toBeDefined();
      const short = await outcome(bytes.subarray(0, bytes.length - 1)).catch((e: unknown) => e);
      expect(short, `${x.api} v${x.version} truncated`).toBeInstanceOf(WireError);
      expect((short as WireError).message).toMatch(/malformed/);
      const long = await outcome(Buffer.concat([bytes, Buffer.from([0])])).catch((e: unknown) => e);
      expect(long, `${x.api} v${x.version} with a byte more`).toBeInstanceOf(WireError);
      expect((long as WireError).message).toMatch(/left over/);
    }
  });

  it("ConsumerGroupDescribe v1 carries one byte per member more than v0 (member_type)", async () => {
    const v0 = exchange("ConsumerGroupDescribe", 0);
    const v1 = exchange("ConsumerGroupDescribe", 1);
    expect(v1.response.length - v0.response.length).toBe(1); // one member: one byte
    // Read as the other version, each answer is malformed: the version decides the shape.
    const call = CALL.ConsumerGroupDescribe as (typeof CALL)[string];
    for (const [asked, answer] of [
      [v0, v1.response],
      [v1, v0.response],
    ] as const) {
      const err = await replay(asked, answer, call).catch((e: unknown) => e);
      expect(err, `v${asked.version} answered with the other version's bytes`).toBeInstanceOf(WireError);
      expect((err as WireError).kind).toBe("protocol");
    }
  });
});
