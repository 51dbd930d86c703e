import "server-only";
import type { DataFormat, DecodedData, KafkaMessage, RequestedFormat } from "@/lib/types";
import type { RawRecord } from "./batches";

/**
 * A key, value or header as the API shows it: text, JSON, hex or base64, at most `maxBytes` of
 * it (then `truncated`, with the original `size`). "auto" picks JSON for valid UTF-8 that parses as
 * a JSON object or array, text for other valid UTF-8, hex for anything else.
 */

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8");

function isUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The first `max` bytes of `bytes`, cut back to a UTF-8 character boundary. */
function utf8Prefix(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  let end = max;
  // A continuation byte (10xxxxxx) cannot start a character: step back to the one that does.
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

function jsonError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export function decodeData(bytes: Buffer | null, requested: RequestedFormat, maxBytes: number): DecodedData | null {
  if (bytes === null) return null;
  const size = bytes.length;
  const truncated = size > maxBytes;
  let format: DataFormat;
  let error: string | undefined;
  if (requested === "auto") {
    if (!isUtf8(bytes)) format = "hex";
    else {
      const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
      const looksJson = first === 0x7b || first === 0x5b; // { or [
      format = looksJson && jsonError(bytes.toString("utf8")) === null ? "json" : "text";
    }
  } else if (requested === "json") {
    const problem = isUtf8(bytes) ? jsonError(bytes.toString("utf8")) : "not UTF-8 text";
    format = problem === null ? "json" : "text";
    if (problem !== null) error = `not valid JSON: ${problem}`;
  } else format = requested;
  let data: string;
  switch (format) {
    case "hex":
      data = bytes.subarray(0, maxBytes).toString("hex");
      break;
    case "base64":
      data = bytes.subarray(0, maxBytes).toString("base64");
      break;
    default:
      data = lenientUtf8.decode(truncated ? utf8Prefix(bytes, maxBytes) : bytes);
  }
  return { format, data, size, truncated, ...(error ? { error } : {}) };
}

export interface DecodeOptions {
  keyFormat: RequestedFormat;
  valueFormat: RequestedFormat;
  maxValueBytes: number;
}

/** A record as the API answers it. Header values: text when UTF-8, else hex. */
export function toMessage(partition: number, r: RawRecord, opts: DecodeOptions): KafkaMessage {
  return {
    partition,
    offset: Number(r.offset),
    timestamp: Number(r.timestamp),
    timestampType: r.timestampType,
    key: decodeData(r.key, opts.keyFormat, opts.maxValueBytes),
    value: decodeData(r.value, opts.valueFormat, opts.maxValueBytes),
    headers: r.headers.map(([k, v]) => ({
      key: k.toString("utf8"),
      value: decodeData(v, v && isUtf8(v) ? "text" : "hex", opts.maxValueBytes),
    })),
    size: r.size,
    compression: r.codec,
  };
}
