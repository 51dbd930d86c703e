import { describe, expect, it } from "vitest";
import { boundedText } from "./sampler";

/** A chunked answer (no content-length) of `chunks` pieces of `size` bytes. */
function chunked(chunks: number, size: number): Response {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ >= chunks) controller.close();
      else controller.enqueue(new Uint8Array(size).fill(65));
    },
  });
  return new Response(stream);
}

describe("boundedText", () => {
  it("reads an answer under the bound whole", async () => {
    expect(await boundedText(chunked(3, 10), 100)).toBe("A".repeat(30));
  });

  it("gives up on a chunked answer past the bound, without reading it all", async () => {
    await expect(boundedText(chunked(1000, 1024), 4096)).rejects.toThrow("answer of more than 4096 bytes");
  });

  it("refuses an answer whose declared length is past the bound before reading it", async () => {
    const res = new Response("x".repeat(10), { headers: { "content-length": "999999" } });
    await expect(boundedText(res, 100)).rejects.toThrow("more than 100 bytes");
  });
});
