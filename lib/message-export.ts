import type { DecodedData, KafkaMessage } from "./types";

/**
 * A page or a search's matches as files: JSON lines (one message per line, as the API gave it)
 * and CSV (one row per message; headers as a JSON object's text; RFC 4180 quoting).
 */

export function toJsonLines(messages: KafkaMessage[]): string {
  return messages.map((m) => JSON.stringify(m)).join("\n") + (messages.length > 0 ? "\n" : "");
}

const CSV_COLUMNS = [
  "partition",
  "offset",
  "timestamp",
  "timestampType",
  "key",
  "keyFormat",
  "value",
  "valueFormat",
  "valueTruncated",
  "headers",
  "size",
  "compression",
] as const;

function csvCell(v: string | number | boolean | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const data = (d: DecodedData | null) => (d === null ? null : d.data);

export function toCsv(messages: KafkaMessage[]): string {
  const rows = messages.map((m) =>
    [
      m.partition,
      m.offset,
      new Date(m.timestamp).toISOString(),
      m.timestampType,
      data(m.key),
      m.key?.format ?? null,
      data(m.value),
      m.value?.format ?? null,
      m.value?.truncated ?? false,
      m.headers.length > 0 ? JSON.stringify(m.headers.map((h) => [h.key, data(h.value)])) : null,
      m.size,
      m.compression,
    ]
      .map(csvCell)
      .join(","),
  );
  return `${[CSV_COLUMNS.join(","), ...rows].join("\r\n")}\r\n`;
}

/** Saves `text` as a file in the browser. */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
