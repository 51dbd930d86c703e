import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "@/lib/i18n/messages";
import { alterTopicConfigsSchema, type ConfigProblem, checkTopicConfig, createTopicSchema } from "./topics";

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

describe("a refused config value", () => {
  // One value per way of being refused.
  const refused: [string, unknown][] = [
    ["segment.ms.typo", "1"],
    ["retention.ms", " "],
    ["retention.ms", "soon"],
    ["segment.bytes", "1024"],
    ["min.cleanable.dirty.ratio", "2"],
    ["preallocate", "yes"],
    ["compression.type", "brotli"],
    ["cleanup.policy", "delete,delete"],
  ];
  const problems = refused.map(([name, raw]) => {
    const r = checkTopicConfig(name, raw);
    if (!("problem" in r)) throw new Error(`${name}=${String(raw)} was accepted`);
    return { name, ...r };
  });
  /** The console's words for a problem, as topic-configs.tsx builds them. */
  const word = (locale: "en" | "ko", name: string, p: ConfigProblem) =>
    createTranslator({ locale, messages: MESSAGES[locale], namespace: "topics.configs.problem" })(p.kind, {
      name,
      ...("min" in p ? { min: String(p.min), max: String(p.max) } : {}),
      ...("values" in p ? { values: p.values.join(", ") } : {}),
    });

  it("covers every kind of problem", () => {
    expect(new Set(problems.map((p) => p.problem.kind)).size).toBe(8);
  });

  it("reads in English in the console as the API says it", () => {
    for (const p of problems) expect(word("en", p.name, p.problem)).toBe(p.error);
    expect(problems.map((p) => p.error)).toContain("segment.bytes must be between 1048576 and 2147483647");
  });

  it("has its Korean words, naming the config and its bounds", () => {
    for (const p of problems) expect(word("ko", p.name, p.problem)).toContain(p.name);
    const range = problems.find((p) => p.problem.kind === "range");
    expect(range && word("ko", range.name, range.problem)).toContain("1048576");
  });
});
