import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { sh, shellQuote, verbatim } from "./shell-quote";

/** What a real POSIX shell makes of a quoted word: its single argument, printed back exactly. */
const throughShell = (word: string) => execFileSync("sh", ["-c", `printf '%s' ${word}`], { encoding: "utf8" });

describe("shellQuote", () => {
  it.each([
    ["orders", "orders"],
    ["my.topic_v2-eu", "my.topic_v2-eu"],
    ["127.0.0.1:19092", "127.0.0.1:19092"],
    ["retention.ms=604800000", "retention.ms=604800000"],
    ["a,b/c@d%e+f", "a,b/c@d%e+f"],
  ])("leaves %s bare", (input, expected) => {
    expect(shellQuote(input)).toBe(expected);
  });

  it.each([
    ["with space", "'with space'"],
    ["it's", "'it'\\''s'"],
    ["$(rm -rf ~)", "'$(rm -rf ~)'"],
    ["`id`", "'`id`'"],
    ["a\nb", "'a\nb'"],
    ["", "''"],
    ["=cmd", "'=cmd'"],
    ["ünïcødé", "'ünïcødé'"],
    ['say "hi"', `'say "hi"'`],
    ["a;b|c&d>e<f", "'a;b|c&d>e<f'"],
    ["*", "'*'"],
    ["~root", "'~root'"],
    ["!event", "'!event'"],
    ["\\", "'\\'"],
  ])("quotes %j", (input, expected) => {
    expect(shellQuote(input)).toBe(expected);
  });

  it("quotes a number as its digits", () => {
    expect(shellQuote(6)).toBe("6");
    expect(shellQuote(-1)).toBe("-1");
  });

  it.each([
    "with space",
    "it's",
    "''",
    "$(touch /tmp/quorum-shell-quote-pwned)",
    "`touch /tmp/quorum-shell-quote-pwned`",
    "$HOME",
    "line\nbreak",
    "tab\there",
    "",
    "ünïcødé 🚀",
    "a'b'c\\'d",
    "!!",
  ])("a POSIX shell reads %j back unchanged", (input) => {
    expect(throughShell(shellQuote(input))).toBe(input);
  });
});

describe("sh", () => {
  it("quotes each value as one word and keeps the literal text", () => {
    const topic = "it's $(x)";
    expect(sh`kafka-topics.sh --bootstrap-server ${"localhost:9092"} --describe --topic ${topic}`).toBe(
      "kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic 'it'\\''s $(x)'",
    );
  });

  it("keeps a placeholder as written", () => {
    expect(sh`kafka-topics.sh --topic ${verbatim("<name>")} --partitions ${3}`).toBe(
      "kafka-topics.sh --topic <name> --partitions 3",
    );
  });

  it("gives a value with a leading or trailing quote back exactly through a shell", () => {
    const v = "'edge'";
    expect(execFileSync("sh", ["-c", sh`printf '%s' ${v}`], { encoding: "utf8" })).toBe(v);
  });
});
