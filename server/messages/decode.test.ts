import { describe, expect, it } from "vitest";
import { decodeData } from "./decode";

describe("decodeData", () => {
  const json = Buffer.from('{"id": 7, "name": "ü"}');

  it("null stays null (no key, a tombstone)", () => {
    expect(decodeData(null, "auto", 100)).toBeNull();
  });

  it("auto: JSON objects and arrays as json, other UTF-8 as text, anything else as hex", () => {
    expect(decodeData(json, "auto", 100)).toEqual({
      format: "json",
      data: '{"id": 7, "name": "ü"}',
      size: 23,
      truncated: false,
    });
    expect(decodeData(Buffer.from(" [1,2]"), "auto", 100)?.format).toBe("json");
    expect(decodeData(Buffer.from("42"), "auto", 100)?.format).toBe("text"); // a bare number is not shown folded
    expect(decodeData(Buffer.from("{not json"), "auto", 100)?.format).toBe("text");
    expect(decodeData(Buffer.from([0xc3, 0x28]), "auto", 100)).toEqual({
      format: "hex",
      data: "c328",
      size: 2,
      truncated: false,
    });
  });

  it("json asked of something else says why and shows text", () => {
    expect(decodeData(Buffer.from("{a:1}"), "json", 100)).toMatchObject({
      format: "text",
      data: "{a:1}",
      error: expect.stringMatching(/^not valid JSON: /),
    });
    expect(decodeData(Buffer.from([0xff]), "json", 100)).toMatchObject({ error: "not valid JSON: not UTF-8 text" });
  });

  it("hex and base64 as asked", () => {
    expect(decodeData(Buffer.from("hi"), "hex", 100)?.data).toBe("6869");
    expect(decodeData(Buffer.from("hi"), "base64", 100)?.data).toBe("aGk=");
  });

  it("truncates to the cap with the original size, never inside a UTF-8 character", () => {
    const text = Buffer.from("aaü€b"); // a a (c3 bc) (e2 82 ac) b = 8 bytes
    expect(decodeData(text, "text", 3)).toEqual({ format: "text", data: "aa", size: 8, truncated: true });
    expect(decodeData(text, "text", 4)).toEqual({ format: "text", data: "aaü", size: 8, truncated: true });
    expect(decodeData(text, "text", 8)).toEqual({ format: "text", data: "aaü€b", size: 8, truncated: false });
    expect(decodeData(text, "hex", 2)).toEqual({ format: "hex", data: "6161", size: 8, truncated: true });
    // JSON is judged on the whole value, then cut.
    expect(decodeData(json, "json", 5)).toEqual({ format: "json", data: '{"id"', size: 23, truncated: true });
  });
});
