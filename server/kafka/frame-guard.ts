import "server-only";
import type { Socket } from "node:net";

/** The smallest response frame: its correlation id. */
export const MIN_FRAME_BYTES = 4;

/**
 * Puts a check of every response frame's declared size in front of the socket's "data" listeners
 * (those of @platformatic/kafka's Connection). The library reads a frame's size and then buffers
 * until that many bytes came: a size of 2^31−1 grows its buffer without bound, and a size of 1 to 3
 * makes it read past the frame and throw from the socket's "data" event — an uncaught exception
 * that ends the process. This guard only follows frame boundaries (4-byte size, then that many
 * bytes); it decodes nothing. The first frame whose size is outside MIN_FRAME_BYTES..maxBytes stops
 * everything: the chunk is not passed on, `onBad` is told why and the socket is destroyed, so the
 * library fails the requests in flight with "Connection closed".
 *
 * Call it from the socket's "connect" (or TLS "secureConnect") event, after the library's own
 * listener for that event ran and attached its "data" listener, before any byte is read.
 */
export function guardFrames(socket: Socket, maxBytes: number, onBad: (reason: string) => void): void {
  const downstream = socket.listeners("data") as ((chunk: Buffer) => void)[];
  socket.removeAllListeners("data");
  /** Bytes of a size prefix split across chunks. */
  let prefix: Buffer = Buffer.alloc(0);
  /** Bytes of the current frame still to come. */
  let left = 0;
  let failed = false;

  socket.on("data", (chunk: Buffer) => {
    if (failed) return;
    let i = 0;
    while (i < chunk.length) {
      if (left > 0) {
        const n = Math.min(left, chunk.length - i);
        left -= n;
        i += n;
        continue;
      }
      const take = chunk.subarray(i, i + (4 - prefix.length));
      prefix = prefix.length === 0 ? take : Buffer.concat([prefix, take]);
      i += take.length;
      if (prefix.length < 4) break;
      const size = prefix.readInt32BE(0);
      prefix = Buffer.alloc(0);
      if (size < MIN_FRAME_BYTES || size > maxBytes) {
        failed = true;
        onBad(`sent a frame of ${size} bytes (a response frame holds ${MIN_FRAME_BYTES} to ${maxBytes} bytes)`);
        socket.destroy();
        return;
      }
      left = size;
    }
    for (const listener of downstream) listener.call(socket, chunk);
  });
}
