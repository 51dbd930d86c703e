/**
 * A small dotted JSON path — `a.b[0].c`, `$.a["odd key"][2]` — and the comparisons a message
 * search makes with it. Shared by the server's filter and the search form's validation, so both
 * refuse the same paths with the same words.
 */

export type PathSegment = string | number;

export const JSON_PATH_OPS = ["==", "!=", ">", ">=", "<", "<=", "contains", "exists"] as const;
export type JsonPathOp = (typeof JSON_PATH_OPS)[number];

/** The segments of `path`, or throws an Error saying where the path is malformed. */
export function parseJsonPath(path: string): PathSegment[] {
  let s = path.trim();
  if (s.startsWith("$")) s = s.slice(1);
  const out: PathSegment[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${i + 1} of "${path}"`);
  };
  if (s === "") return out;
  // A leading name needs no dot: `a.b` as well as `.a.b`.
  let first = true;
  while (i < s.length) {
    const c = s[i];
    if (c === "[") {
      const close = s.indexOf("]", i);
      if (close < 0) fail("an unclosed [");
      const inside = s.slice(i + 1, close);
      if (/^\d{1,9}$/.test(inside)) out.push(Number(inside));
      else if (/^"(?:[^"\\]|\\.)*"$/.test(inside)) out.push(JSON.parse(inside) as string);
      else fail('[…] holds an index (0, 1, …) or a quoted name (["a b"])');
      i = close + 1;
    } else if (c === "." || first) {
      if (c === ".") i++;
      const m = /^[A-Za-z_$][\w$-]*/.exec(s.slice(i));
      if (!m) fail("a name (letters, digits, _, $, -) is expected");
      out.push((m as RegExpExecArray)[0]);
      i += (m as RegExpExecArray)[0].length;
    } else fail(`unexpected "${c}"`);
    first = false;
  }
  return out;
}

const MISSING = Symbol("missing");

/** The value at `path` inside `doc`, or MISSING. */
export function resolvePath(doc: unknown, path: PathSegment[]): unknown {
  let at: unknown = doc;
  for (const seg of path) {
    if (typeof seg === "number") {
      if (!Array.isArray(at) || seg >= at.length) return MISSING;
      at = at[seg];
    } else {
      if (typeof at !== "object" || at === null || Array.isArray(at) || !Object.hasOwn(at, seg)) return MISSING;
      at = (at as Record<string, unknown>)[seg];
    }
  }
  return at;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

/**
 * The operand as written: JSON when it parses (`5`, `true`, `"x"`, `null`, `[1]`), else the
 * text itself (so `status == shipped` compares with the string "shipped").
 */
export function parseOperand(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Whether the value at the path compares as asked. A missing path matches nothing but `!=`
 * (nothing there is not equal to anything); `>`/`<` compare two numbers or two strings, never a
 * number with a string; `contains` is a substring of a string or an element of an array.
 */
export function compareAt(doc: unknown, path: PathSegment[], op: JsonPathOp, operand: unknown): boolean {
  const v = resolvePath(doc, path);
  if (op === "exists") return v !== MISSING;
  if (v === MISSING) return op === "!=";
  switch (op) {
    case "==":
      return deepEqual(v, operand);
    case "!=":
      return !deepEqual(v, operand);
    case "contains":
      if (typeof v === "string") return typeof operand === "string" && v.includes(operand);
      if (Array.isArray(v)) return v.some((x) => deepEqual(x, operand));
      return false;
    default: {
      const comparable =
        (typeof v === "number" && typeof operand === "number") ||
        (typeof v === "string" && typeof operand === "string");
      if (!comparable) return false;
      const a = v as number | string;
      const b = operand as number | string;
      return op === ">" ? a > b : op === ">=" ? a >= b : op === "<" ? a < b : a <= b;
    }
  }
}
