import "server-only";
import { setFlagsFromString } from "node:v8";
import { compareAt, type JsonPathOp, parseJsonPath, parseOperand } from "@/lib/json-path";
import type { SearchField, SearchQuery } from "@/lib/schemas/messages";
import { AppError } from "../errors";
import type { RawRecord } from "./batches";

/**
 * The predicate of a message search, over a record's raw bytes: a substring (byte for byte, as
 * grep matches, with `Buffer.indexOf`: nothing is decoded), a regular expression, or a JSON path
 * comparison. Each looks in the fields asked for: the key, the value, and the headers (a header
 * matches by its key or its value).
 *
 * Regexes run on V8's linear-time engine (the `l` flag, `--enable-experimental-regexp-engine`),
 * whose time grows with the input and never exponentially: `(a+)+$` cannot stall the server. A
 * pattern that engine cannot run (backreferences, lookahead/lookbehind; and it has no
 * case-insensitive mode: write [Ss]hipped) is refused with 400,
 * as is one that does not compile, and patterns are at most 500 characters.
 */

export type RecordFilter = (r: RawRecord) => boolean;

let linearEngine = false;
function enableLinearEngine(): void {
  if (linearEngine) return;
  // Only regexes made with the `l` flag use it; every other regex in the process is unchanged.
  setFlagsFromString("--enable-experimental-regexp-engine");
  linearEngine = true;
}

/** The regex for a search, or 400 naming `pattern` with why. */
export function compileSearchRegex(pattern: string): RegExp {
  enableLinearEngine();
  try {
    return new RegExp(pattern, "l");
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const linear = /linear time/i.test(why);
    throw new AppError(
      "validation_failed",
      linear
        ? `pattern: ${pattern} cannot run in linear time (backreferences and lookarounds need backtracking), and searches only run regexes that can: they use a linear-time regex engine so that no pattern can stall the server`
        : `pattern: not a valid regular expression: ${why.replace(/^Invalid regular expression: /, "")}`,
      { field: "pattern" },
    );
  }
}

const utf8 = new TextDecoder("utf-8");

function fieldsOf(r: RawRecord, fields: readonly SearchField[]): Buffer[] {
  const out: Buffer[] = [];
  for (const f of fields) {
    if (f === "key") {
      if (r.key) out.push(r.key);
    } else if (f === "value") {
      if (r.value) out.push(r.value);
    } else
      for (const [k, v] of r.headers) {
        out.push(k);
        if (v) out.push(v);
      }
  }
  return out;
}

/** A byte-for-byte substring in any of the fields. */
export function substringFilter(needle: string, fields: readonly SearchField[]): RecordFilter {
  const bytes = Buffer.from(needle, "utf8");
  const key = fields.includes("key");
  const value = fields.includes("value");
  const headers = fields.includes("headers");
  // The value first and without building an array: it is what most searches look at, and the scan's speed.
  return (r) =>
    (value && r.value !== null && r.value.indexOf(bytes) >= 0) ||
    (key && r.key !== null && r.key.indexOf(bytes) >= 0) ||
    (headers && r.headers.some(([k, v]) => k.indexOf(bytes) >= 0 || (v !== null && v.indexOf(bytes) >= 0)));
}

/** The regex against each field's UTF-8 text (invalid bytes as U+FFFD). */
export function regexFilter(re: RegExp, fields: readonly SearchField[]): RecordFilter {
  return (r) => fieldsOf(r, fields).some((b) => re.test(utf8.decode(b)));
}

/** The comparison at `path` in each field that parses as JSON; a field that does not is no match. */
export function jsonPathFilter(
  path: string,
  op: JsonPathOp,
  operandText: string | undefined,
  fields: readonly SearchField[],
): RecordFilter {
  const segments = parseJsonPath(path);
  const operand = operandText === undefined ? undefined : parseOperand(operandText);
  // Header keys are names, not documents: only the values are parsed.
  return (r) => {
    const docs: Buffer[] = [];
    if (fields.includes("key") && r.key) docs.push(r.key);
    if (fields.includes("value") && r.value) docs.push(r.value);
    if (fields.includes("headers")) for (const [, v] of r.headers) if (v) docs.push(v);
    return docs.some((b) => {
      const first = b.find((c) => c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09);
      if (first !== 0x7b && first !== 0x5b && segments.length > 0) return false; // not an object or array
      let doc: unknown;
      try {
        doc = JSON.parse(utf8.decode(b));
      } catch {
        return false;
      }
      return compareAt(doc, segments, op, operand);
    });
  };
}

/** The filter a search query asks for (its fields already checked by the schema). */
export function buildFilter(q: SearchQuery): RecordFilter {
  if (q.mode === "substring") return substringFilter(q.pattern as string, q.in);
  if (q.mode === "regex") return regexFilter(compileSearchRegex(q.pattern as string), q.in);
  return jsonPathFilter(q.path as string, q.op as JsonPathOp, q.operand, q.in);
}
