import { describe, expect, it } from "vitest";
import { toCsv, toJsonLines } from "./message-export";
import type { KafkaMessage } from "./types";

const m = (offset: number, value: string | null, headers: KafkaMessage["headers"] = []): KafkaMessage => ({
  partition: 1,
  offset,
  timestamp: Date.UTC(2026, 0, 2, 3, 4, 5),
  timestampType: "CreateTime",
  key: { format: "text", data: `k${offset}`, size: 2, truncated: false },
  value: value === null ? null : { format: "text", data: value, size: value.length, truncated: false },
  headers,
  size: 40,
  compression: "gzip",
});

describe("message export", () => {
  it("JSON lines: one parseable message per line", () => {
    const msgs = [m(1, "a\nb"), m(2, null)];
    const lines = toJsonLines(msgs).trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => JSON.parse(l))).toEqual(msgs);
    expect(toJsonLines([])).toBe("");
  });

  it("CSV: quotes commas, quotes and newlines; a tombstone is an empty cell", () => {
    const csv = toCsv([
      m(7, 'say "hi", then\nleave', [{ key: "h", value: { format: "text", data: "v", size: 1, truncated: false } }]),
      m(8, null),
    ]);
    const [head, first, second] = csv.split("\r\n");
    expect(head).toBe(
      "partition,offset,timestamp,timestampType,key,keyFormat,value,valueFormat,valueTruncated,headers,size,compression",
    );
    expect(first).toBe(
      '1,7,2026-01-02T03:04:05.000Z,CreateTime,k7,text,"say ""hi"", then\nleave",text,false,"[[""h"",""v""]]",40,gzip'.split(
        "\r\n",
      )[0],
    );
    expect(second).toBe("1,8,2026-01-02T03:04:05.000Z,CreateTime,k8,text,,,false,,40,gzip");
  });
});
