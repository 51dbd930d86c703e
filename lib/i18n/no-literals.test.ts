import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Every user-visible string of the UI comes from the catalog (lib/i18n/messages). This test reads
 * each .tsx file under components/ and app/ with TypeScript's parser and reports, with file and
 * line:
 * - JSX text with a letter in it;
 * - a string or template literal with a letter, written as a JSX child (`{"Stop"}`);
 * - a string with a letter given to a prop a person reads (title, placeholder, aria-label, alt,
 *   label, empty, …), or as an element of an array given to `columns`;
 * - a string with a letter as the value of an object property a person reads (`label`, `title`,
 *   `empty`, `hint`, `description`, `text`), as in a list of ranges or chart series.
 * Text inside <code>, <kbd>, <pre> or <samp>, or under an element with translate="no" (a CLI
 * command, a config name), is Kafka's or the shell's and stays as written. A line that says
 * `i18n-exempt` (in a comment, with the reason) is skipped.
 */

const ROOT = path.resolve(__dirname, "../..");
const DIRS = ["components", "app"];
const VISIBLE_PROPS = new Set([
  "title",
  "placeholder",
  "aria-label",
  "alt",
  "label",
  "empty",
  "hint",
  "description",
  "confirmLabel",
  "legend",
  "caption",
  "heading",
]);
const VISIBLE_KEYS = new Set(["label", "title", "empty", "hint", "description", "text"]);
const VERBATIM_TAGS = new Set(["code", "kbd", "pre", "samp"]);
const LETTER = /\p{L}/u;

function tsxFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsxFiles(p));
    else if (entry.name.endsWith(".tsx") && !entry.name.endsWith(".test.tsx")) out.push(p);
  }
  return out;
}

function tagName(el: ts.JsxOpeningLikeElement): string {
  return el.tagName.getText();
}

function isVerbatim(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    const opening = ts.isJsxElement(n) ? n.openingElement : ts.isJsxSelfClosingElement(n) ? n : null;
    if (!opening) continue;
    if (VERBATIM_TAGS.has(tagName(opening))) return true;
    const translate = opening.attributes.properties.find(
      (a) => ts.isJsxAttribute(a) && a.name.getText() === "translate",
    ) as ts.JsxAttribute | undefined;
    if (translate?.initializer && ts.isStringLiteral(translate.initializer) && translate.initializer.text === "no")
      return true;
  }
  return false;
}

const literalText = (node: ts.Node): string | null => {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(" ");
  return null;
};

function literalsIn(file: string, source = fs.readFileSync(file, "utf8")): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const lines = source.split("\n");
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    if (lines[line]?.includes("i18n-exempt") || lines[line - 1]?.includes("i18n-exempt")) return;
    found.push(`${path.relative(ROOT, file)}:${line + 1}: ${JSON.stringify(text.trim().slice(0, 60))}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      if (LETTER.test(node.text) && !isVerbatim(node)) report(node, node.text);
    } else if (
      ts.isJsxExpression(node) &&
      node.expression &&
      (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))
    ) {
      const text = literalText(node.expression);
      if (text !== null && LETTER.test(text) && !isVerbatim(node)) report(node, text);
    } else if (ts.isJsxAttribute(node) && node.initializer) {
      const name = node.name.getText();
      const init = node.initializer;
      const value = ts.isJsxExpression(init) ? init.expression : init;
      if (value && VISIBLE_PROPS.has(name)) {
        const text = literalText(value);
        if (text !== null && LETTER.test(text)) report(node, text);
      }
      if (value && name === "columns" && ts.isArrayLiteralExpression(value)) {
        for (const el of value.elements) {
          const text = literalText(el);
          if (text !== null && LETTER.test(text)) report(el, text);
        }
      }
    } else if (ts.isPropertyAssignment(node) && VISIBLE_KEYS.has(node.name.getText().replace(/["']/g, ""))) {
      const text = literalText(node.initializer);
      if (text !== null && LETTER.test(text)) report(node, text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe("no literal user-visible strings outside the catalog", () => {
  const files = DIRS.flatMap((d) => tsxFiles(path.join(ROOT, d)));

  it("finds a literal where there is one (the check can fail)", () => {
    const sample = `export const A = () => (
      <div title="Stop the broker">
        Hello <code>kafka-topics --describe</code>
        {"Stop"}
        <span translate="no">acks=all</span>
        <Chart empty={t("none")} columns={["Id", t("address")]} series={[{ key: "a", label: "produced / s" }]} />
      </div>
    );`;
    const found = literalsIn(path.join(ROOT, "components", "sample.tsx"), sample).map((f) => f.replace(/^.*?: /, ""));
    expect(found).toEqual(['"Stop the broker"', '"Hello"', '"Stop"', '"Id"', '"produced / s"']);
  });

  it("every component and page takes its words from the catalog", () => {
    const found = files.flatMap((f) => literalsIn(f));
    expect(found).toEqual([]);
  });
});
