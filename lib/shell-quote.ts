// POSIX shell quoting for the CLI equivalents the UI shows, so a command copied from the page runs
// as shown whatever the topic name, config value or host holds.

/** Characters that mean nothing to a POSIX shell (nor to bash or zsh) inside a word. */
const BARE = /^[A-Za-z0-9._:/=,@%+-]+$/;

/** A part of a command shown as written, not quoted: a placeholder such as `<name>` the user fills in. */
export interface Verbatim {
  readonly verbatim: string;
}

export const verbatim = (text: string): Verbatim => ({ verbatim: text });

/**
 * One shell word that stands for `value` exactly: bare when it holds only harmless characters,
 * otherwise in single quotes, where nothing is special; an embedded `'` becomes `'\''` (close the
 * quotes, an escaped quote, open them again). The empty string is `''`. A leading `=` is quoted too
 * (zsh expands `=cmd` to a path).
 */
export function shellQuote(value: string | number): string {
  const s = String(value);
  if (BARE.test(s) && !s.startsWith("=")) return s;
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * A tagged template for a command line: the literal text is kept as written, each interpolated
 * value is quoted as one word (a `Verbatim` is kept as is).
 *
 *     sh`kafka-topics.sh --describe --topic ${name}`
 */
export function sh(strings: TemplateStringsArray, ...values: (string | number | Verbatim)[]): string {
  return strings.reduce((out, literal, i) => {
    if (i === 0) return literal;
    const v = values[i - 1] as string | number | Verbatim;
    return out + (typeof v === "object" ? v.verbatim : shellQuote(v)) + literal;
  }, "");
}
