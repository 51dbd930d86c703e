import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  decodeConsumerGroupDescribe,
  decodeDescribeGroups,
  decodeListGroups,
  encodeConsumerGroupDescribe,
  encodeDescribeGroups,
  encodeListGroups,
  type TopicPartitions,
} from "./requests";
import { Reader } from "./wire";

/**
 * Decodes the answers of a real Kafka 4.4.0 broker (test/fixtures/kafka/README.md says how they
 * were captured) and compares them with what Kafka's own kafka-consumer-groups printed for the same
 * groups at the same moment.
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
  return { request: Buffer.from(x.request, "hex"), response: new Reader(Buffer.from(x.response, "hex")) };
}

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
  it("ListGroups v5: the request the broker accepted, and each group's type as kafka-consumer-groups --list --type shows it", () => {
    const { request, response } = exchange("ListGroups", 5);
    expect(encodeListGroups(5)).toEqual(request);
    const listed = decodeListGroups(response, 5);
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
    it(`ConsumerGroupDescribe v${version}: members, epochs and assignments as kafka-consumer-groups --describe --members --verbose shows them`, () => {
      const { request, response } = exchange("ConsumerGroupDescribe", version);
      expect(encodeConsumerGroupDescribe([consumer, classic])).toEqual(request);
      const [described, notConsumer, ...rest] = decodeConsumerGroupDescribe(response, version);
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

  it("DescribeGroups v5: the classic group with its members; the consumer-type group as Dead, without an error", () => {
    const { request, response } = exchange("DescribeGroups", 5);
    expect(encodeDescribeGroups([consumer, classic])).toEqual(request);
    const groups = decodeDescribeGroups(response);
    const dead = groups.find((g) => g.groupId === consumer);
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

  it("every captured answer is read to its last byte, and a truncated one is refused", () => {
    for (const x of fixture.exchanges) {
      const bytes = Buffer.from(x.response, "hex");
      const decode = (r: Reader) =>
        x.api === "ListGroups"
          ? decodeListGroups(r, 5)
          : x.api === "DescribeGroups"
            ? decodeDescribeGroups(r)
            : decodeConsumerGroupDescribe(r, x.version as 0 | 1);
      expect(() => decode(new Reader(bytes))).not.toThrow();
      expect(() => decode(new Reader(bytes.subarray(0, bytes.length - 1)))).toThrow(/malformed/);
      expect(() => decode(new Reader(Buffer.concat([bytes, Buffer.from([0])])))).toThrow(/left over/);
    }
  });

  it("ConsumerGroupDescribe v1 carries one byte per member more than v0 (member_type)", () => {
    const sizes = [0, 1].map(
      (v) => fixture.exchanges.find((e) => e.api === "ConsumerGroupDescribe" && e.version === v)?.response.length ?? 0,
    );
    expect((sizes[1] ?? 0) - (sizes[0] ?? 0)).toBe(2); // one member: one byte, two hex digits
    // Read as the other version, each answer is malformed: the version decides the shape.
    const raw = (v: number) =>
      Buffer.from(
        fixture.exchanges.find((e) => e.api === "ConsumerGroupDescribe" && e.version === v)?.response ?? "",
        "hex",
      );
    expect(() => decodeConsumerGroupDescribe(new Reader(raw(0)), 1)).toThrow();
    expect(() => decodeConsumerGroupDescribe(new Reader(raw(1)), 0)).toThrow();
  });
});
