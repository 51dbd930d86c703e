import "server-only";

/** Names whose values are secrets wherever they appear in a body: passwords, tokens, keys, JAAS lines. */
const SECRET_NAME = /pass(word)?|secret|token|credential|private|jaas|(^|[._-])key(store)?([._-]|$)/i;
/** A record's own contents (produce): kept as a size only. */
const CONTENT_NAME = /^(key|value|headers)$/;
const MAX_STRING = 200;
const MAX_ITEMS = 20;
const MAX_DEPTH = 3;

const sizeOf = (v: unknown): number =>
  typeof v === "string"
    ? Buffer.byteLength(v)
    : v === null || v === undefined
      ? 0
      : Buffer.byteLength(JSON.stringify(v));

/**
 * A request body as the audit trail keeps it: the same shape, with every value under a secret's
 * name (password, token, key, JAAS config…) replaced by "[redacted]", a record's key, value and
 * headers by their size, long strings cut at 200 characters, lists at 20 items and nesting at 3 levels.
 */
export function summarize(body: unknown, depth = 0): unknown {
  if (typeof body === "string")
    return body.length > MAX_STRING ? `${body.slice(0, MAX_STRING)}… (${body.length} characters)` : body;
  if (body === null || typeof body !== "object") return body;
  if (depth >= MAX_DEPTH) return "[…]";
  if (Array.isArray(body)) {
    const kept = body.slice(0, MAX_ITEMS).map((v) => summarize(v, depth + 1));
    return body.length > MAX_ITEMS ? [...kept, `… ${body.length - MAX_ITEMS} more`] : kept;
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (CONTENT_NAME.test(name)) out[name] = { bytes: sizeOf(value) };
    else if (SECRET_NAME.test(name)) out[name] = "[redacted]";
    else out[name] = summarize(value, depth + 1);
  }
  return out;
}
