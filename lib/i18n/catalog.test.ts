import fs from "node:fs";
import path from "node:path";
import { type MessageFormatElement, parse, TYPE } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { LOCALES } from "./locales";

/**
 * The catalog's two languages hold the same keys, file by file, and each message takes the same
 * arguments in both ({count}, {broker}, rich-text tags <b>…</b>): a key in one language and not the
 * other, or an argument only one of them uses, fails here.
 */
const DIR = path.join(__dirname, "messages");

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** The ICU arguments and tags a message uses (`{name}`, `{count, plural, …}`, `<b>…</b>`), parsed as next-intl reads them. */
function argumentsOf(message: string): string[] {
  const args = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
      args.add(el.type === TYPE.tag ? `<${el.value}>` : el.value);
      if (el.type === TYPE.tag) walk(el.children);
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const o of Object.values(el.options)) walk(o.value);
    }
  };
  walk(parse(message));
  return [...args].sort();
}

const namespaces = fs.readdirSync(path.join(DIR, "en")).filter((f) => f.endsWith(".json"));

describe("the catalog", () => {
  it("has the same namespace files in every language", () => {
    for (const locale of LOCALES) {
      expect(
        fs
          .readdirSync(path.join(DIR, locale))
          .filter((f) => f.endsWith(".json"))
          .sort(),
      ).toEqual([...namespaces].sort());
    }
  });

  it.each(namespaces)("%s: the same keys in English and Korean, each with the same arguments, none empty", (file) => {
    const en = flatten(JSON.parse(fs.readFileSync(path.join(DIR, "en", file), "utf8")) as Tree);
    const ko = flatten(JSON.parse(fs.readFileSync(path.join(DIR, "ko", file), "utf8")) as Tree);
    expect(
      [...ko.keys()].filter((k) => !en.has(k)),
      "keys only in Korean",
    ).toEqual([]);
    expect(
      [...en.keys()].filter((k) => !ko.has(k)),
      "keys only in English",
    ).toEqual([]);
    for (const [key, message] of en) {
      expect(message.trim(), `${file} ${key} (en) is empty`).not.toBe("");
      expect((ko.get(key) ?? "").trim(), `${file} ${key} (ko) is empty`).not.toBe("");
      expect(argumentsOf(ko.get(key) ?? ""), `${file} ${key}: arguments`).toEqual(argumentsOf(message));
    }
  });

  it("argumentsOf reads arguments, plurals and tags (the check can fail)", () => {
    expect(
      argumentsOf("Broker {broker} is {count, plural, one {# leader} other {{count} leaders}} <b>{state}</b>"),
    ).toEqual(["<b>", "broker", "count", "state"]);
  });
});

describe("API error codes", () => {
  it("every code the API answers with has its words in the catalog (common.errors)", async () => {
    const { errorStatus } = await import("@/server/errors");
    const en = JSON.parse(fs.readFileSync(path.join(DIR, "en", "common.json"), "utf8")) as { errors: Tree };
    expect(Object.keys(en.errors).sort()).toEqual(Object.keys(errorStatus).sort());
  });
});
