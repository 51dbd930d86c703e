import { describe, expect, it } from "vitest";
import { alterTopicConfigsSchema, createTopicSchema } from "./topics";

const create = (configs: string) =>
  createTopicSchema.safeParse(JSON.parse(`{"name":"t","partitions":1,"replicationFactor":1,"configs":${configs}}`));
const alter = (configs: string) => alterTopicConfigsSchema.safeParse(JSON.parse(`{"configs":${configs}}`));

describe("topic config names", () => {
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "prototype", "valueOf"])(
    "refuses %s, in a create and in a change, with a set value or a reset",
    (name) => {
      for (const r of [create(`{"${name}":"1"}`), alter(`{"${name}":"1"}`), alter(`{"${name}":null}`)]) {
        expect(r.success).toBe(false);
        expect(r.error?.issues[0]?.message).toBe(`${name} is not a topic config Quorum knows`);
        expect(r.error?.issues[0]?.path).toContain(name);
      }
    },
  );

  it("keeps known names and their values as Kafka wants them", () => {
    expect(create(`{"retention.ms":3600000,"cleanup.policy":"compact"}`).data?.configs).toEqual({
      "retention.ms": "3600000",
      "cleanup.policy": "compact",
    });
    expect(alter(`{"retention.ms":null,"preallocate":true}`).data?.configs).toEqual({
      "retention.ms": null,
      preallocate: "true",
    });
  });

  it("refuses a known name with a value of the wrong type", () => {
    expect(alter(`{"retention.ms":"soon"}`).error?.issues[0]?.message).toBe("retention.ms must be a whole number");
  });
});
