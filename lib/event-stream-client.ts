import { ApiError } from "./api-client";
import type { ApiErrorBody } from "./types";

/**
 * Reads a Server-Sent Events answer with fetch (not EventSource, which hides a 400's body):
 * each `event:`/`data:` block is handed to `onEvent` with its data parsed as JSON. Resolves when
 * the server ends the stream or `signal` aborts (the server then stops: closing the request is how
 * a search is cancelled); a non-2xx answer throws the API's error as ApiError.
 */
export async function readEventStream(
  url: string,
  signal: AbortSignal,
  onEvent: (event: string, data: unknown) => void,
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { accept: "text/event-stream" }, cache: "no-store" });
  } catch (err) {
    if (signal.aborted) return;
    throw new ApiError(0, "network", `Quorum's server is not answering: ${(err as Error).message}`);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as ApiErrorBody | null;
    if (body?.error) throw new ApiError(res.status, body.error.code, body.error.message, body.error.field);
    throw new ApiError(res.status, "http", `The server answered ${res.status} ${res.statusText}`);
  }
  if (!res.body) return;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
        }
        if (data.length > 0) onEvent(event, JSON.parse(data.join("\n")));
      }
    }
  } catch (err) {
    if (signal.aborted) return;
    throw new ApiError(0, "network", `The stream broke off: ${(err as Error).message}`);
  } finally {
    reader.releaseLock();
  }
}
